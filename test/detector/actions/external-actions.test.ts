import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  DetectorModelDefinition, DynamoDbPutItemAction, DynamoDbV2PutItemAction, Expression, FirehosePutRecordAction, FirehoseSeparator, IAction,
  InputDefinition, IotEventsPutMessageAction, IotSiteWiseAction, IotTopicPublishAction, LambdaInvokeAction, Payload, SetVariableAction,
  SnsTopicPublishAction, SqsQueueAction, State,
} from '../../../src/detector';

const payload = Payload.json("'{\"t\": ${$input.In.t}}'");
const jsonPayload = { contentExpression: "'{\"t\": ${$input.In.t}}'", type: 'JSON' };

describe('external actions', () => {
  test.each<[string, IAction, unknown]>([
    ['SNS by ARN', SnsTopicPublishAction.fromTopicArn('arn:aws:sns:us-east-1:1:t', { payload }), { sns: { targetArn: 'arn:aws:sns:us-east-1:1:t', payload: jsonPayload } }],
    ['Lambda by ARN', LambdaInvokeAction.fromFunctionArn('arn:aws:lambda:us-east-1:1:function:f'), { lambda: { functionArn: 'arn:aws:lambda:us-east-1:1:function:f' } }],
    ['IoT topic', new IotTopicPublishAction('a/${$input.In.id}', { payload: Payload.text("'hot'") }), { iotTopicPublish: { mqttTopic: 'a/${$input.In.id}', payload: { contentExpression: "'hot'", type: 'STRING' } } }],
    ['iotEvents by input', new IotEventsPutMessageAction(new InputDefinition({ inputName: 'Other', attributeJsonPaths: ['x'] })), { iotEvents: { inputName: 'Other' } }],
    ['SQS by URL', SqsQueueAction.fromQueueUrl('https://sqs.us-east-1.amazonaws.com/1/q', { useBase64: true }), { sqs: { queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', useBase64: true } }],
    ['Firehose by name', FirehosePutRecordAction.fromDeliveryStreamName('s', { separator: FirehoseSeparator.NEWLINE }), { firehose: { deliveryStreamName: 's', separator: '\n' } }],
    ['DynamoDB by name', DynamoDbPutItemAction.fromTableName('t', { hashKeyField: "'id'", hashKeyValue: '$input.In.id', rangeKeyField: "'at'", rangeKeyValue: '$input.In.at', operation: "'UPDATE'", payloadField: "'p'" }),
      { dynamoDB: { hashKeyField: "'id'", hashKeyValue: '$input.In.id', rangeKeyField: "'at'", rangeKeyValue: '$input.In.at', operation: "'UPDATE'", payloadField: "'p'", tableName: 't' } }],
    ['DynamoDBv2 by name', DynamoDbV2PutItemAction.fromTableName('t', { payload }), { dynamoDBv2: { tableName: 't', payload: jsonPayload } }],
    ['SiteWise by alias', new IotSiteWiseAction({ propertyAlias: "'/line/1/t'", propertyValue: { doubleValue: '$input.In.t', timeInSeconds: '$input.In.at', quality: "'GOOD'" } }),
      { iotSiteWise: { propertyAlias: "'/line/1/t'", propertyValue: { value: { doubleValue: '$input.In.t' }, timestamp: { timeInSeconds: '$input.In.at' }, quality: "'GOOD'" } } }],
  ])('%s renders its API shape', (_, action, shape) => {
    expect(action.renderActionConfig().configuration).toEqual(shape);
    // And a model holding it is accepted.
    expect(() => new DetectorModelDefinition({ initialState: new State({ stateName: 'S', onEnter: [{ eventName: 'e', actions: [action] }] }) })).not.toThrow();
  });

  test('actions on CDK resources reference them by token', () => {
    const stack = new Stack(new App(), 'S');
    const topic = new sns.Topic(stack, 'T');
    const queue = new sqs.Queue(stack, 'Q');
    const table = new dynamodb.Table(stack, 'D', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const fn = new lambda.Function(stack, 'F', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.h', code: lambda.Code.fromInline('exports.h=()=>{}') });
    const actions = [new SnsTopicPublishAction(topic), new SqsQueueAction(queue), new DynamoDbV2PutItemAction(table), new LambdaInvokeAction(fn)];
    const resolved = stack.resolve(actions.map((a) => a.renderActionConfig().configuration));
    const id = (c: any) => stack.getLogicalId(c.node.defaultChild);
    expect(resolved).toEqual([
      { sns: { targetArn: { Ref: id(topic) } } },
      { sqs: { queueUrl: { Ref: id(queue) } } },
      { dynamoDBv2: { tableName: { Ref: id(table) } } },
      { lambda: { functionArn: { 'Fn::GetAtt': [id(fn), 'Arn'] } } },
    ]);
    expect(() => new DetectorModelDefinition({ initialState: new State({ stateName: 'S', onEnter: [{ eventName: 'e', actions }] }) })).not.toThrow();
  });

  test.each<[string, IAction, RegExp]>([
    ['a SiteWise value with two variants', new IotSiteWiseAction({ propertyAlias: "'a'", propertyValue: { doubleValue: '1', integerValue: '1' } }), /propertyValue.value must have exactly one of stringValue, integerValue, doubleValue, booleanValue, got integerValue, doubleValue/],
    ['a SiteWise property without alias nor IDs', new IotSiteWiseAction({ assetId: "'a'", propertyValue: { doubleValue: '1' } }), /iotSiteWise needs a propertyAlias, or both assetId and propertyId/],
    ['a DynamoDBv2 STRING payload', DynamoDbV2PutItemAction.fromTableName('t', { payload: Payload.text("'x'") }), /dynamoDBv2 payload type must be JSON/],
    ['a content expression over 1 KB', SnsTopicPublishAction.fromTopicArn('arn:aws:sns:us-east-1:1:t', { payload: Payload.text(`'${'x'.repeat(1100)}'`) }), /payload contentExpression must be 1 to 1024 characters long, got 1102/],
    ['an MQTT topic over 128 characters', new IotTopicPublishAction('t'.repeat(129)), /mqttTopic must be 1 to 128 characters long, got 129/],
    ['an input name with a dash', IotEventsPutMessageAction.fromInputName('my-input'), /iotEvents inputName "my-input" does not match/],
  ])('fails on %s', (_, action, message) => {
    expect(() => new DetectorModelDefinition({ initialState: new State({ stateName: 'S', onEnter: [{ eventName: 'e', actions: [action] }] }) })).toThrow(message);
  });

  test('fails on an empty payload', () => {
    expect(() => Payload.json('')).toThrow(/payload contentExpression must not be empty/);
  });

  test('fails when a text field holds an expression with a mistake (IoT SQL\'s timestamp(), a misspelt variable)', () => {
    const model = (action: IAction) => new DetectorModelDefinition({
      initialState: new State({ stateName: 'S', onEnter: [{ eventName: 'e', actions: [new SetVariableAction('deviceId', Expression.fromString('1')), action] }] }),
    });
    expect(() => model(DynamoDbPutItemAction.fromTableName('t', { hashKeyField: "'id'", hashKeyValue: '$variable.deviceId', rangeKeyValue: 'timestamp()' })))
      .toThrow('state \'S\', event \'e\', onEnter actions[1].dynamoDB.rangeKeyValue, at position 1: unknown function \'timestamp()\': IoT Events has');
    expect(() => model(new IotTopicPublishAction('$variable.deviceID')))
      .toThrow('onEnter actions[1].iotTopicPublish.mqttTopic, at position 1: unknown variable \'deviceID\' in $variable.deviceID: did you mean $variable.deviceId?');
    expect(() => model(new IotTopicPublishAction('devices/${$variable.deviceId}/alarm'))).not.toThrow();
  });
});
