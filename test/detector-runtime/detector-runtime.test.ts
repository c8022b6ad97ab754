import { App, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DetectorRuntime } from '../../src/detector-runtime';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function setup(props?: ConstructorParameters<typeof DetectorRuntime>[2]) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const runtime = props ? new DetectorRuntime(stack, 'Runtime', props) : DetectorRuntime.of(stack);
  return { stack, runtime };
}

const id = (stack: Stack, c: Construct) => stack.getLogicalId(c.node.defaultChild as any);
const policyOf = (template: Template, stack: Stack, fn: { role?: iam.IRole }) => {
  const roleId = stack.getLogicalId(fn.role!.node.defaultChild as any);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId));
  return policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
};

describe('DetectorRuntime', () => {
  test('of() creates one runtime per stack and returns it again', () => {
    const { stack, runtime } = setup();
    expect(DetectorRuntime.of(new Construct(stack, 'Deep'))).toBe(runtime);
    expect(runtime.node.path).toBe('Stack/GreengrassV2DetectorRuntime');
  });

  test('fails when the default id is taken by another construct', () => {
    const stack = new Stack(new App(), 'Stack');
    new Construct(stack, 'GreengrassV2DetectorRuntime');
    expect(() => DetectorRuntime.of(stack)).toThrow("construct id 'GreengrassV2DetectorRuntime' is already used at the root of stack Stack by something that is not a DetectorRuntime; rename that construct");
  });

  test('the Data API endpoint has no trailing slash, in dataApiEndpoint and in the stack output (an SDK would send /prod//inputs/messages)', () => {
    const { stack, runtime } = setup();
    const resolved = stack.resolve(runtime.dataApiEndpoint);
    const apiId = stack.getLogicalId(runtime.api.node.defaultChild as any);
    expect(resolved).toEqual({
      'Fn::Join': ['', ['https://', { Ref: apiId }, '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: expect.stringMatching(/DeploymentStageprod/) }]],
    });
    const outputs = Template.fromStack(stack).findOutputs('*');
    const endpoints = Object.values(outputs).filter((o: any) => JSON.stringify(o.Value).includes('execute-api'));
    expect(endpoints).toEqual([expect.objectContaining({ Value: resolved, Description: expect.stringContaining('IoT Events Data clients') })]);
    // apiUrl keeps API Gateway's form, with the slash
    expect(JSON.stringify(stack.resolve(runtime.apiUrl))).toMatch(/"\/"\]\]\}$/);
  });

  test('the table: pk, the byModel index, on-demand, PITR, encrypted, retained', () => {
    const { stack } = setup();
    const template = Template.fromStack(stack);
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'detectorModelName', AttributeType: 'S' },
          { AttributeName: 'keyValue', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [{
          IndexName: 'byModel',
          KeySchema: [{ AttributeName: 'detectorModelName', KeyType: 'HASH' }, { AttributeName: 'keyValue', KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'ALL' },
        }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('removalPolicy applies to the table', () => {
    const { stack } = setup({ removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });

  test('the FIFO queue: high throughput per message group, content dedup for Scheduler, SSE, DLQ after 5 receives, TLS only', () => {
    const { stack, runtime } = setup();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: Match.stringLikeRegexp('-detector-events\\.fifo$'),
      FifoQueue: true,
      ContentBasedDeduplication: true,
      FifoThroughputLimit: 'perMessageGroupId',
      DeduplicationScope: 'messageGroup',
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [id(stack, runtime.deadLetterQueue), 'Arn'] }, maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: Match.stringLikeRegexp('-detector-dlq\\.fifo$'),
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    for (const q of [runtime.queue, runtime.deadLetterQueue]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id(stack, q) }],
        PolicyDocument: { Statement: [{ Action: 'sqs:*', Effect: 'Deny', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Resource: { 'Fn::GetAtt': [id(stack, q), 'Arn'] } }] },
      });
    }
  });

  test('processorTimeout sets the processor\'s timeout and the queue\'s visibility timeout (6 times it)', () => {
    const { stack, runtime } = setup({ processorTimeout: Duration.minutes(15) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 900, Handler: Match.anyValue(), Role: { 'Fn::GetAtt': [id(stack, runtime.processorFunction.role!), 'Arn'] } });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: Match.stringLikeRegexp('-detector-events\\.fifo$'), VisibilityTimeout: 5400 });
  });

  test.each([
    [Duration.millis(1500), 'Duration.millis(1500) (1.5 s); use Duration.seconds(2)'],
    [Duration.seconds(0), 'Duration.seconds(0) (0 s); use Duration.seconds(1)'],
    [Duration.minutes(20), 'Duration.minutes(20) (1200 s); use Duration.seconds(900) or less'],
  ])('fails when processorTimeout is %s, naming the prop, the value and the fix', (processorTimeout, got) => {
    expect(() => setup({ processorTimeout })).toThrow(
      `detector runtime processorTimeout must be a whole number of seconds from 1 to 900 seconds (Lambda's 15-minute maximum), got ${got}`);
  });

  test('fails when processorTimeout is a token: the queue\'s visibility timeout is computed from it', () => {
    expect(() => setup({ processorTimeout: Duration.seconds(Token.asNumber(Lazy.number({ produce: () => 60 }))) })).toThrow(
      'detector runtime processorTimeout must be known at synth, got the token <token> seconds; pass a Duration of a number from 1 to 900 seconds');
  });

  test('the processor consumes the queue in batches of 10 and reports item failures', () => {
    const { stack, runtime } = setup();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [id(stack, runtime.queue), 'Arn'] },
      FunctionName: { Ref: id(stack, runtime.processorFunction) },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('every function gets the contract environment', () => {
    const { stack, runtime } = setup();
    const template = Template.fromStack(stack);
    const common = {
      DETECTOR_TABLE_NAME: { Ref: id(stack, runtime.table) },
      DETECTOR_QUEUE_URL: { Ref: id(stack, runtime.queue) },
      DETECTOR_QUEUE_ARN: { 'Fn::GetAtt': [id(stack, runtime.queue), 'Arn'] },
      DETECTOR_SCHEDULE_GROUP: runtime.scheduleGroup.scheduleGroupName,
      DETECTOR_SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [id(stack, runtime.schedulerRole), 'Arn'] },
      DETECTOR_MODEL_NAMES: '',
    };
    for (const fn of [runtime.processorFunction, runtime.dataApiFunction]) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: (fn.node.defaultChild as any).description,
        Environment: { Variables: Match.objectLike(common) },
      });
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('routes Kinesis'),
      Environment: { Variables: Match.objectLike({ ...common, DETECTOR_KINESIS_INPUTS: '{}', DETECTOR_QUEUE_INPUTS: '{}' }) },
    });
  });

  test('each function writes only to its own log group', () => {
    const { stack, runtime } = setup();
    const template = Template.fromStack(stack);
    for (const fn of [runtime.processorFunction, runtime.ingestFunction, runtime.dataApiFunction]) {
      const roleId = stack.getLogicalId(fn.role!.node.defaultChild as any);
      const resources = template.toJSON().Resources;
      const role = resources[roleId];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      const logGroupId = resources[id(stack, fn)].Properties.LoggingConfig.LogGroup.Ref;
      expect(resources[logGroupId]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
      expect(role.Properties.Policies).toEqual([{
        PolicyName: 'Logs',
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } }] },
      }]);
    }
  });

  test('the processor role: table items, the queue, schedules of its group, PassRole of the scheduler role to Scheduler only', () => {
    const { stack, runtime } = setup();
    const template = Template.fromStack(stack);
    const table = { 'Fn::GetAtt': [id(stack, runtime.table), 'Arn'] };
    const queue = { 'Fn::GetAtt': [id(stack, runtime.queue), 'Arn'] };
    expect(policyOf(template, stack, runtime.processorFunction)).toEqual([
      {
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Effect: 'Allow',
        Resource: table,
      },
      { Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Effect: 'Allow', Resource: queue },
      { Action: ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Effect: 'Allow', Resource: queue },
      {
        Action: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:scheduler:eu-west-1:111111111111:schedule/${runtime.scheduleGroup.scheduleGroupName}/*`]] },
      },
      {
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [id(stack, runtime.schedulerRole), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
  });

  test('the ingest role reads the table and sends to the queue; the Data API role also queries the byModel index', () => {
    const { stack, runtime } = setup();
    const template = Template.fromStack(stack);
    const table = { 'Fn::GetAtt': [id(stack, runtime.table), 'Arn'] };
    const send = { Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(stack, runtime.queue), 'Arn'] } };
    expect(policyOf(template, stack, runtime.ingestFunction)).toEqual([{ Action: 'dynamodb:GetItem', Effect: 'Allow', Resource: table }, send]);
    expect(policyOf(template, stack, runtime.dataApiFunction)).toEqual([
      { Action: ['dynamodb:GetItem', 'dynamodb:Query'], Effect: 'Allow', Resource: [table, { 'Fn::Join': ['', [table, '/index/byModel']] }] },
      send,
    ]);
  });

  test('the scheduler role is trusted by Scheduler of this account only and may only send to the queue', () => {
    const { stack, runtime } = setup();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } }],
      },
    });
    expect(policyOf(template, stack, { role: runtime.schedulerRole })).toEqual([
      { Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(stack, runtime.queue), 'Arn'] } },
    ]);
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: runtime.scheduleGroup.scheduleGroupName });
  });

  test('the Data API: the IoT Events Data API paths, IAM auth, Lambda proxy, a model named delete routed too', () => {
    const { stack, runtime } = setup();
    const template = Template.fromStack(stack);
    const resources = template.findResources('AWS::ApiGateway::Resource');
    const pathOf = (logicalId: string): string => {
      const r = resources[logicalId];
      if (!r) return '';
      const parent = r.Properties.ParentId.Ref;
      return `${parent ? pathOf(parent) : ''}/${r.Properties.PathPart}`;
    };
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((m: any) => {
      expect(m.Properties.AuthorizationType).toBe('AWS_IAM');
      expect(m.Properties.Integration).toEqual({
        Type: 'AWS_PROXY',
        IntegrationHttpMethod: 'POST',
        Uri: expect.anything(),
      });
      expect(JSON.stringify(m.Properties.Integration.Uri)).toContain(id(stack, runtime.dataApiFunction));
      return `${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId.Ref)}`;
    }).sort();
    expect(methods).toEqual([
      'GET /detectors/delete',
      'GET /detectors/delete/keyValues',
      'GET /detectors/{detectorModelName}',
      'GET /detectors/{detectorModelName}/keyValues',
      'POST /detectors',
      'POST /detectors/delete',
      'POST /inputs/messages',
    ]);
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      RequestParameters: { 'method.request.querystring.keyValue': false },
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      RequestParameters: { 'method.request.querystring.stateName': false, 'method.request.querystring.maxResults': false, 'method.request.querystring.nextToken': false },
    });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
  });

  test('the stage: prod, access log, throttling; execution logging on request', () => {
    const { stack } = setup({ apiThrottlingRateLimit: 50, apiThrottlingBurstLimit: 60, executionLoggingLevel: apigateway.MethodLoggingLevel.ERROR });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DataApiAccessLogs'), 'Arn'] }, Format: Match.stringLikeRegexp('\\$context.requestId') },
      MethodSettings: [{ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 60, LoggingLevel: 'ERROR', DataTraceEnabled: false }],
    });
    const defaults = setup();
    Template.fromStack(defaults.stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [{ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200, DataTraceEnabled: false }],
    });
  });

  test('request bodies are validated, and API Gateway errors carry the IoT Events error types', () => {
    const { stack } = setup();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      Schema: Match.objectLike({ required: ['messages'], properties: { messages: { type: 'array', minItems: 1, items: { type: 'object', required: ['messageId', 'inputName', 'payload'] } } } }),
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'BAD_REQUEST_BODY', StatusCode: '400', ResponseParameters: { 'gatewayresponse.header.x-amzn-ErrorType': "'InvalidRequestException'" },
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED', StatusCode: '429', ResponseParameters: { 'gatewayresponse.header.x-amzn-ErrorType': "'ThrottlingException'" },
    });
  });

  test('alarms: DLQ not empty, processor, ingest and Data API errors, timers not delivered or dropped', () => {
    const { stack, runtime } = setup();
    const template = Template.fromStack(stack);
    expect(runtime.alarms).toHaveLength(6);
    for (const metric of ['TargetErrorCount', 'InvocationDroppedCount']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Scheduler',
        MetricName: metric,
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        Dimensions: [{ Name: 'ScheduleGroup', Value: runtime.scheduleGroup.scheduleGroupName }],
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(stack, runtime.deadLetterQueue), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    for (const fn of [runtime.processorFunction, runtime.ingestFunction, runtime.dataApiFunction]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: id(stack, fn) } }],
        Threshold: 1,
      });
    }
  });

  test('grantDataApi and grantRead allow execute-api:Invoke on exactly the Data API methods', () => {
    const { stack, runtime } = setup();
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    runtime.grantDataApi(writer);
    runtime.grantRead(reader);
    const template = Template.fromStack(stack);
    const arn = (method: string, path: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:eu-west-1:111111111111:', { Ref: id(stack, runtime.api) }, '/', { Ref: stack.getLogicalId(runtime.api.deploymentStage.node.defaultChild as any) }, `/${method}${path}`]],
    });
    expect(policyOf(template, stack, { role: writer })).toEqual([{
      Action: 'execute-api:Invoke',
      Effect: 'Allow',
      Resource: [arn('POST', '/inputs/messages'), arn('POST', '/detectors'), arn('POST', '/detectors/delete'), arn('GET', '/detectors/*')],
    }]);
    expect(policyOf(template, stack, { role: reader })).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: arn('GET', '/detectors/*') }]);
    expect(stack.resolve(runtime.apiUrl)).toEqual({
      'Fn::Join': ['', ['https://', { Ref: id(stack, runtime.api) }, '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: stack.getLogicalId(runtime.api.deploymentStage.node.defaultChild as any) }, '/']],
    });
  });
});
