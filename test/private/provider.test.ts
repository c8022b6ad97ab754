import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ServiceRoleFunction } from '../../src/custom-resources/service-role/service-role-function';
import { SharedProvider } from '../../src/private/provider';

const onEvent = (s: Construct, id: string, props: lambda.FunctionOptions) =>
  new lambda.Function(s, id, { ...props, runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });

test('one provider per stack and id, with log retention and exact grants', () => {
  const stack = new Stack(new App(), 'S');
  const a = SharedProvider.getOrCreate(new Construct(stack, 'A'), { id: 'TestProvider', onEvent });
  const b = SharedProvider.getOrCreate(new Construct(stack, 'B'), { id: 'TestProvider', onEvent });
  expect(a).toBe(b);
  a.grant(new iam.PolicyStatement({ actions: ['iot:DescribeThing'], resources: ['arn:aws:iot:eu-west-1:111111111111:thing/t1'] }));
  const t = Template.fromStack(stack);
  t.resourceCountIs('AWS::Lambda::Function', 2); // handler + framework onEvent
  t.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  t.resourceCountIs('AWS::Logs::LogGroup', 2);
  t.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([{ Action: 'iot:DescribeThing', Effect: 'Allow', Resource: 'arn:aws:iot:eu-west-1:111111111111:thing/t1' }]) },
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
  p.grant(new iam.PolicyStatement({ actions: ['greengrass:GetDeployment'], resources: ['arn:aws:greengrass:eu-west-1:111111111111:deployments:d'] }));
  const t = Template.fromStack(stack);
  t.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  expect(Object.values(t.findResources('AWS::IAM::Policy')).filter((r) => JSON.stringify(r).includes('greengrass:GetDeployment'))).toHaveLength(2);
});

test('optionalPolicy: one separate policy per id, on every handler role, only once asked for', () => {
  const unused = new Stack(new App(), 'S');
  SharedProvider.getOrCreate(unused, { id: 'Waiter', onEvent, isComplete: onEvent });
  expect(Object.keys(Template.fromStack(unused).findResources('AWS::IAM::Policy')).filter((id) => id.startsWith('WaiterExtra'))).toEqual([]);
  const stack = new Stack(new App(), 'S');
  const p = SharedProvider.getOrCreate(stack, { id: 'Waiter', onEvent, isComplete: onEvent });
  const policy = p.optionalPolicy('Extra');
  expect(p.optionalPolicy('Extra')).toBe(policy);
  policy.addStatements(new iam.PolicyStatement({ actions: ['iot:DeleteThing'], resources: ['arn:aws:iot:eu-west-1:111111111111:thing/t1'] }));
  const t = Template.fromStack(stack);
  const [[id, resource]] = Object.entries(t.findResources('AWS::IAM::Policy', { Properties: { PolicyDocument: { Statement: [{ Action: 'iot:DeleteThing' }] } } })) as [string, any][];
  expect(id).toMatch(/^WaiterExtra/);
  const roleOf = (fn: lambda.Function) => ({ Ref: stack.getLogicalId(fn.role!.node.defaultChild as iam.CfnRole) });
  expect(resource.Properties.Roles).toEqual([roleOf(p.onEventFunction), roleOf(p.isCompleteFunction!)]);
});

test('fails when the optional policy\'s id is taken by another construct', () => {
  const stack = new Stack(new App(), 'S');
  const p = SharedProvider.getOrCreate(stack, { id: 'TestProvider', onEvent });
  new Construct(p, 'Taken');
  expect(() => p.optionalPolicy('Taken')).toThrow("construct id 'Taken' is already used in S/TestProvider by something that is not an IAM policy; choose another id");
});

// ---------------------------------------------------------------------------------------------
// Execution roles and logs: no AWS managed policy, log permissions only on the function's own
// log group, retention set, waiter logging ALL events.
// ---------------------------------------------------------------------------------------------

type Resources = Record<string, any>;

/** The logical id behind `{ Ref: id }` or `{ 'Fn::GetAtt': [id, 'Arn'] }`. */
function logicalId(value: any): string {
  if (value?.Ref) return value.Ref;
  if (value?.['Fn::GetAtt']) return value['Fn::GetAtt'][0];
  throw new Error(`not a reference: ${JSON.stringify(value)}`);
}

const kinds = [
  { kind: 'onEvent only', isComplete: undefined, functions: 2, roles: 2 },
  // handlers (2) + framework onEvent, isComplete, onTimeout (3); roles: 2 handlers + 2 framework + the state machine's
  { kind: 'onEvent and isComplete', isComplete: onEvent, functions: 5, roles: 5 },
];

test.each(kinds)('$kind: no role has an AWS managed policy, and only Lambda can assume the function roles', ({ isComplete, functions, roles }) => {
  const stack = new Stack(new App(), 'S');
  SharedProvider.getOrCreate(stack, { id: 'P', onEvent, isComplete });
  const t = Template.fromStack(stack);
  t.resourceCountIs('AWS::Lambda::Function', functions);
  t.resourceCountIs('AWS::IAM::Role', roles);
  for (const role of Object.values(t.findResources('AWS::IAM::Role') as Resources)) {
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  }
  const fns = Object.values(t.findResources('AWS::Lambda::Function') as Resources);
  for (const fn of fns) {
    const role = t.toJSON().Resources[logicalId(fn.Properties.Role)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  }
});

test.each(kinds)('$kind: every function writes only to its own log group, which has retention and is kept', ({ isComplete }) => {
  const stack = new Stack(new App(), 'S');
  SharedProvider.getOrCreate(stack, { id: 'P', onEvent, isComplete });
  const t = Template.fromStack(stack);
  const resources = t.toJSON().Resources as Resources;
  const fns = Object.entries(t.findResources('AWS::Lambda::Function') as Resources);
  for (const [fnId, fn] of fns) {
    const logGroupId = logicalId(fn.Properties.LoggingConfig?.LogGroup);
    expect(resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    const role = resources[logicalId(fn.Properties.Role)];
    // the role's own policy: exactly the two log actions, on this function's log group
    expect({ fnId, policies: role.Properties.Policies }).toEqual({
      fnId,
      policies: [{
        PolicyName: 'Logs',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } }],
        },
      }],
    });
  }
  // and no policy of the stack allows a log action anywhere else
  for (const policy of Object.values(t.findResources('AWS::IAM::Policy') as Resources)) {
    const logStatements = policy.Properties.PolicyDocument.Statement.filter((s: any) => JSON.stringify(s.Action).includes('logs:'));
    for (const s of logStatements) {
      // only the waiter state machine's log-delivery statement, which Step Functions requires on '*'
      expect(s.Action).toContain('logs:CreateLogDelivery');
    }
  }
});

test('the handler and framework functions of a provider have separate roles and log groups', () => {
  const stack = new Stack(new App(), 'S');
  SharedProvider.getOrCreate(stack, { id: 'P', onEvent, isComplete: onEvent });
  const fns = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function') as Resources);
  const roles = new Set(fns.map((fn) => logicalId(fn.Properties.Role)));
  const logGroups = new Set(fns.map((fn) => logicalId(fn.Properties.LoggingConfig.LogGroup)));
  // onEvent, isComplete, framework onEvent, framework isComplete + onTimeout (one role, as the framework shares it)
  expect(roles.size).toBe(4);
  // onEvent, isComplete, the framework's three functions
  expect(logGroups.size).toBe(3);
});

test.each([
  { logRetention: logs.RetentionDays.ONE_MONTH, days: 30 },
  { logRetention: logs.RetentionDays.TEN_YEARS, days: 3653 },
])('logRetention $days days applies to every log group, the waiter\'s included', ({ logRetention, days }) => {
  const stack = new Stack(new App(), 'S');
  SharedProvider.getOrCreate(stack, { id: 'P', onEvent, isComplete: onEvent, logRetention });
  const t = Template.fromStack(stack);
  t.resourceCountIs('AWS::Logs::LogGroup', 4);
  t.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: days });
});

test('grants go to the handlers\' roles only, never to the framework roles', () => {
  const stack = new Stack(new App(), 'S');
  const p = SharedProvider.getOrCreate(stack, { id: 'P', onEvent, isComplete: onEvent });
  p.grant(new iam.PolicyStatement({ actions: ['iot:DescribeThing'], resources: ['arn:aws:iot:eu-west-1:111111111111:thing/t1'] }));
  const t = Template.fromStack(stack);
  const granted = Object.values(t.findResources('AWS::IAM::Policy') as Resources)
    .filter((r) => JSON.stringify(r).includes('iot:DescribeThing'))
    .map((r) => r.Properties.Roles.map(logicalId)).flat().sort();
  const handlerRoles = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^cdk-greengrass-v2') } }) as Resources)
    .map((fn) => logicalId(fn.Properties.Role)).sort();
  expect(handlerRoles).toHaveLength(2);
  expect(granted).toEqual(handlerRoles);
});

test('the waiter state machine logs all events, without execution data, to a vended-logs group with retention', () => {
  const stack = new Stack(new App(), 'S');
  const p = SharedProvider.getOrCreate(stack, { id: 'P', onEvent, isComplete: onEvent });
  const isCompleteId = stack.getLogicalId(p.isCompleteFunction!.node.defaultChild as lambda.CfnFunction);
  const t = Template.fromStack(stack);
  const machine = Object.values(t.findResources('AWS::StepFunctions::StateMachine') as Resources)[0];
  const config = machine.Properties.LoggingConfiguration;
  expect(config).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  const logGroupId = logicalId(config.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn);
  expect(t.toJSON().Resources[logGroupId]).toMatchObject({
    Properties: { RetentionInDays: 365, LogGroupName: { 'Fn::Join': ['', ['/aws/vendedlogs/states/', { Ref: isCompleteId }, '-waiter']] } },
    DeletionPolicy: 'Retain',
  });
});

test('without isComplete, no waiter state machine nor its log group', () => {
  const stack = new Stack(new App(), 'S');
  SharedProvider.getOrCreate(stack, { id: 'P', onEvent });
  const t = Template.fromStack(stack);
  t.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  t.resourceCountIs('AWS::Logs::LogGroup', 2);
});

test('a generated handler class receives the role and log group (no role of its own)', () => {
  const stack = new Stack(new App(), 'S');
  const p = SharedProvider.getOrCreate(stack, { id: 'P', onEvent: (s, i, props) => new ServiceRoleFunction(s, i, props) });
  const t = Template.fromStack(stack);
  expect(Object.keys(t.findResources('AWS::IAM::Role')).sort()).toEqual(
    [stack.getLogicalId(p.node.findChild('OnEventRole').node.defaultChild as iam.CfnRole),
      stack.getLogicalId(p.node.findChild('FrameworkOnEventRole').node.defaultChild as iam.CfnRole)].sort(),
  );
  t.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs24.x',
    Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^POnEventRole'), 'Arn'] },
    LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^POnEventLogs') } },
  });
});

test('readsStack: the handler may list the resources and read the template of its own stack only', () => {
  const stack = new Stack(new App(), 'S');
  SharedProvider.getOrCreate(stack, { id: 'Reads', onEvent, readsStack: true });
  SharedProvider.getOrCreate(stack, { id: 'DoesNotRead', onEvent });
  const t = Template.fromStack(stack);
  const statementsOf = (provider: string) => Object.entries(t.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(`${provider}OnEventRole`)).flatMap(([, p]: [string, any]) => p.Properties.PolicyDocument.Statement);
  expect(statementsOf('Reads')).toEqual([{
    Action: ['cloudformation:ListStackResources', 'cloudformation:GetTemplate'], Effect: 'Allow', Resource: { Ref: 'AWS::StackId' },
  }]);
  expect(statementsOf('DoesNotRead').filter((s: any) => JSON.stringify(s.Action).includes('cloudformation'))).toEqual([]);
});
