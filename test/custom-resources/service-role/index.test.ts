import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GreengrassServiceRole } from '../../../src/custom-resources/service-role';

const stack = () => new Stack(new App(), 'Edge', { env: { account: '111111111111', region: 'eu-west-1' } });

test('the service role trusts Greengrass for this account and region only, and is passed only to Greengrass', () => {
  const s = stack();
  const sr = new GreengrassServiceRole(s, 'ServiceRole');
  const t = Template.fromStack(s);
  t.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'greengrass.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': '111111111111' },
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':greengrass:eu-west-1:111111111111:*']] } },
        },
      }],
    },
  });
  t.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([{
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [s.getLogicalId(sr.role.node.defaultChild as any), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'greengrass.amazonaws.com' } },
      }]),
    },
  });
  t.resourceCountIs('Custom::GreengrassV2ServiceRoleAssociation', 1);
});

test('the default role may describe certificates and manage the connectivity-information (-gci) shadows, nothing else', () => {
  const s = stack();
  new GreengrassServiceRole(s, 'ServiceRole');
  const roles = Template.fromStack(s).findResources('AWS::IAM::Role', { Properties: { Description: 'AWS IoT Greengrass V2 service role' } });
  const arn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iot:eu-west-1:111111111111:${resource}`]] });
  expect(Object.values(roles).map((r: any) => r.Properties.Policies)).toEqual([[
    { PolicyName: 'ClientDeviceAuth', PolicyDocument: { Version: '2012-10-17', Statement: [{ Action: 'iot:DescribeCertificate', Effect: 'Allow', Resource: arn('cert/*') }] } },
    {
      PolicyName: 'ConnectivityInfo',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: ['iot:GetThingShadow', 'iot:UpdateThingShadow', 'iot:DeleteThingShadow'], Effect: 'Allow', Resource: arn('thing/*-gci') }],
      },
    },
  ]]);
});

test('fails when defined twice in a stack', () => {
  const s = stack();
  new GreengrassServiceRole(s, 'A');
  expect(() => new GreengrassServiceRole(s, 'B')).toThrow(
    'only one GreengrassServiceRole can be defined per stack (Edge), and one per account and region: reuse the existing one');
});

test('by default the handler may pass only its own role, and the resource does not replace another association', () => {
  const s = stack();
  new GreengrassServiceRole(s, 'ServiceRole');
  const t = Template.fromStack(s);
  t.hasResourceProperties('Custom::GreengrassV2ServiceRoleAssociation', { ReplaceExisting: Match.absent() });
  const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  expect(statements.filter((x: any) => x.Action === 'iam:PassRole')).toHaveLength(1);
});

test('replaceExistingAssociation opts in, and lets the handler pass the replaced role back to Greengrass only', () => {
  const s = stack();
  new GreengrassServiceRole(s, 'ServiceRole', { replaceExistingAssociation: true });
  const t = Template.fromStack(s);
  t.hasResourceProperties('Custom::GreengrassV2ServiceRoleAssociation', { ReplaceExisting: 'true' });
  t.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([{
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/*']] },
        Condition: { StringEquals: { 'iam:PassedToService': 'greengrass.amazonaws.com' } },
      }]),
    },
  });
});
