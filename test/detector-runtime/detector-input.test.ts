import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { InputDefinition } from '../../src/detector';
import { DetectorInput, DetectorRuntime } from '../../src/detector-runtime';
import { KinesisExport } from '../../src/stream-manager';

const definition = new InputDefinition({ inputName: 'Telemetry', attributeJsonPaths: ['deviceId', 'temperature'] });

function setup() {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const input = new DetectorInput(stack, 'Input', { definition });
  return { stack, input, runtime: input.runtime };
}
const id = (stack: Stack, c: Construct) => stack.getLogicalId(c.node.defaultChild as any);
const statementsOf = (template: Template, stack: Stack, role: iam.IRole) => {
  const roleId = stack.getLogicalId(role.node.defaultChild as any);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
};
const ingestEnv = (template: Template, stack: Stack, runtime: DetectorRuntime) =>
  template.toJSON().Resources[id(stack, runtime.ingestFunction)].Properties.Environment.Variables;

describe('DetectorInput', () => {
  test('joins the stack runtime by default', () => {
    const { stack, input } = setup();
    expect(input.runtime).toBe(DetectorRuntime.of(stack));
    expect(input.inputName).toBe('Telemetry');
  });

  test('fails when two inputs of a runtime have the same name', () => {
    const { stack } = setup();
    expect(() => new DetectorInput(stack, 'Again', { definition })).toThrow(
      "inputName 'Telemetry' is already used by Stack/Input in the detector runtime Stack/GreengrassV2DetectorRuntime; give each DetectorInput of a runtime its own name");
  });

  test('grantWrite allows execute-api:Invoke on POST /inputs/messages only', () => {
    const { stack, input, runtime } = setup();
    const role = new iam.Role(stack, 'Device', { assumedBy: new iam.AccountRootPrincipal() });
    input.grantWrite(role);
    expect(statementsOf(Template.fromStack(stack), stack, role)).toEqual([{
      Action: 'execute-api:Invoke',
      Effect: 'Allow',
      Resource: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:eu-west-1:111111111111:', { Ref: id(stack, runtime.api) }, '/',
          { Ref: stack.getLogicalId(runtime.api.deploymentStage.node.defaultChild as any) }, '/POST/inputs/messages']],
      },
    }]);
  });

  describe('Kinesis sources', () => {
    test('a Kinesis event source on the ingest function, the stream mapped to the input, read granted on it, failures queued', () => {
      const { stack, input, runtime } = setup();
      const stream = new kinesis.Stream(stack, 'Stream');
      input.addKinesisSource(stream);
      const template = Template.fromStack(stack);
      const failures = runtime.node.findChild('IngestFailures') as Construct;
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [id(stack, stream), 'Arn'] },
        FunctionName: { Ref: id(stack, runtime.ingestFunction) },
        StartingPosition: 'LATEST',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 1,
        MaximumRetryAttempts: 10,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [id(stack, failures), 'Arn'] } } },
      });
      expect(ingestEnv(template, stack, runtime).DETECTOR_KINESIS_INPUTS).toEqual({
        'Fn::Join': ['', ['{"', { 'Fn::GetAtt': [id(stack, stream), 'Arn'] }, '":"Telemetry"}']],
      });
      const statements = statementsOf(template, stack, runtime.ingestFunction.role!);
      expect(statements).toContainEqual(expect.objectContaining({
        Action: expect.arrayContaining(['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStream', 'kinesis:ListShards']),
        Resource: { 'Fn::GetAtt': [id(stack, stream), 'Arn'] },
      }));
      expect(statements).toContainEqual({
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(stack, failures), 'Arn'] },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(stack, failures), 'QueueName'] } }],
      });
    });

    test('a Stream Manager KinesisExport feeds the input from its stream, with the options given', () => {
      const { stack, input, runtime } = setup();
      const stream = new kinesis.Stream(stack, 'Stream');
      input.addStreamExport(new KinesisExport(stream, { identifier: 'to-kinesis' }), { batchSize: 500, maxBatchingWindow: Duration.seconds(5), retryAttempts: 3 });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [id(stack, stream), 'Arn'] },
        FunctionName: { Ref: id(stack, runtime.ingestFunction) },
        BatchSize: 500,
        MaximumBatchingWindowInSeconds: 5,
        MaximumRetryAttempts: 3,
      });
    });

    test('two inputs read two streams: both in the map', () => {
      const { stack, input, runtime } = setup();
      const other = new DetectorInput(stack, 'Other', { definition: new InputDefinition({ inputName: 'Other', attributeJsonPaths: ['a'] }) });
      const a = new kinesis.Stream(stack, 'A');
      const b = new kinesis.Stream(stack, 'B');
      input.addKinesisSource(a);
      other.addKinesisSource(b);
      const env = ingestEnv(Template.fromStack(stack), stack, runtime);
      expect(env.DETECTOR_KINESIS_INPUTS).toEqual({
        'Fn::Join': ['', ['{"', { 'Fn::GetAtt': [id(stack, a), 'Arn'] }, '":"Telemetry","', { 'Fn::GetAtt': [id(stack, b), 'Arn'] }, '":"Other"}']],
      });
    });

    test('fails when a stream already feeds another input', () => {
      const { stack, input } = setup();
      const other = new DetectorInput(stack, 'Other', { definition: new InputDefinition({ inputName: 'Other', attributeJsonPaths: ['a'] }) });
      const stream = new kinesis.Stream(stack, 'Stream');
      input.addKinesisSource(stream);
      expect(() => other.addKinesisSource(stream)).toThrow(
        "input 'Other' addKinesisSource: the Kinesis stream already feeds input 'Telemetry' of this runtime; a stream feeds one input (its records are that input's messages)");
    });

    test.each([
      [Duration.millis(1500), 'Duration.millis(1500) (1.5 s); use Duration.seconds(2)'],
      [Duration.minutes(10), 'Duration.minutes(10) (600 s); use Duration.seconds(300) or less'],
    ])('fails when maxBatchingWindow is %s, naming the input, the option and the fix', (maxBatchingWindow, got) => {
      const { stack, input } = setup();
      expect(() => input.addKinesisSource(new kinesis.Stream(stack, 'Stream'), { maxBatchingWindow })).toThrow(
        `input 'Telemetry' addKinesisSource maxBatchingWindow must be a whole number of seconds from 0 to 300 seconds (Lambda's limit for Kinesis), got ${got}`);
    });

    test('maxBatchingWindow: 0 seconds is allowed', () => {
      const { stack, input } = setup();
      input.addKinesisSource(new kinesis.Stream(stack, 'Stream'), { maxBatchingWindow: Duration.seconds(0) });
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', { MaximumBatchingWindowInSeconds: 0 });
    });

    test.each([0, 10_001, 1.5])('fails when batchSize is %p', (batchSize) => {
      const { stack, input } = setup();
      expect(() => input.addKinesisSource(new kinesis.Stream(stack, 'Stream'), { batchSize })).toThrow(
        `input 'Telemetry' addKinesisSource batchSize is ${batchSize}; use a whole number from 1 to 10000 (Lambda's limit for Kinesis)`);
    });
  });

  describe('topic rules', () => {
    test('a rule with an SQS action to the input queue, consumed by ingest in batches of 100, errors to the runtime error queue', () => {
      const { stack, input, runtime } = setup();
      const rule = input.addTopicRule('Readings', { topicFilter: 'factory/+/telemetry', topicLevels: { deviceId: 2 } });
      const template = Template.fromStack(stack);
      const queue = input.node.findChild('TopicQueue') as Construct;
      const dlq = input.node.findChild('TopicDeadLetterQueue') as Construct;
      const errors = runtime.node.findChild('RuleErrors') as Construct;
      const role = input.node.findChild('ReadingsRole') as iam.Role;
      template.hasResourceProperties('AWS::IoT::TopicRule', {
        TopicRulePayload: {
          Sql: "SELECT *, topic(2) AS deviceId FROM 'factory/+/telemetry'",
          AwsIotSqlVersion: '2016-03-23',
          RuleDisabled: false,
          Description: 'Feeds the detector input Telemetry',
          Actions: [{ Sqs: { QueueUrl: { Ref: id(stack, queue) }, RoleArn: { 'Fn::GetAtt': [id(stack, role), 'Arn'] }, UseBase64: false } }],
          ErrorAction: { Sqs: { QueueUrl: { Ref: id(stack, errors) }, RoleArn: { 'Fn::GetAtt': [id(stack, role), 'Arn'] }, UseBase64: false } },
        },
      });
      expect(rule.node.path).toBe('Stack/Input/Readings');
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        VisibilityTimeout: 360,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [id(stack, dlq), 'Arn'] }, maxReceiveCount: 5 },
      });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [id(stack, queue), 'Arn'] },
        FunctionName: { Ref: id(stack, runtime.ingestFunction) },
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(ingestEnv(template, stack, runtime).DETECTOR_QUEUE_INPUTS).toEqual({
        'Fn::Join': ['', ['{"', { 'Fn::GetAtt': [id(stack, queue), 'Arn'] }, '":"Telemetry"}']],
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'iot.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } }] },
      });
      expect(statementsOf(template, stack, role)).toEqual([
        { Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(stack, queue), 'Arn'] } },
        { Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(stack, errors), 'Arn'] } },
      ]);
      for (const q of [dlq, errors]) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(stack, q), 'QueueName'] } }] });
      }
    });

    test('rules of one input share its queue; sql is used as given; a log group as error action', () => {
      const { stack, input } = setup();
      const logGroup = new logs.LogGroup(stack, 'RuleLogs');
      input.addTopicRule('A', { topicFilter: 'a/#' });
      input.addTopicRule('B', { sql: "SELECT deviceId, temp AS temperature FROM 'b/+/x' WHERE temp > 0", errorLogGroup: logGroup, description: 'b' });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2); // the runtime queue and this input's queue
      template.hasResourceProperties('AWS::IoT::TopicRule', { TopicRulePayload: Match.objectLike({ Sql: "SELECT * FROM 'a/#'" }) });
      const role = input.node.findChild('BRole') as iam.Role;
      template.hasResourceProperties('AWS::IoT::TopicRule', {
        TopicRulePayload: Match.objectLike({
          Sql: "SELECT deviceId, temp AS temperature FROM 'b/+/x' WHERE temp > 0",
          Description: 'b',
          ErrorAction: { CloudwatchLogs: { LogGroupName: { Ref: id(stack, logGroup) }, RoleArn: { 'Fn::GetAtt': [id(stack, role), 'Arn'] } } },
        }),
      });
      expect(statementsOf(template, stack, role)).toContainEqual({
        Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(stack, logGroup), 'Arn'] },
      });
    });

    test.each([
      [{ topicFilter: 'a/b#' }, "input 'Telemetry' addTopicRule('R'): topicFilter 'a/b#' is not a valid MQTT topic filter: '#' must be a whole level and the last one (level 2 is 'b#')"],
      [{ topicFilter: 'a/#/c' }, "topicFilter 'a/#/c' is not a valid MQTT topic filter: '#' must be a whole level and the last one (level 2 is '#')"],
      [{ topicFilter: 'a/b+/c' }, "topicFilter 'a/b+/c' is not a valid MQTT topic filter: '+' must be a whole level (level 2 is 'b+')"],
      [{ topicFilter: '' }, "topicFilter '' is not a valid MQTT topic filter: it is empty"],
      [{ topicFilter: 'a/b/c/d/e/f/g/h/i' }, 'it has 8 slashes (AWS IoT allows at most 7)'],
      [{ sql: "SELECT * FROM 'a/+x'" }, "the FROM clause 'a/+x' is not a valid MQTT topic filter: '+' must be a whole level (level 2 is '+x')"],
      [{ sql: 'SELECT * FROM topic' }, "input 'Telemetry' addTopicRule('R'): sql 'SELECT * FROM topic' has no FROM '<topic filter>' clause; write SELECT ... FROM 'my/topic/+'"],
      [{}, "input 'Telemetry' addTopicRule('R'): give exactly one of sql and topicFilter, got neither"],
      [{ sql: "SELECT * FROM 'a'", topicFilter: 'a' }, 'give exactly one of sql and topicFilter, got both'],
      [{ sql: "SELECT * FROM 'a/+'", topicLevels: { deviceId: 2 } }, 'topicLevels works with topicFilter only; with sql, select the levels yourself (topic(3) AS deviceId)'],
      [{ topicFilter: 'a/+', topicLevels: { deviceId: 3 } }, "topicLevels.deviceId is 3, but topic filter 'a/+' has 2 levels; use a level from 1 to 2"],
      [{ topicFilter: 'a/+', topicLevels: { 'device-id': 2 } }, "topicLevels attribute 'device-id' is not a valid IoT SQL alias"],
      // An attribute the rule adds must be one of the input's, or no model can read it.
      [{ topicFilter: 'f/+/x', topicLevels: { device: 2 } }, "input 'Telemetry' addTopicRule('R'): topicLevels attribute 'device' is not an attribute "
        + "of input 'Telemetry' (its attributes: 'deviceId', 'temperature'), so no detector model could read it; did you mean 'deviceId'? "
        + "name one of its attributes, or add 'device' to the input's attributeJsonPaths"],
      [{ topicFilter: 'f/+/x', topicLevels: { line: 1 } }, "topicLevels attribute 'line' is not an attribute of input 'Telemetry' (its attributes: "
        + "'deviceId', 'temperature'), so no detector model could read it; name one of its attributes, or add 'line' to the input's attributeJsonPaths"],
      [{ topicFilter: 'f/+/x', topicLevels: { deviceID: 2 } }, "topicLevels attribute 'deviceID' is not an attribute of input 'Telemetry' "
        + "(its attributes: 'deviceId', 'temperature'), so no detector model could read it; did you mean 'deviceId'? name one of its attributes"],
      [{ sql: "SELECT *, topic(2) AS device FROM 'f/+/x'" }, "sql alias 'device' (AS device) is not an attribute of input 'Telemetry'"],
      [{ sql: "SELECT deviceId, temp AS temprature FROM 'f/+/x' WHERE temp > 0" },
        "sql alias 'temprature' (AS temprature) is not an attribute of input 'Telemetry' (its attributes: 'deviceId', 'temperature'), "
        + "so no detector model could read it; did you mean 'temperature'?"],
      // The rule SQL quotes the filter (FROM '<filter>'): AWS IoT SQL has no escape for a quote there.
      [{ topicFilter: "factory/it's/x" }, "input 'Telemetry' addTopicRule('R'): topicFilter 'factory/it's/x' cannot be used in a topic rule: level 2 holds a "
        + "single quote ('), which the FROM clause of AWS IoT SQL cannot carry: the filter is quoted with it, and AWS IoT SQL has no escape for it there; "
        + "rename the topic, or match that level with '+'"],
      [{ topicFilter: "'" }, "topicFilter ''' cannot be used in a topic rule: level 1 holds a single quote"],
      [{ topicFilter: 'a/b\nc' }, 'cannot be used in a topic rule: it holds the control character U+000A, which would break the rule\'s SQL'],
      [{ sql: "SELECT * FROM 'factory/it's/x'" }, 'input \'Telemetry\' addTopicRule(\'R\'): sql "SELECT * FROM \'factory/it\'s/x\'" is not valid AWS IoT SQL: '
        + 'it has 3 single quotes, so a quoted string or the topic filter is not closed; fix the quoting, or rename the topic'],
      [{ sql: "SELECT * FROM 'a/it's/b's'" }, 'sql "SELECT * FROM \'a/it\'s/b\'s\'" is not valid AWS IoT SQL: its FROM clause\'s topic filter ends at the quote '
        + 'after \'a/it\' and is followed by "s/b\'s\'", where only a WHERE clause may follow; a topic filter cannot hold a single quote'],
      [{ sql: "SELECT * FROM 'a/\tb'" }, "the FROM clause 'a/\tb' cannot be used in a topic rule: it holds the control character U+0009"],
    ])('fails when %j', (options, message) => {
      const { input } = setup();
      expect(() => input.addTopicRule('R', options)).toThrow(message);
    });

    test('accepts topic levels and aliases that are the input\'s attributes, or the first level of a nested one', () => {
      const stack = new Stack(new App(), 'Nested');
      const input = new DetectorInput(stack, 'Motor', { definition: new InputDefinition({ inputName: 'Motor', attributeJsonPaths: ['motor.id', 'pressure'] }) });
      expect(() => input.addTopicRule('A', { topicFilter: 'm/+/p', topicLevels: { pressure: 2 } })).not.toThrow();
      expect(() => input.addTopicRule('B', { sql: "SELECT {'id': topic(2)} AS motor, p AS pressure FROM 'm/+/q'" })).not.toThrow();
      expect(() => input.addTopicRule('C', { topicFilter: 'm/+/r', topicLevels: { id: 2 } })).toThrow(
        "topicLevels attribute 'id' is not an attribute of input 'Motor' (its attributes: 'motor.id', 'pressure')");
    });

    test('accepts quotes the SQL can carry: in the WHERE clause, around a literal', () => {
      const { input } = setup();
      expect(() => input.addTopicRule('R', { sql: "SELECT * FROM 'a/+' WHERE kind = 'reading' AND topic(2) <> 'x'" })).not.toThrow();
    });

    test('accepts the MQTT wildcard forms', () => {
      const { input } = setup();
      for (const [i, topicFilter] of ['#', '+', 'a/+/b', 'a/#', '+/+/#', '$aws/things/+/shadow/update/accepted'].entries()) {
        expect(() => input.addTopicRule(`R${i}`, { topicFilter })).not.toThrow();
      }
    });
  });
});
