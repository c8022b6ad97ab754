// The handlers' bodies: the processor's FIFO partial batch responses, the ingest's Kinesis/SQS mapping,
// the Data API adapter.
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { REFERENCE, T0 } from './reference-model';
import { Ingest } from '../../../src/detector-runtime/private/engine/ingest';
import { handleIngestEvent, kinesisMessages, sqsMessages } from '../../../src/detector-runtime/private/engine/ingest-events';
import { ModelRegistry } from '../../../src/detector-runtime/private/engine/models';
import * as processModule from '../../../src/detector-runtime/private/engine/process';
import { ActionFailedError, PackOutcome, ProcessDeps } from '../../../src/detector-runtime/private/engine/process';
import { createProcessorHandler } from '../../../src/detector-runtime/private/engine/processor';
import { readRuntimeEnv } from '../../../src/detector-runtime/private/engine/runtime';

const sqsMock = mockClient(SQSClient);
beforeEach(() => sqsMock.reset());

const record = (id: string, group: string, body: object): SQSRecord => ({
  messageId: id,
  receiptHandle: id,
  body: JSON.stringify(body),
  md5OfBody: '',
  eventSource: 'aws:sqs',
  awsRegion: 'us-east-1',
  eventSourceARN: 'arn:aws:sqs:us-east-1:1:d.fifo',
  messageAttributes: {},
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(T0), SenderId: 's', ApproximateFirstReceiveTimestamp: String(T0), MessageGroupId: group },
});

describe('processor handler', () => {
  test('a failed pack fails the later packs of its group only; metrics are counted', async () => {
    const metrics: Record<string, number> = {};
    const failKey = 'bad';
    const outcome: PackOutcome = {
      messagesEvaluated: 1,
      timersFired: 0,
      staleTimers: 0,
      stateConflicts: 0,
      actionsExecuted: 1,
      actionFailures: 0,
      redelivered: 0,
      duplicates: 1,
      writes: 1,
    };
    const processPack = jest.spyOn(processModule, 'processPack')
      .mockImplementation(async (pack: any) => {
        if (pack.keyValue === failKey) throw new ActionFailedError([{ id: 'w#0', type: 'sns', error: 'throttled' }], { ...outcome, actionFailures: 1 });
        return outcome;
      });
    const errors: string[] = [];
    const handler = createProcessorHandler({} as ProcessDeps, { warn: () => undefined, error: (m) => errors.push(m) }, {
      addMetric: (name: string, _u: unknown, v: number) => {
        metrics[name] = (metrics[name] ?? 0) + v;
      },
      publishStoredMetrics: () => undefined,
    });
    const pack = (k: string) => ({ v: 1, detectorModelName: 'motorPressure', keyValue: k, work: [] });
    const res = await handler({
      Records: [
        record('1', 'motorPressure#ok', pack('ok')),
        record('2', 'motorPressure#bad', pack('bad')),
        record('3', 'motorPressure#other', pack('other')),
        record('4', 'motorPressure#bad', pack('bad2')),
      ],
    }, {} as any);
    processPack.mockRestore();
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['2', '4']);
    expect(metrics).toEqual({
      MessagesEvaluated: 3, TimersFired: 0, StaleTimers: 0, ActionFailures: 1, StateConflicts: 0, Redeliveries: 0, DuplicateMessages: 3,
    });
    expect(errors).toEqual(['external actions failed; the pack will be received again']);
  });
});

describe('ingest handler', () => {
  const kinesis: KinesisStreamEvent = {
    Records: [{
      eventID: 'shardId-000000000003:49590338271490256608559692538361571095921575989136588898',
      eventSource: 'aws:kinesis',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:1:stream/telemetry',
      eventName: 'aws:kinesis:record',
      eventVersion: '1.0',
      awsRegion: 'us-east-1',
      invokeIdentityArn: 'arn:aws:iam::1:role/r',
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'random',
        sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
        data: Buffer.from('{"motorid":"m1","sensorData":{"pressure":80}}').toString('base64'),
        approximateArrivalTimestamp: 1796212800.5,
      },
    }],
  };

  test('Kinesis records: id <shardId>:<sequenceNumber>, arrival time, the stream\'s input', () => {
    expect(kinesisMessages(kinesis, { 'arn:aws:kinesis:us-east-1:1:stream/telemetry': 'PressureInput' })).toEqual([{
      messageId: 'shardId-000000000003:49590338271490256608559692538361571095921575989136588898',
      sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
      inputName: 'PressureInput',
      payload: '{"motorid":"m1","sensorData":{"pressure":80}}',
      timestampMs: 1796212800500,
    }]);
    expect(() => kinesisMessages(kinesis, {})).toThrow('feeds no detector input');
  });

  test('SQS records from a topic rule: the body, SentTimestamp, the queue\'s input', () => {
    const event: SQSEvent = { Records: [{ ...record('q1', '', {}), body: '{"motorid":"m2"}', eventSourceARN: 'arn:aws:sqs:us-east-1:1:rule-q' }] };
    expect(sqsMessages(event, { 'arn:aws:sqs:us-east-1:1:rule-q': 'PressureInput' }))
      .toEqual([{ messageId: 'q1', inputName: 'PressureInput', payload: '{"motorid":"m2"}', timestampMs: T0 }]);
  });

  test('a queue failure is a batch item failure (retried); a message without a key is dropped', async () => {
    const registry = new ModelRegistry({ load: async () => ({ version: '1', definition: REFERENCE }) }, ['motorPressure']);
    sqsMock.on(SendMessageBatchCommand).rejects(new Error('throttled'));
    const inputs = { kinesis: { 'arn:aws:kinesis:us-east-1:1:stream/telemetry': 'PressureInput' }, queues: {} };
    const warned: string[] = [];
    const res = await handleIngestEvent(kinesis, new Ingest(new SQSClient({}), 'https://sqs.us-east-1.amazonaws.com/1/d.fifo', registry), inputs, { warn: (m) => warned.push(m) });
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: '49590338271490256608559692538361571095921575989136588898' }]);
    const noKey = { Records: [{ ...kinesis.Records[0], kinesis: { ...kinesis.Records[0].kinesis, data: Buffer.from('{"x":1}').toString('base64') } }] };
    const res2 = await handleIngestEvent(noKey, new Ingest(new SQSClient({}), 'https://sqs.us-east-1.amazonaws.com/1/d.fifo', registry), inputs, { warn: (m) => warned.push(m) });
    expect(res2.batchItemFailures).toEqual([]);
    expect(warned).toEqual(['message dropped: it reaches no detector']);
  });
});

describe('runtime environment', () => {
  test('reads the contract\'s variables; the queue ARN from its URL; a missing one names itself', () => {
    const env = readRuntimeEnv({
      DETECTOR_TABLE_NAME: 't',
      DETECTOR_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/x-detector-events.fifo',
      DETECTOR_MODEL_NAMES: 'a, b',
      DETECTOR_SCHEDULE_GROUP: 'g',
      DETECTOR_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/s',
      DETECTOR_KINESIS_INPUTS: '{"arn:k":"In"}',
    });
    expect(env).toEqual({
      tableName: 't',
      queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/x-detector-events.fifo',
      queueArn: 'arn:aws:sqs:us-east-1:123456789012:x-detector-events.fifo',
      modelNames: ['a', 'b'],
      scheduleGroup: 'g',
      schedulerRoleArn: 'arn:aws:iam::123456789012:role/s',
      kinesisInputs: { 'arn:k': 'In' },
      queueInputs: {},
    });
    expect(() => readRuntimeEnv({})).toThrow('environment variable DETECTOR_QUEUE_URL is not set');
  });
});
