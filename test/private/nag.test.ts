import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import {
  acknowledgeFinding, acknowledgeGrantedWildcards, acknowledgeWildcardResources, markLibraryRole, nagResourceText,
} from '../../src/private/nag';

/** The acknowledgements recorded on a construct: id to reason (the last entry per id wins, as the validation report reads them). */
function acknowledgements(c: IConstruct): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of c.node.metadata) {
    if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) Object.assign(out, entry.data);
  }
  return out;
}

const stack = () => new Stack(new App(), 'Stack');

describe('nagResourceText (the resource text of cdk-nag IAM5 findings)', () => {
  test.each<[string, (s: Stack) => string, string]>([
    ['a literal', () => 'arn:aws:s3:::*', 'arn:aws:s3:::*'],
    ['pseudo parameters', (s) => `arn:${s.partition}:iot:${s.region}:${s.account}:thing/a-*`, 'arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thing/a-*'],
    ['an attribute', (s) => `${new sqs.Queue(s, 'Q').queueArn}:*`, '<Q63C6E3AB.Arn>:*'],
    ['a policy variable', () => 'arn:aws:s3:::b/${credentials-iot:ThingName}/*', 'arn:aws:s3:::b/<credentials-iot:ThingName>/*'],
  ])('%s', (_name, resource, expected) => {
    const s = stack();
    expect(nagResourceText(s, resource(s))).toBe(expected);
  });
});

describe('acknowledgements', () => {
  test('a finding gets the AwsSolutions namespace; a second reason for it is joined, a repeated one is not', () => {
    const s = stack();
    const q = new sqs.Queue(s, 'Q');
    acknowledgeFinding(q, 'SQS3', 'first reason');
    acknowledgeFinding(q, 'SQS3', 'second reason');
    acknowledgeFinding(q, 'SQS3', 'first reason');
    expect(acknowledgements(q)).toEqual({ 'AwsSolutions::AwsSolutions-SQS3': 'first reason; second reason' });
  });

  test('only resources with a wildcard are acknowledged, under their IAM5 finding id', () => {
    const s = stack();
    const role = new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    acknowledgeWildcardResources(role, [`arn:${s.partition}:iot:eu-west-1:1:thing/x`, `arn:${s.partition}:iot:eu-west-1:1:thing/x-*`], 'why');
    expect(acknowledgements(role)).toEqual({ 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:eu-west-1:1:thing/x-*]': 'why' });
  });

  test('a grant is acknowledged on a role the library created, never on the user\'s role', () => {
    const s = stack();
    const ours = new iam.Role(s, 'Ours', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const theirs = new iam.Role(s, 'Theirs', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    markLibraryRole(ours);
    acknowledgeGrantedWildcards(ours, ['*'], 'no resource type');
    acknowledgeGrantedWildcards(theirs, ['*'], 'no resource type');
    expect(acknowledgements(ours)).toEqual({ 'AwsSolutions::AwsSolutions-IAM5[Resource::*]': 'no resource type' });
    expect(acknowledgements(theirs)).toEqual({});
  });
});
