// Exact commands the engine sends: external actions, schedules, ingest batches (aws-sdk-client-mock).
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { FirehoseClient, PutRecordCommand } from '@aws-sdk/client-firehose';
import { IoTDataPlaneClient, PublishCommand as IotPublishCommand } from '@aws-sdk/client-iot-data-plane';
import { BatchPutAssetPropertyValueCommand, IoTSiteWiseClient } from '@aws-sdk/client-iotsitewise';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ConflictException, CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { PublishCommand as SnsPublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { REFERENCE, T0 } from './reference-model';
import { ActionClients, ActionContext, executeAction } from '../../../src/detector-runtime/private/engine/actions';
import { Ingest, batchRequests, packWorks, routeMessages } from '../../../src/detector-runtime/private/engine/ingest';
import { LoadedModel, ModelRegistry } from '../../../src/detector-runtime/private/engine/models';
import { OutboxEntry } from '../../../src/detector-runtime/private/engine/state-store';
import { TimerScheduler, atExpression, queueArnFromUrl } from '../../../src/detector-runtime/private/engine/timers';
import { deduplicationId, scheduleName, sha256Hex } from '../../../src/detector-runtime/private/engine/work';
import { compileDetectorModel } from '../../../src/private/detector-engine/evaluator';

const mocks = {
  sns: mockClient(SNSClient),
  sqs: mockClient(SQSClient),
  lambda: mockClient(LambdaClient),
  iotData: mockClient(IoTDataPlaneClient),
  dynamodb: mockClient(DynamoDBClient),
  firehose: mockClient(FirehoseClient),
  sitewise: mockClient(IoTSiteWiseClient),
  scheduler: mockClient(SchedulerClient),
};
beforeEach(() => Object.values(mocks).forEach((m) => m.reset()));

const clients: ActionClients = {
  sns: new SNSClient({}),
  sqs: new SQSClient({}),
  lambda: new LambdaClient({}),
  iotData: new IoTDataPlaneClient({}),
  dynamodb: new DynamoDBClient({}),
  firehose: new FirehoseClient({}),
  sitewise: new IoTSiteWiseClient({}),
};
const reinjected: any[] = [];
const ctx: ActionContext = {
  detectorModelName: 'motorPressure',
  keyValue: 'm1',
  timeMs: T0 + 1500,
  reinject: async (...args) => {
    reinjected.push(args);
  },
};
const entry = (type: OutboxEntry['type'], config: Record<string, unknown>, payload = '{"a":1}', payloadType: 'JSON' | 'STRING' = 'JSON'): OutboxEntry =>
  ({ id: 'w1#0', work: 'w1', type, config, payload, payloadType });
const dedup = sha256Hex('motorPressure#m1#w1#0');

describe('external actions', () => {
  test('sns: Publish the payload; a FIFO topic gets the group and deduplication ids', async () => {
    await executeAction(entry('sns', { targetArn: 'arn:aws:sns:us-east-1:1:alarm' }), clients, ctx);
    await executeAction(entry('sns', { targetArn: 'arn:aws:sns:us-east-1:1:alarm.fifo' }), clients, ctx);
    expect(mocks.sns.commandCalls(SnsPublishCommand).map((c) => c.args[0].input)).toEqual([
      { TopicArn: 'arn:aws:sns:us-east-1:1:alarm', Message: '{"a":1}' },
      { TopicArn: 'arn:aws:sns:us-east-1:1:alarm.fifo', Message: '{"a":1}', MessageGroupId: 'motorPressure#m1', MessageDeduplicationId: dedup },
    ]);
  });

  test('sqs: SendMessage, base64 when useBase64; FIFO queues get the group and deduplication ids', async () => {
    await executeAction(entry('sqs', { queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', useBase64: true }), clients, ctx);
    await executeAction(entry('sqs', { queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q.fifo' }), clients, ctx);
    expect(mocks.sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', MessageBody: Buffer.from('{"a":1}').toString('base64') },
      { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q.fifo', MessageBody: '{"a":1}', MessageGroupId: 'motorPressure#m1', MessageDeduplicationId: dedup },
    ]);
  });

  test('lambda: Invoke with InvocationType Event', async () => {
    await executeAction(entry('lambda', { functionArn: 'arn:aws:lambda:us-east-1:1:function:f' }), clients, ctx);
    expect(mocks.lambda.commandCalls(InvokeCommand)[0].args[0].input).toEqual({
      FunctionName: 'arn:aws:lambda:us-east-1:1:function:f', InvocationType: 'Event', Payload: Buffer.from('{"a":1}'),
    });
  });

  test('iotTopicPublish: IoT Data Plane Publish to the evaluated topic', async () => {
    await executeAction(entry('iotTopicPublish', { mqttTopic: 'motors/m1/cleared' }), clients, ctx);
    expect(mocks.iotData.commandCalls(IotPublishCommand)[0].args[0].input).toEqual({ topic: 'motors/m1/cleared', payload: Buffer.from('{"a":1}') });
  });

  test('dynamoDB: INSERT puts the typed keys and the payload in payloadField; UPDATE and DELETE', async () => {
    const base = { hashKeyField: 'id', hashKeyValue: 'm1', hashKeyType: 'STRING', rangeKeyField: 'ts', rangeKeyValue: '17', rangeKeyType: 'NUMBER', tableName: 't' };
    await executeAction(entry('dynamoDB', base), clients, ctx);
    await executeAction(entry('dynamoDB', { ...base, payloadField: 'doc', operation: 'UPDATE' }, 'hot', 'STRING'), clients, ctx);
    await executeAction(entry('dynamoDB', { ...base, operation: 'DELETE' }), clients, ctx);
    expect(mocks.dynamodb.commandCalls(PutItemCommand)[0].args[0].input).toEqual({
      TableName: 't', Item: { id: { S: 'm1' }, ts: { N: '17' }, payload: { M: { a: { N: '1' } } } },
    });
    expect(mocks.dynamodb.commandCalls(UpdateItemCommand)[0].args[0].input).toEqual({
      TableName: 't',
      Key: { id: { S: 'm1' }, ts: { N: '17' } },
      UpdateExpression: 'SET #p = :p',
      ExpressionAttributeNames: { '#p': 'doc' },
      ExpressionAttributeValues: { ':p': { S: 'hot' } },
    });
    expect(mocks.dynamodb.commandCalls(DeleteItemCommand)[0].args[0].input).toEqual({ TableName: 't', Key: { id: { S: 'm1' }, ts: { N: '17' } } });
  });

  test('dynamoDBv2: the JSON payload is the item', async () => {
    await executeAction(entry('dynamoDBv2', { tableName: 't2' }, '{"id":"m1","n":2,"ok":true}'), clients, ctx);
    expect(mocks.dynamodb.commandCalls(PutItemCommand)[0].args[0].input).toEqual({ TableName: 't2', Item: { id: { S: 'm1' }, n: { N: '2' }, ok: { BOOL: true } } });
  });

  test('firehose: PutRecord with the separator after the payload', async () => {
    await executeAction(entry('firehose', { deliveryStreamName: 's', separator: '\n' }), clients, ctx);
    expect(mocks.firehose.commandCalls(PutRecordCommand)[0].args[0].input).toEqual({ DeliveryStreamName: 's', Record: { Data: Buffer.from('{"a":1}\n') } });
  });

  test('iotSiteWise: one entry, typed value, the work time as default timestamp; an error entry fails the action', async () => {
    mocks.sitewise.on(BatchPutAssetPropertyValueCommand).resolvesOnce({ errorEntries: [] })
      .resolvesOnce({ errorEntries: [{ entryId: 'e', errors: [{ errorCode: 'InvalidRequestException', errorMessage: 'no such alias', timestamps: [] }] }] });
    await executeAction(entry('iotSiteWise', { propertyAlias: '/m1/pressure', propertyValue: { value: { doubleValue: '71.5' }, quality: 'GOOD' } }), clients, ctx);
    expect(mocks.sitewise.commandCalls(BatchPutAssetPropertyValueCommand)[0].args[0].input).toEqual({
      entries: [{
        entryId: dedup,
        propertyAlias: '/m1/pressure',
        propertyValues: [{ value: { doubleValue: 71.5 }, timestamp: { timeInSeconds: Math.floor((T0 + 1500) / 1000), offsetInNanos: 500_000_000 }, quality: 'GOOD' }],
      }],
    });
    await expect(executeAction(entry('iotSiteWise', { propertyAlias: '/x', propertyValue: { value: { integerValue: '3' } } }), clients, ctx))
      .rejects.toThrow('IoT SiteWise refused the value: InvalidRequestException: no such alias');
  });

  test('iotEvents: re-injected into the input with a message id derived from the entry', async () => {
    reinjected.length = 0;
    await executeAction(entry('iotEvents', { inputName: 'Other' }), clients, ctx);
    expect(reinjected).toEqual([['Other', `iotEvents-${dedup.slice(0, 40)}`, '{"a":1}', T0 + 1500]]);
  });
});

describe('timers (EventBridge Scheduler)', () => {
  const timers = new TimerScheduler({
    client: new SchedulerClient({}), groupName: 'detectors', queueArn: 'arn:aws:sqs:us-east-1:1:d.fifo', roleArn: 'arn:aws:iam::1:role/s', now: () => T0,
  });
  const name = scheduleName('motorPressure', 'm1', 'heartbeat');

  test('a new timer: CreateSchedule, one-time, deleting itself, targeting the FIFO group', async () => {
    await timers.sync('motorPressure', 'm1', {}, { heartbeat: { durationSeconds: 300, dueAtMs: T0 + 300_000 } });
    expect(mocks.scheduler.commandCalls(CreateScheduleCommand)[0].args[0].input).toEqual({
      Name: name,
      GroupName: 'detectors',
      ScheduleExpression: 'at(2026-12-02T12:05:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: 'arn:aws:sqs:us-east-1:1:d.fifo',
        RoleArn: 'arn:aws:iam::1:role/s',
        Input: JSON.stringify({ v: 1, detectorModelName: 'motorPressure', keyValue: 'm1', work: [{ kind: 'timer', timerName: 'heartbeat', dueAtMs: T0 + 300_000 }] }),
        SqsParameters: { MessageGroupId: 'motorPressure#m1' },
      },
    });
    expect(name).toMatch(/^t-[0-9a-f]{56}$/);
  });

  test('ConflictException on create → UpdateSchedule; a timer due earlier whose schedule is gone → create again', async () => {
    mocks.scheduler.on(CreateScheduleCommand).rejectsOnce(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    await timers.sync('motorPressure', 'm1', {}, { heartbeat: { durationSeconds: 300, dueAtMs: T0 + 300_000 } });
    expect(mocks.scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(1);
    mocks.scheduler.reset();
    mocks.scheduler.on(UpdateScheduleCommand).rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    await timers.sync('motorPressure', 'm1', { heartbeat: { durationSeconds: 300, dueAtMs: T0 + 120_000 } }, { heartbeat: { durationSeconds: 300, dueAtMs: T0 + 60_000 } });
    expect(mocks.scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(1);
    expect(mocks.scheduler.commandCalls(CreateScheduleCommand)[0].args[0].input.ScheduleExpression).toBe('at(2026-12-02T12:01:00)');
  });

  test('a timer due later sends nothing (the old schedule fires early, stale); after its firing it is created', async () => {
    const before = { heartbeat: { durationSeconds: 300, dueAtMs: T0 + 300_000 } };
    const later = { heartbeat: { durationSeconds: 300, dueAtMs: T0 + 310_000 } };
    await timers.sync('motorPressure', 'm1', before, later);
    expect(mocks.scheduler.calls()).toHaveLength(0);
    await timers.sync('motorPressure', 'm1', later, later, { selfDeleted: ['heartbeat'] });
    expect(mocks.scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input.ScheduleExpression)).toEqual(['at(2026-12-02T12:05:10)']);
    expect(mocks.scheduler.calls()).toHaveLength(1);
  });

  test('a cleared timer: DeleteSchedule, ResourceNotFound ignored; unchanged timers send nothing', async () => {
    mocks.scheduler.on(DeleteScheduleCommand).rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    const t = { heartbeat: { durationSeconds: 300, dueAtMs: T0 } };
    await timers.sync('motorPressure', 'm1', t, {});
    await timers.sync('motorPressure', 'm1', t, t);
    expect(mocks.scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([{ Name: name, GroupName: 'detectors' }]);
    expect(mocks.scheduler.calls()).toHaveLength(1);
  });

  test('at() rounds up to the second and is never in the past', () => {
    expect(atExpression(T0 + 1, T0)).toBe('at(2026-12-02T12:00:01)');
    expect(atExpression(T0 - 60_000, T0 + 200)).toBe('at(2026-12-02T12:00:02)');
    expect(queueArnFromUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/x-detector-events.fifo')).toBe('arn:aws:sqs:eu-west-1:123456789012:x-detector-events.fifo');
  });
});

describe('ingest', () => {
  const model: LoadedModel = {
    name: 'motorPressure',
    version: '1',
    shape: REFERENCE.detectorModel,
    inputs: REFERENCE.inputs,
    compiled: compileDetectorModel(REFERENCE.detectorModel, REFERENCE.inputs),
  };
  const msg = (id: string, motorid: string | undefined, t: number) => ({
    messageId: id, inputName: 'PressureInput', payload: JSON.stringify({ ...(motorid ? { motorid } : {}), sensorData: { pressure: 1 } }), timestampMs: t,
  });

  test('groups per detector, sorts by timestamp, packs one SQS message per detector with exact ids', async () => {
    const messages = [msg('a', 'm1', T0 + 2), msg('b', 'm2', T0), msg('c', 'm1', T0 + 1), msg('d', undefined, T0), { ...msg('e', 'm1', T0), inputName: 'Nope' }];
    const registry = new ModelRegistry({ load: async () => ({ version: '1', definition: REFERENCE }) }, ['motorPressure']);
    mocks.sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const errors = await new Ingest(new SQSClient({}), 'https://sqs.us-east-1.amazonaws.com/1/d.fifo', registry).putMessages(messages);
    expect(errors).toEqual([
      { messageId: 'd', errorCode: 'InvalidRequestException', errorMessage: "the payload has no motorid, the key of detector model 'motorPressure'" },
      { messageId: 'e', errorCode: 'ResourceNotFoundException', errorMessage: "input 'Nope' does not exist; the runtime has PressureInput" },
    ]);
    const input = mocks.sqs.commandCalls(SendMessageBatchCommand)[0].args[0].input;
    const m1Works = [messages[2], messages[0]].map((m) => ({ kind: 'message', ...m }));
    expect(input).toEqual({
      QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/d.fifo',
      Entries: [
        {
          Id: 'e0',
          MessageBody: JSON.stringify({ v: 1, detectorModelName: 'motorPressure', keyValue: 'm1', work: m1Works }),
          MessageGroupId: 'motorPressure#m1',
          MessageDeduplicationId: deduplicationId('motorPressure', 'm1', m1Works as any),
        },
        {
          Id: 'e1',
          MessageBody: JSON.stringify({ v: 1, detectorModelName: 'motorPressure', keyValue: 'm2', work: [{ kind: 'message', ...messages[1] }] }),
          MessageGroupId: 'motorPressure#m2',
          MessageDeduplicationId: deduplicationId('motorPressure', 'm2', [{ kind: 'message', ...messages[1] }] as any),
        },
      ],
    });
  });

  test('a retryable SQS failure is sent again once, then reported against its messages', async () => {
    const registry = new ModelRegistry({ load: async () => ({ version: '1', definition: REFERENCE }) }, ['motorPressure']);
    mocks.sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: 'e0', Code: 'InternalError', SenderFault: false, Message: 'try later' }] });
    const errors = await new Ingest(new SQSClient({}), 'https://sqs.us-east-1.amazonaws.com/1/d.fifo', registry).putMessages([msg('a', 'm1', T0)]);
    expect(mocks.sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
    expect(errors).toEqual([{ messageId: 'a', errorCode: 'InternalFailureException', errorMessage: 'the detector queue refused the message: InternalError: try later' }]);
  });

  test('packs split at 256 KiB and batches at 10 entries', () => {
    const big = 'x'.repeat(9_000);
    const many = Array.from({ length: 40 }, (_, i) => ({ messageId: `b${i}`, inputName: 'PressureInput', payload: JSON.stringify({ motorid: 'm1', pad: big }), timestampMs: T0 + i }));
    const few = Array.from({ length: 12 }, (_, i) => msg(`k${i}`, `key${i}`, T0));
    const { detectors } = routeMessages([model], new Set(['PressureInput']), [...many, ...few]);
    const packs = packWorks(detectors);
    const m1 = packs.filter((p) => p.entry.MessageGroupId === 'motorPressure#m1');
    expect(m1.length).toBe(2);
    for (const p of packs) expect(Buffer.byteLength(p.entry.MessageBody!)).toBeLessThanOrEqual(256 * 1024);
    const batches = batchRequests(packs);
    for (const b of batches) {
      expect(b.length).toBeLessThanOrEqual(10);
      expect(b.reduce((n, p) => n + p.bytes, 0)).toBeLessThanOrEqual(256 * 1024);
    }
    expect(batches.flat().length).toBe(14);
  });
});
