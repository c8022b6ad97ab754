import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { BatchErrorEntry, Message, UpdateDetectorRequest } from '../../../src/detector/simulator';
import { createHandler, SeedDataClient } from '../../../src/detector-runtime/private/seed/seed.lambda';
import { hashParts } from '../../../src/private/handler-kit';
import { STACK_ID, awsError, createEvent, deleteEvent, failure, noSleep, updateEvent } from '../../custom-resources/events';

const ddb = mockClient(DynamoDBClient);
beforeEach(() => ddb.reset());

/** A Data API that records the calls and answers with the error entries queued for each call. */
class RecordingDataApi implements SeedDataClient {
  public readonly calls: Array<{ op: string; endpoint: string; region: string; entries: any[] }> = [];
  public readonly answers: BatchErrorEntry[][] = [];
  constructor(private readonly endpoint: string, private readonly region: string) {}
  public async batchPutMessage(req: { messages: Message[] }) {
    this.calls.push({ op: 'BatchPutMessage', endpoint: this.endpoint, region: this.region, entries: req.messages });
    return { batchPutMessageErrorEntries: this.answers.shift() ?? [] };
  }
  public async batchUpdateDetector(req: { detectors: UpdateDetectorRequest[] }) {
    this.calls.push({ op: 'BatchUpdateDetector', endpoint: this.endpoint, region: this.region, entries: req.detectors });
    return { batchUpdateDetectorErrorEntries: this.answers.shift() ?? [] };
  }
}

function withApi(answers: BatchErrorEntry[][] = []) {
  let api: RecordingDataApi | undefined;
  const handler = createHandler({
    ...noSleep,
    dataClient: (endpoint, region) => {
      if (!api) {
        api = new RecordingDataApi(endpoint, region);
        api.answers.push(...answers);
      }
      return api;
    },
  });
  return { handler, api: () => api! };
}

const MODEL = { TableName: 'detectors', DetectorModelName: 'line-1-overheat', Definition: '{"detectorModel":{},"inputs":[]}' };
const modelEvent = (props: any, extra: any = {}) => createEvent(props, { ResourceType: 'Custom::GreengrassV2DetectorModel', ...extra });

describe('model registration', () => {
  test('puts the model item with its definition and a version hash', async () => {
    ddb.on(PutItemCommand).rejectsOnce(awsError('ProvisionedThroughputExceededException')).resolves({});
    const { handler } = withApi();
    const version = hashParts([MODEL.Definition]).slice(0, 32);
    await expect(handler(modelEvent(MODEL))).resolves.toEqual({ PhysicalResourceId: 'model#line-1-overheat', Data: { Version: version } });
    expect(ddb.commandCalls(PutItemCommand).map((c) => c.args[0].input)).toContainEqual({
      TableName: 'detectors',
      Item: {
        pk: { S: 'model#line-1-overheat' },
        detectorModelName: { S: 'line-1-overheat' },
        definition: { S: MODEL.Definition },
        version: { S: version },
      },
    });
  });

  test('deletes the item of its physical id on delete', async () => {
    ddb.on(DeleteItemCommand).resolves({});
    const { handler } = withApi();
    await handler({ ...deleteEvent(MODEL, 'model#old-name'), ResourceType: 'Custom::GreengrassV2DetectorModel' });
    expect(ddb.commandCalls(DeleteItemCommand).map((c) => c.args[0].input)).toEqual([{ TableName: 'detectors', Key: { pk: { S: 'model#old-name' } } }]);
  });

  test('fails with the service error when the write is refused', async () => {
    ddb.on(PutItemCommand).rejects(awsError('AccessDeniedException', 'not allowed'));
    const { handler } = withApi();
    const error = await failure(handler(modelEvent(MODEL)));
    expect(error.message).toContain('not allowed');
  });
});

const SEED = {
  Endpoint: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/',
  Region: 'eu-west-1',
  Messages: JSON.stringify([{ messageId: 'm1', inputName: 'LineTelemetry', payload: '{"deviceId":"a"}' }]),
  Detectors: JSON.stringify([{ messageId: 'u1', detectorModelName: 'line-1-overheat', keyValue: 'a', state: { stateName: 'Normal', variables: [], timers: [] } }]),
  ModelVersion: 'v1',
};
const seedEvent = (props: any, extra: any = {}) => createEvent(props, { ResourceType: 'Custom::GreengrassV2DetectorSeed', ...extra });
const suffix = (requestId: string) => hashParts([STACK_ID, 'Res', requestId]).slice(0, 12);

describe('seeding', () => {
  test('updates the detectors, then sends the messages, with ids unique to the request', async () => {
    const { handler, api } = withApi();
    const result = await handler(seedEvent(SEED));
    expect(result.PhysicalResourceId).toMatch(/^seed-[0-9a-f]{24}$/);
    expect(api().calls).toEqual([
      {
        op: 'BatchUpdateDetector',
        endpoint: SEED.Endpoint,
        region: 'eu-west-1',
        entries: [{ ...JSON.parse(SEED.Detectors)[0], messageId: `u1-${suffix('req-1')}` }],
      },
      {
        op: 'BatchPutMessage',
        endpoint: SEED.Endpoint,
        region: 'eu-west-1',
        entries: [{ messageId: `m1-${suffix('req-1')}`, inputName: 'LineTelemetry', payload: '{"deviceId":"a"}' }],
      },
    ]);
  });

  test('an update seeds again with new ids; delete calls nothing', async () => {
    const { handler, api } = withApi();
    await handler({ ...updateEvent(SEED, { ...SEED, ModelVersion: 'v0' }, 'seed-x'), ResourceType: 'Custom::GreengrassV2DetectorSeed' });
    expect(api().calls.map((c) => c.entries[0].messageId)).toEqual([`u1-${suffix('req-2')}`, `m1-${suffix('req-2')}`]);
    const deleting = withApi();
    await expect(deleting.handler({ ...deleteEvent(SEED, 'seed-x'), ResourceType: 'Custom::GreengrassV2DetectorSeed' })).resolves.toEqual({ PhysicalResourceId: 'seed-x' });
    expect(deleting.api()).toBeUndefined();
  });

  test('sends batches of 10, retries throttled entries alone, and fails naming the entries the API rejected', async () => {
    const messages = Array.from({ length: 12 }, (_, i) => ({ messageId: `m${i}`, inputName: 'LineTelemetry', payload: '{}' }));
    const s = suffix('req-1');
    // First batch (10): one throttled, one invalid; second batch (2) fine; the throttled one again, alone, fine.
    const { handler, api } = withApi([
      [{ messageId: `m3-${s}`, errorCode: 'ThrottlingException', errorMessage: 'slow down' }, { messageId: `m5-${s}`, errorCode: 'InvalidRequestException', errorMessage: 'bad payload' }],
      [],
      [],
    ]);
    const promise = handler(seedEvent({ ...SEED, Detectors: '[]', Messages: JSON.stringify(messages) }));
    const error = await failure(promise);
    expect(api().calls.map((c) => c.entries.map((e: any) => e.messageId.split('-')[0]))).toEqual([
      ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'],
      ['m10', 'm11'],
      ['m3'],
    ]);
    expect(error.message).toBe(`BatchPutMessage failed for m5-${s} (InvalidRequestException: bad payload)`);
  });

  test('fails on an unknown resource type', async () => {
    const { handler } = withApi();
    const error = await failure(handler(createEvent(SEED, { ResourceType: 'Custom::Other' })));
    expect(error.message).toBe('unknown resource type Custom::Other; this handler serves Custom::GreengrassV2DetectorModel and Custom::GreengrassV2DetectorSeed');
  });
});
