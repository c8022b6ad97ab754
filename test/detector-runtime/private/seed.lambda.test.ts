import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { BatchErrorEntry, Message, UpdateDetectorRequest } from '../../../src/detector/simulator';
import { createDetectorTable, startDynalite } from '../../../src/detector-runtime/private/engine/local-harness';
import { createHandler, SeedDataClient } from '../../../src/detector-runtime/private/seed/seed.lambda';
import { hashParts } from '../../../src/private/handler-kit';
import { STACK_ID, awsError, createEvent, deleteEvent, failure, noSleep, updateEvent } from '../../custom-resources/events';

// One client instance is mocked (passed to the handler), so the dynalite tests below use a real one.
const mockedDynamodb = new DynamoDBClient({ region: 'eu-west-1' });
const ddb = mockClient(mockedDynamodb);
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
    dynamodb: mockedDynamodb,
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
  test('puts the model item with its definition, a version hash and the registration that wrote it', async () => {
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
        registration: { S: `${STACK_ID}#Res` },
      },
    });
  });

  test('on delete, deletes the item of its physical id only while the item names this registration (or none)', async () => {
    ddb.on(DeleteItemCommand).resolves({});
    const { handler } = withApi();
    await handler({ ...deleteEvent(MODEL, 'model#old-name'), ResourceType: 'Custom::GreengrassV2DetectorModel' });
    expect(ddb.commandCalls(DeleteItemCommand).map((c) => c.args[0].input)).toEqual([{
      TableName: 'detectors',
      Key: { pk: { S: 'model#old-name' } },
      ConditionExpression: 'attribute_not_exists(#registration) OR #registration = :registration',
      ExpressionAttributeNames: { '#registration': 'registration' },
      ExpressionAttributeValues: { ':registration': { S: `${STACK_ID}#Res` } },
    }]);
  });

  test('a delete whose condition fails (another registration wrote the item) succeeds and leaves the item', async () => {
    ddb.on(DeleteItemCommand).rejects(awsError('ConditionalCheckFailedException', 'The conditional request failed'));
    const { handler } = withApi();
    await expect(handler({ ...deleteEvent(MODEL, 'model#line-1-overheat'), ResourceType: 'Custom::GreengrassV2DetectorModel' }))
      .resolves.toEqual({ PhysicalResourceId: 'model#line-1-overheat' });
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(1);
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

/**
 * A moved or renamed DetectorModel keeps its detectorModelName: CloudFormation creates the new registration (it
 * writes the same item), then deletes the old one, whose physical id is the same item. Against dynalite.
 */
describe('model registration against dynalite: a Delete removes only what its resource wrote', () => {
  const TABLE = 'detectors-registration';
  let db: { endpoint: string; close: () => Promise<void> };
  let client: DynamoDBClient;
  let handler: ReturnType<typeof createHandler>;
  const item = async (name: string) => (await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `model#${name}` } } }))).Item;
  const model = (name: string) => ({ ...MODEL, TableName: TABLE, DetectorModelName: name });
  const create = (name: string, logicalId: string) => handler(modelEvent(model(name), { LogicalResourceId: logicalId }));
  const del = (name: string, logicalId: string, physical = `model#${name}`) =>
    handler({ ...deleteEvent(model(name), physical), ResourceType: 'Custom::GreengrassV2DetectorModel', LogicalResourceId: logicalId });

  beforeAll(async () => {
    db = await startDynalite();
    client = new DynamoDBClient({ endpoint: db.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await createDetectorTable(client, TABLE);
    handler = createHandler({ ...noSleep, dynamodb: client });
  }, 60_000);

  afterAll(async () => {
    client.destroy();
    await db.close();
  });

  test('rename: the old resource\'s delete leaves the item the new resource wrote', async () => {
    await create('line-1-overheat', 'LineOverheatRegistration');
    await create('line-1-overheat', 'OverheatRegistration'); // the renamed construct, created first
    await del('line-1-overheat', 'LineOverheatRegistration'); // CloudFormation's cleanup of the old one
    expect(await item('line-1-overheat')).toMatchObject({ registration: { S: `${STACK_ID}#OverheatRegistration` } });
    await del('line-1-overheat', 'OverheatRegistration'); // removing the model for good deletes it
    expect(await item('line-1-overheat')).toBeUndefined();
  });

  test('a move to another stack: the old stack\'s delete leaves the item', async () => {
    await create('moved', 'Registration');
    await handler(modelEvent(model('moved'), { StackId: `${STACK_ID}-other`, LogicalResourceId: 'Registration' }));
    await del('moved', 'Registration');
    expect(await item('moved')).toMatchObject({ registration: { S: `${STACK_ID}-other#Registration` } });
  });

  test('a new name (replacement): the delete of the old name removes the old item', async () => {
    await create('old-name', 'Registration');
    await create('new-name', 'Registration');
    await del('old-name', 'Registration');
    expect(await item('old-name')).toBeUndefined();
    expect(await item('new-name')).toBeDefined();
  });

  test('an item written before registrations were recorded is deleted; a missing item is no error', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'model#legacy' }, definition: { S: '{}' }, version: { S: '1' } } }));
    await del('legacy', 'Registration');
    expect(await item('legacy')).toBeUndefined();
    await expect(del('legacy', 'Registration')).resolves.toEqual({ PhysicalResourceId: 'model#legacy' });
  });
});
