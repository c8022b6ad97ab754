// The Data API Lambda: API Gateway REST proxy event → the REST binding → AwsDetectorBackend.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { REFERENCE } from './reference-model';

process.env.DETECTOR_TABLE_NAME = 'detectors';
process.env.DETECTOR_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/x-detector-events.fifo';
process.env.DETECTOR_MODEL_NAMES = 'motorPressure';
process.env.AWS_REGION = 'us-east-1';

// no request may reach AWS
mockClient(DynamoDBClient);
const doc = mockClient(DynamoDBDocumentClient);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handler } = require('../../../src/detector-runtime/private/handlers/data-api.lambda');

const event = (path: string, query: Record<string, string>): APIGatewayProxyEvent => ({
  httpMethod: 'GET',
  path,
  queryStringParameters: query,
  body: null,
  isBase64Encoded: false,
  headers: {},
  multiValueHeaders: {},
  multiValueQueryStringParameters: null,
  pathParameters: null,
  stageVariables: null,
  resource: '/{proxy+}',
  requestContext: {} as any,
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
