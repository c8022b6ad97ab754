import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { lineOverheatDetector, lineTelemetryInput } from '../../examples/line-telemetry-detector';
import {
  DetectorModelDefinition, DynamoDbPutItemAction, DynamoDbV2PutItemAction, Expression, FirehosePutRecordAction, InputDefinition,
  IotEventsPutMessageAction, IotSiteWiseAction, IotTopicPublishAction, LambdaInvokeAction, Payload, SetVariableAction, SnsTopicPublishAction,
  SqsQueueAction, State,
} from '../../src/detector';
import { DetectorInput, DetectorModel, DetectorRuntime } from '../../src/detector-runtime';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const id = (stack: Stack, c: Construct) => stack.getLogicalId(c.node.defaultChild as any);
const statementsOf = (template: Template, stack: Stack, role: iam.IRole) => {
  const roleId = stack.getLogicalId(role.node.defaultChild as any);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
};
const arn = (service: string, resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:eu-west-1:111111111111:${resource}`]] });

function stackWithInput() {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const input = new DetectorInput(stack, 'Telemetry', { definition: lineTelemetryInput });
  return { stack, input, runtime: input.runtime };
}

/** A one-state model whose onInput runs the given actions. */
function modelWith(actions: any[], name = 'actions') {
  const t = Expression.inputAttribute(lineTelemetryInput, 'temperature');
  return new DetectorModelDefinition({
    detectorModelName: name,
    detectorKey: 'deviceId',
    initialState: new State({ stateName: 'Watching', onInput: [{ eventName: 'hot', condition: Expression.gt(t, Expression.number(80)), actions }] }),
    inputs: [lineTelemetryInput],
  });
}

describe('DetectorModel', () => {
  test('registers the model in the table at deploy: the definition with its inputs, written by the runtime provider', () => {
    const { stack, input, runtime } = stackWithInput();
    const definition = lineOverheatDetector();
    const model = new DetectorModel(stack, 'Overheat', { definition, inputs: [input] });
    const template = Template.fromStack(stack);
    const resource = template.toJSON().Resources[stack.getLogicalId(model.registration.node.defaultChild as any)];
    expect(resource.Type).toBe('Custom::GreengrassV2DetectorModel');
    expect(resource.Properties.TableName).toEqual({ Ref: id(stack, runtime.table) });
    expect(resource.Properties.DetectorModelName).toBe('line-1-overheat');
    expect(JSON.parse(resource.Properties.Definition)).toEqual({
      detectorModel: definition._renderApi(),
      inputs: [lineTelemetryInput._renderApi()],
    });
    const env = template.toJSON().Resources[id(stack, runtime.processorFunction)].Properties.Environment.Variables;
    expect(env.DETECTOR_MODEL_NAMES).toBe('line-1-overheat');
  });

  test('the provider may get, put and delete only the model items of the runtime table', () => {
    const { stack, input, runtime } = stackWithInput();
    new DetectorModel(stack, 'Overheat', { definition: lineOverheatDetector(), inputs: [input] });
    new DetectorModel(stack, 'Second', { definition: modelWith([], 'second'), inputs: [input] });
    const template = Template.fromStack(stack);
    const provider = stack.node.findChild('GreengrassV2DetectorRuntimeProvider') as any;
    expect(statementsOf(template, stack, provider.onEventFunction.role)).toEqual([{
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [id(stack, runtime.table), 'Arn'] },
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['model#*'] } },
    }]);
    const env = template.toJSON().Resources[id(stack, runtime.ingestFunction)].Properties.Environment.Variables;
    expect(env.DETECTOR_MODEL_NAMES).toBe('line-1-overheat,second');
  });

  test('a model without a name gets one from its path', () => {
    const { stack, input } = stackWithInput();
    const t = Expression.inputAttribute(lineTelemetryInput, 'temperature');
    const definition = new DetectorModelDefinition({
      initialState: new State({ stateName: 'S', onInput: [{ eventName: 'e', condition: Expression.gt(t, Expression.number(1)), actions: [] }] }),
    });
    const model = new DetectorModel(stack, 'Unnamed', { definition, inputs: [input] });
    expect(model.detectorModelName).toMatch(/^StackUnnamed[A-F0-9]{8}$/);
  });

  test('grants the processor exactly what each external action needs', () => {
    const { stack, input, runtime } = stackWithInput();
    const topic = new sns.Topic(stack, 'Alerts');
    const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:eu-west-1:111111111111:function:notify');
    const queue = new sqs.Queue(stack, 'Out');
    const table = new dynamodb.Table(stack, 'History', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new DetectorInput(stack, 'Loop', { definition: new InputDefinition({ inputName: 'Loop', attributeJsonPaths: ['x'] }) });
    const actions = [
      // the operation of the 'any' table is read from this variable when the action runs
      new SetVariableAction('op', Expression.string('UPDATE')),
      new SnsTopicPublishAction(topic),
      new LambdaInvokeAction(fn),
      new IotTopicPublishAction('alerts/${$input.LineTelemetry.deviceId}/hot'),
      new IotTopicPublishAction("'alerts/fixed'"),
      new SqsQueueAction(queue),
      SqsQueueAction.fromQueueUrl('https://sqs.eu-west-1.amazonaws.com/222222222222/elsewhere'),
      FirehosePutRecordAction.fromDeliveryStreamName('history'),
      new DynamoDbPutItemAction(table, { hashKeyField: "'id'", hashKeyValue: '$input.LineTelemetry.deviceId' }),
      DynamoDbPutItemAction.fromTableName('gone', { hashKeyField: "'id'", hashKeyValue: "'x'", operation: "'DELETE'" }),
      DynamoDbPutItemAction.fromTableName('counts', { hashKeyField: "'id'", hashKeyValue: "'x'", operation: "'UPDATE'" }),
      DynamoDbPutItemAction.fromTableName('any', { hashKeyField: "'id'", hashKeyValue: "'x'", operation: '$variable.op' }),
      DynamoDbV2PutItemAction.fromTableName('wide'),
      new IotSiteWiseAction({ assetId: 'a1b2', propertyId: 'p1', propertyValue: { doubleValue: '$input.LineTelemetry.temperature' } }),
      new IotSiteWiseAction({ propertyAlias: "'/line/1/temperature'", propertyValue: { doubleValue: '$input.LineTelemetry.temperature' } }),
      IotEventsPutMessageAction.fromInputName('Loop'),
    ];
    new DetectorModel(stack, 'Model', { definition: modelWith(actions), inputs: [input] });
    const template = Template.fromStack(stack);
    const statements = statementsOf(template, stack, runtime.processorFunction.role!);
    const own = statements.slice(5); // after the runtime's own five
    expect(own).toEqual([
      { Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: id(stack, topic) } },
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: 'arn:aws:lambda:eu-west-1:111111111111:function:notify' },
      { Action: 'iot:Publish', Effect: 'Allow', Resource: arn('iot', 'topic/alerts/*/hot') },
      { Action: 'iot:Publish', Effect: 'Allow', Resource: arn('iot', 'topic/alerts/fixed') },
      {
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:',
            { 'Fn::Select': [1, { 'Fn::Split': ['.', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: id(stack, queue) }] }] }] }] }, ':',
            { 'Fn::Select': [3, { 'Fn::Split': ['/', { Ref: id(stack, queue) }] }] }, ':',
            { 'Fn::Select': [4, { 'Fn::Split': ['/', { Ref: id(stack, queue) }] }] }]],
        },
      },
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:eu-west-1:222222222222:elsewhere']] } },
      { Action: 'firehose:PutRecord', Effect: 'Allow', Resource: arn('firehose', 'deliverystream/history') },
      {
        Action: 'dynamodb:PutItem',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:eu-west-1:111111111111:table/', { Ref: id(stack, table) }]] },
      },
      { Action: 'dynamodb:DeleteItem', Effect: 'Allow', Resource: arn('dynamodb', 'table/gone') },
      { Action: 'dynamodb:UpdateItem', Effect: 'Allow', Resource: arn('dynamodb', 'table/counts') },
      { Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], Effect: 'Allow', Resource: arn('dynamodb', 'table/any') },
      { Action: 'dynamodb:PutItem', Effect: 'Allow', Resource: arn('dynamodb', 'table/wide') },
      { Action: 'iotsitewise:BatchPutAssetPropertyValue', Effect: 'Allow', Resource: arn('iotsitewise', 'asset/a1b2') },
      { Action: 'iotsitewise:BatchPutAssetPropertyValue', Effect: 'Allow', Resource: [arn('iotsitewise', 'time-series/*'), arn('iotsitewise', 'asset/*')] },
    ]);
    // MQTT publishing needs the account's IoT data endpoint, read at deploy time.
    const env = template.toJSON().Resources[id(stack, runtime.processorFunction)].Properties.Environment.Variables;
    expect(env.DETECTOR_IOT_DATA_ENDPOINT).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^GreengrassV2IotEndpoints/), 'DataEndpoint'] });
  });

  test('a model without MQTT actions gets no IoT endpoint lookup', () => {
    const { stack, input, runtime } = stackWithInput();
    new DetectorModel(stack, 'Model', { definition: modelWith([FirehosePutRecordAction.fromDeliveryStreamName('h')]), inputs: [input] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::GreengrassV2IotEndpoints', 0);
    const env = template.toJSON().Resources[id(stack, runtime.processorFunction)].Properties.Environment.Variables;
    expect(env.DETECTOR_IOT_DATA_ENDPOINT).toBeUndefined();
  });

  test('grantRead allows DescribeDetector and ListDetectors of this model only', () => {
    const { stack, input, runtime } = stackWithInput();
    const model = new DetectorModel(stack, 'Model', { definition: lineOverheatDetector(), inputs: [input] });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    model.grantRead(role);
    const stage = { Ref: stack.getLogicalId(runtime.api.deploymentStage.node.defaultChild as any) };
    const method = (path: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:eu-west-1:111111111111:', { Ref: id(stack, runtime.api) }, '/', stage, `/GET${path}`]],
    });
    expect(statementsOf(Template.fromStack(stack), stack, role)).toEqual([{
      Action: 'execute-api:Invoke',
      Effect: 'Allow',
      Resource: [method('/detectors/line-1-overheat'), method('/detectors/line-1-overheat/keyValues'), method('/detectors/line-1-overheat/keyValues/')],
    }]);
  });

  test('fails when the model reads an input that is not among its inputs', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const other = new DetectorInput(stack, 'Other', { definition: new InputDefinition({ inputName: 'Other', attributeJsonPaths: ['deviceId'] }) });
    expect(() => new DetectorModel(stack, 'Model', { definition: lineOverheatDetector(), inputs: [other] })).toThrow(
      "detector model 'line-1-overheat' reads input 'LineTelemetry', which is not in its inputs ('Other'); pass the DetectorInput of each input it reads in inputs");
  });

  test('fails when the detector key is not an attribute of the inputs the model reads, naming the nearest', () => {
    const { stack, input } = stackWithInput();
    const t = Expression.inputAttribute(lineTelemetryInput, 'temperature');
    const definition = new DetectorModelDefinition({
      detectorModelName: 'keyed',
      detectorKey: 'deviceID',
      initialState: new State({ stateName: 'Watching', onInput: [{ eventName: 'hot', condition: Expression.gt(t, Expression.number(80)), actions: [] }] }),
    });
    expect(() => new DetectorModel(stack, 'Model', { definition, inputs: [input] })).toThrow(
      "detector model 'keyed' detectorKey 'deviceID' is not an attribute, nor a path inside one, of the input it reads "
      + "(LineTelemetry: deviceId, temperature, timestamp): did you mean 'deviceId'? every message would reach no detector: "
      + "set detectorKey to one of these attributes or a path inside one, or add 'deviceID' to the attributeJsonPaths of the input whose messages carry it");
  });

  test('a model read from JSON whose key its inputs do not declare deploys with a warning', () => {
    const { stack, input } = stackWithInput();
    const definition = DetectorModelDefinition.fromJson({
      detectorModelName: 'cranes',
      key: 'craneid',
      detectorModelDefinition: {
        initialStateName: 'Watching',
        states: [{ stateName: 'Watching', onInput: { events: [{ eventName: 'hot', condition: '$input.LineTelemetry.temperature > 80', actions: [] }] } }],
      },
    });
    new DetectorModel(stack, 'Model', { definition, inputs: [input] });
    Annotations.fromStack(stack).hasWarning('/Stack/Model', Match.stringLikeRegexp(
      "^detector model 'cranes' key 'craneid' is not an attribute, nor a path inside one, of the input it reads \\(LineTelemetry: deviceId, temperature, timestamp\\); "
      + "the nearest attribute is '.*'; accepted because the model was read from JSON.*\\[ack: cdk-greengrass-v2:detectorKeyNotDeclared\\]$"));
  });

  test('a model read from JSON that reads an attribute its input does not declare deploys with a warning', () => {
    const { stack, input } = stackWithInput();
    const definition = DetectorModelDefinition.fromJson({
      detectorModelName: 'humid',
      key: 'deviceId',
      detectorModelDefinition: {
        initialStateName: 'Watching',
        states: [{ stateName: 'Watching', onInput: { events: [{ eventName: 'wet', condition: '$input.LineTelemetry.hum > 80', actions: [] }] } }],
      },
    });
    new DetectorModel(stack, 'Model', { definition, inputs: [input] });
    Annotations.fromStack(stack).hasWarning('/Stack/Model', Match.stringLikeRegexp(
      "^detector model 'humid' state 'Watching', event 'wet', onInput condition, at position 1: input 'LineTelemetry' does not declare the attribute "
      + "'hum' read in .*it is read from the whole payload.*\\[ack: cdk-greengrass-v2:detectorAttributeNotDeclared\\]$"));
  });

  test('an input in inputs that no expression reads gets a warning: its messages reach none of the model\'s detectors', () => {
    const { stack, input } = stackWithInput();
    const other = new DetectorInput(stack, 'Commands', { definition: new InputDefinition({ inputName: 'Commands', attributeJsonPaths: ['deviceId', 'command'] }) });
    new DetectorModel(stack, 'Model', { definition: modelWith([], 'reads-telemetry'), inputs: [input, other] });
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Model', Match.anyValue());
    expect(warnings.map((w) => w.entry.data)).toEqual([expect.stringMatching(
      /^detector model 'reads-telemetry' lists input 'Commands' in inputs, but no expression of the model reads it: its messages reach none of its detectors .*\[ack: cdk-greengrass-v2:detectorInputNotRead\]$/)]);
    // every input read: no warning
    const clean = stackWithInput();
    new DetectorModel(clean.stack, 'Model', { definition: modelWith([], 'reads-telemetry'), inputs: [clean.input] });
    expect(Annotations.fromStack(clean.stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('fails when an input belongs to another runtime', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const runtime = new DetectorRuntime(stack, 'Mine');
    const input = new DetectorInput(stack, 'Telemetry', { definition: lineTelemetryInput });
    expect(() => new DetectorModel(stack, 'Model', { definition: lineOverheatDetector(), inputs: [input], runtime })).toThrow(
      "detector model 'line-1-overheat': input 'LineTelemetry' (Stack/Telemetry) belongs to the runtime Stack/GreengrassV2DetectorRuntime, not to Stack/Mine; "
      + 'create the input in the model\'s runtime (DetectorInput runtime prop)');
  });

  test('fails when two models of a runtime have the same name', () => {
    const { stack, input } = stackWithInput();
    new DetectorModel(stack, 'A', { definition: lineOverheatDetector(), inputs: [input] });
    expect(() => new DetectorModel(stack, 'B', { definition: lineOverheatDetector(), inputs: [input] })).toThrow(
      "detectorModelName 'line-1-overheat' is already registered in the detector runtime Stack/GreengrassV2DetectorRuntime; give each DetectorModel of a runtime its own name");
  });

  test('fails at synth when an iotEvents action sends to an input the runtime does not have', () => {
    const { stack, input } = stackWithInput();
    new DetectorModel(stack, 'Model', { definition: modelWith([IotEventsPutMessageAction.fromInputName('Nowhere')]), inputs: [input] });
    expect(() => Template.fromStack(stack)).toThrow(
      "detector model 'actions' has an iotEvents action to input 'Nowhere', which is not an input of the runtime Stack/GreengrassV2DetectorRuntime");
  });

  // A model read from a template of ours: its alert function is a resource of that template.
  const importedJson = {
    Resources: {
      AlertFn34CD: { Type: 'AWS::Lambda::Function', Properties: {} },
      Model: {
        Type: 'AWS::IoTEvents::DetectorModel',
        Properties: {
          DetectorModelName: 'imported',
          Key: 'deviceId',
          DetectorModelDefinition: {
            InitialStateName: 'Watching',
            States: [{ StateName: 'Watching', OnInput: { Events: [{ EventName: 'hot', Condition: '$input.LineTelemetry.temperature > 80', Actions: [{ Lambda: { FunctionArn: { 'Fn::GetAtt': ['AlertFn34CD', 'Arn'] } } }] }] } }],
          },
        },
      },
    },
  };

  test('fails when the definition keeps an intrinsic of the template it was read from, naming the refs entry', () => {
    const { stack, input } = stackWithInput();
    const definition = DetectorModelDefinition.fromJson(importedJson);
    expect(() => new DetectorModel(stack, 'Imported', { definition, inputs: [input] })).toThrow(
      "detector model 'imported': detectorModelDefinition.states[0].onInput.events[0].actions[0].lambda.functionArn is {\"Fn::GetAtt\":[\"AlertFn34CD\",\"Arn\"]}, "
      + 'an intrinsic of the template the model was read from; the runtime needs its value: read the model with '
      + "DetectorModelDefinition.fromJson(json, { refs: { 'AlertFn34CD.Arn': <value> } }) (a value may be a CDK attribute such as fn.functionArn)");
  });

  test('an intrinsic given a CDK attribute through refs deploys with that attribute and its grant', () => {
    const { stack, input, runtime } = stackWithInput();
    const fn = lambda.Function.fromFunctionArn(stack, 'Alert', 'arn:aws:lambda:eu-west-1:111111111111:function:alert');
    const definition = DetectorModelDefinition.fromJson(importedJson, { refs: { 'AlertFn34CD.Arn': fn.functionArn } });
    new DetectorModel(stack, 'Imported', { definition, inputs: [input] });
    const statements = statementsOf(Template.fromStack(stack), stack, runtime.processorFunction.role!);
    expect(statements).toContainEqual({ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: 'arn:aws:lambda:eu-west-1:111111111111:function:alert' });
  });

  test('fails when the definition does not fit in one DynamoDB item', () => {
    const { stack, input } = stackWithInput();
    // 360 states of about 1.3 KB: under IoT Events' 512 KB, over DynamoDB's 400 KB per item.
    const states = Array.from({ length: 360 }, (_, i) => new State({
      stateName: `s${i}`,
      onEnter: [{ eventName: 'e', actions: [new IotTopicPublishAction("'t'", { payload: Payload.text(`'${'x'.repeat(1000)}'`) })] }],
    }));
    const when = Expression.currentInput(lineTelemetryInput);
    states.slice(1).forEach((next, i) => states[i].transitionTo(next, { when }));
    const definition = new DetectorModelDefinition({ detectorModelName: 'big', initialState: states[0], inputs: [lineTelemetryInput] });
    expect(() => new DetectorModel(stack, 'Big', { definition, inputs: [input] })).toThrow(
      /^detector model 'big': its definition with its inputs is \d+ bytes; the runtime keeps it in one DynamoDB item \(at most 400 KB\), so it accepts at most 408576 bytes; split the model into several detector models$/);
  });
});
