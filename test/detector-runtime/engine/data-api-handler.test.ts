// The Data API Lambda: API Gateway REST proxy event → the REST binding → AwsDetectorBackend.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { REFERENCE, T0 } from './reference-model';
import { deduplicationId } from '../../../src/detector-runtime/private/engine/work';

process.env.DETECTOR_TABLE_NAME = 'detectors';
process.env.DETECTOR_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/x-detector-events.fifo';
process.env.DETECTOR_MODEL_NAMES = 'motorPressure';
process.env.AWS_REGION = 'us-east-1';

// no request may reach AWS
mockClient(DynamoDBClient);
const doc = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handler } = require('../../../src/detector-runtime/private/handlers/data-api.lambda');

const event = (path: string, query: Record<string, string>, post?: { body: unknown; requestId: string }): APIGatewayProxyEvent => ({
  httpMethod: post ? 'POST' : 'GET',
  path,
  queryStringParameters: query,
  body: post ? JSON.stringify(post.body) : null,
  isBase64Encoded: false,
  headers: {},
  multiValueHeaders: {},
  multiValueQueryStringParameters: null,
  pathParameters: null,
  stageVariables: null,
  resource: '/{proxy+}',
  requestContext: (post ? { requestId: post.requestId } : {}) as any,
});

test('DescribeDetector: the item read by pk, rendered as the service does; a missing one is a 404 with x-amzn-ErrorType', async () => {
  doc.on(GetCommand, { TableName: 'detectors', Key: { pk: 'model#motorPressure' } }).resolves({ Item: { pk: 'model#motorPressure', version: '3', definition: JSON.stringify(REFERENCE) } });
  doc.on(GetCommand, { TableName: 'detectors', Key: { pk: 'detector#motorPressure#m1' } }).resolves({
    Item: {
      pk: 'detector#motorPressure#m1',
      detectorModelName: 'motorPressure',
      keyValue: 'm1',
      version: 4,
      seen: '',
      stateName: 'Normal',
      instance: JSON.stringify({ stateName: 'Normal', variables: { breaches: 0 }, timers: { heartbeat: { durationSeconds: 300, dueAtMs: 1796213100000 } } }),
      creationTime: 1796212800000,
      lastUpdateTime: 1796212810000,
    },
  });
  doc.on(GetCommand, { TableName: 'detectors', Key: { pk: 'detector#motorPressure#m9' } }).resolves({});
  const ok = await handler(event('/detectors/motorPressure/keyValues/', { keyValue: 'm1' }));
  expect(ok.statusCode).toBe(200);
  expect(JSON.parse(ok.body)).toEqual({
    detector: {
      detectorModelName: 'motorPressure',
      keyValue: 'm1',
      detectorModelVersion: '3',
      state: { stateName: 'Normal', variables: [{ name: 'breaches', value: '0' }], timers: [{ name: 'heartbeat', timestamp: 1796213100 }] },
      creationTime: 1796212800,
      lastUpdateTime: 1796212810,
    },
  });
  const missing = await handler(event('/detectors/motorPressure/keyValues/', { keyValue: 'm9' }));
  expect(missing.statusCode).toBe(404);
  expect(missing.headers['x-amzn-ErrorType']).toBe('ResourceNotFoundException');
  expect(JSON.parse(missing.body).message).toBe("detector model 'motorPressure' has no detector for key value 'm9'");
});

test('DescribeDetector: a string variable is written JSON-quoted, numbers and booleans bare, as the guide\'s HVAC sample shows', async () => {
  doc.on(GetCommand, { TableName: 'detectors', Key: { pk: 'model#motorPressure' } }).resolves({ Item: { pk: 'model#motorPressure', version: '3', definition: JSON.stringify(REFERENCE) } });
  doc.on(GetCommand, { TableName: 'detectors', Key: { pk: 'detector#motorPressure#m2' } }).resolves({
    Item: {
      pk: 'detector#motorPressure#m2',
      detectorModelName: 'motorPressure',
      keyValue: 'm2',
      version: 1,
      seen: '',
      stateName: 'Normal',
      instance: '{"stateName":"Normal","variables":{"breaches":0,"sensorId":"01","noDelay":false,"rangeHigh":30.0,"label":"say \\"hi\\""},"timers":{}}',
      creationTime: 1796212800000,
      lastUpdateTime: 1796212810000,
    },
  });
  const ok = await handler(event('/detectors/motorPressure/keyValues/', { keyValue: 'm2' }));
  expect(ok.statusCode).toBe(200);
  expect(JSON.parse(ok.body).detector.state.variables).toEqual([
    { name: 'breaches', value: '0' },
    { name: 'label', value: '"say \\"hi\\""' },
    { name: 'noDelay', value: 'false' },
    { name: 'rangeHigh', value: '30' },
    { name: 'sensorId', value: '"01"' },
  ]);
});

test('BatchPutMessage: each entry\'s work carries API Gateway\'s request id and its index, so a messageId reused in the next request is a new work', async () => {
  doc.on(GetCommand, { TableName: 'detectors', Key: { pk: 'model#motorPressure' } }).resolves({ Item: { pk: 'model#motorPressure', version: '3', definition: JSON.stringify(REFERENCE) } });
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  const reading = (id: string, pressure: number, at: number) => ({
    messageId: id, inputName: 'PressureInput', payload: Buffer.from(JSON.stringify({ motorid: 'm1', sensorData: { pressure } })).toString('base64'), timestamp: { timeInMillis: at },
  });
  const work = (id: string, deliveryId: string, pressure: number, at: number) => ({
    kind: 'message', messageId: id, deliveryId, inputName: 'PressureInput', payload: JSON.stringify({ motorid: 'm1', sensorData: { pressure } }), timestampMs: at,
  });
  for (const [requestId, at] of [['5f1c2a9e-req-1', T0], ['8d3b7c41-req-2', T0 + 60_000]] as const) {
    const res = await handler(event('/inputs/messages', {}, { body: { messages: [reading('temp', 80, at), reading('humidity', 50, at + 1)] }, requestId }));
    expect([res.statusCode, JSON.parse(res.body), res.headers['x-amzn-RequestId']]).toEqual([200, { BatchPutMessageErrorEntries: [] }, requestId]);
  }
  const works = [
    [work('temp', '5f1c2a9e-req-1:0', 80, T0), work('humidity', '5f1c2a9e-req-1:1', 50, T0 + 1)],
    [work('temp', '8d3b7c41-req-2:0', 80, T0 + 60_000), work('humidity', '8d3b7c41-req-2:1', 50, T0 + 60_001)],
  ];
  const sent = sqs.commandCalls(SendMessageBatchCommand)
    .map((c) => c.args[0].input.Entries!.map((e) => ({ ...e, MessageBody: JSON.parse(e.MessageBody!) })));
  expect(sent).toEqual(works.map((w) => [{
    Id: 'e0',
    MessageBody: { v: 1, detectorModelName: 'motorPressure', keyValue: 'm1', work: w },
    MessageGroupId: 'motorPressure#m1',
    MessageDeduplicationId: deduplicationId('motorPressure', 'm1', w as any),
  }]));
  // the same messageIds, a new request: another FIFO deduplication id (not dropped as a duplicate)
  expect(sent[0][0].MessageDeduplicationId).not.toBe(sent[1][0].MessageDeduplicationId);
});
