import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { SharedProvider } from '../../../src/custom-resources/private/provider';

const onEvent = (s: Construct, id: string, props: lambda.FunctionOptions) =>
  new lambda.Function(s, id, { ...props, runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });

test('one provider per stack and id, with log retention and exact grants', () => {
  const stack = new Stack(new App(), 'S');
  const a = SharedProvider.getOrCreate(new Construct(stack, 'A'), { id: 'TestProvider', onEvent });
  const b = SharedProvider.getOrCreate(new Construct(stack, 'B'), { id: 'TestProvider', onEvent });
  expect(a).toBe(b);
  a.grant(new iam.PolicyStatement({ actions: ['iot:DescribeThing'], resources: ['arn:aws:iot:eu-west-1:1:thing/t1'] }));
  const t = Template.fromStack(stack);
  t.resourceCountIs('AWS::Lambda::Function', 2); // handler + framework onEvent
  t.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  t.resourceCountIs('AWS::Logs::LogGroup', 2);
  t.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([{ Action: 'iot:DescribeThing', Effect: 'Allow', Resource: 'arn:aws:iot:eu-west-1:1:thing/t1' }]) },
  });
});

test('fails when the id is taken by another construct', () => {
  const stack = new Stack(new App(), 'S');
  new Construct(stack, 'Taken');
  expect(() => SharedProvider.getOrCreate(stack, { id: 'Taken', onEvent })).toThrow(
    "construct id 'Taken' is already used at the root of stack S by something that is not a shared custom-resource provider; choose another id",
  );
});

test('isComplete adds a waiter and gets the same grants', () => {
  const stack = new Stack(new App(), 'S');
  const p = SharedProvider.getOrCreate(stack, { id: 'Waiter', onEvent, isComplete: onEvent });
  p.grant(new iam.PolicyStatement({ actions: ['greengrass:GetDeployment'], resources: ['arn:aws:greengrass:eu-west-1:1:deployments:d'] }));
  const t = Template.fromStack(stack);
  t.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  expect(Object.values(t.findResources('AWS::IAM::Policy')).filter((r) => JSON.stringify(r).includes('greengrass:GetDeployment'))).toHaveLength(2);
});
