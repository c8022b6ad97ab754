import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
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

function withApi(answers: BatchErrorEntry[][] = [], invocationIds: string[] = ['inv-1', 'inv-2']) {
  let api: RecordingDataApi | undefined;
  const handler = createHandler({
    ...noSleep,
    dynamodb: mockedDynamodb,
    invocationId: () => invocationIds.shift()!,
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
  const owned = (registration: string, extra: Record<string, any> = {}) => ({
    Item: { pk: { S: 'model#line-1-overheat' }, definition: { S: MODEL.Definition }, version: { S: 'v' }, registration: { S: registration }, ...extra },
  });

  test('puts the model item with its definition, a version hash and the registration that wrote it, if no item exists', async () => {
    ddb.on(GetItemCommand).resolves({});
    ddb.on(PutItemCommand).rejectsOnce(awsError('ProvisionedThroughputExceededException')).resolves({});
    const { handler } = withApi();
    const version = hashParts([MODEL.Definition]).slice(0, 32);
    await expect(handler(modelEvent(MODEL))).resolves.toEqual({ PhysicalResourceId: 'model#line-1-overheat', Data: { Version: version } });
    expect(ddb.commandCalls(GetItemCommand).map((c) => c.args[0].input)).toEqual([
      { TableName: 'detectors', Key: { pk: { S: 'model#line-1-overheat' } }, ConsistentRead: true },
    ]);
    const item = {
      pk: { S: 'model#line-1-overheat' },
      detectorModelName: { S: 'line-1-overheat' },
      definition: { S: MODEL.Definition },
      version: { S: version },
      registration: { S: `${STACK_ID}#Res` },
    };
    // throttled once, then written
    expect(ddb.commandCalls(PutItemCommand).map((c) => c.args[0].input)).toEqual(Array(2).fill({
      TableName: 'detectors', Item: item, ConditionExpression: 'attribute_not_exists(pk)',
    }));
  });

  test('on delete, deletes the item of its physical id while it names this registration and replaced no live one', async () => {
    ddb.on(GetItemCommand).resolves(owned(`${STACK_ID}#Res`));
    ddb.on(DeleteItemCommand).resolves({});
    const { handler } = withApi();
    await handler({ ...deleteEvent(MODEL, 'model#line-1-overheat'), ResourceType: 'Custom::GreengrassV2DetectorModel' });
    expect(ddb.commandCalls(DeleteItemCommand).map((c) => c.args[0].input)).toEqual([{
      TableName: 'detectors',
      Key: { pk: { S: 'model#line-1-overheat' } },
      ConditionExpression: '#registration = :registration AND attribute_not_exists(#replaced)',
      ExpressionAttributeNames: { '#registration': 'registration', '#replaced': 'replaced' },
      ExpressionAttributeValues: { ':registration': { S: `${STACK_ID}#Res` } },
    }]);
  });

  test('a delete whose condition fails reads again: another registration wrote the item meanwhile, so it is left', async () => {
    ddb.on(GetItemCommand).resolvesOnce(owned(`${STACK_ID}#Res`)).resolves(owned(`${STACK_ID}#Other`));
    ddb.on(DeleteItemCommand).rejects(awsError('ConditionalCheckFailedException', 'The conditional request failed'));
    const { handler } = withApi();
    await expect(handler({ ...deleteEvent(MODEL, 'model#line-1-overheat'), ResourceType: 'Custom::GreengrassV2DetectorModel' }))
      .resolves.toEqual({ PhysicalResourceId: 'model#line-1-overheat' });
    expect(ddb.commandCalls(GetItemCommand)).toHaveLength(2);
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(1);
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  test('fails naming the item when its condition keeps failing (another deployment writes it)', async () => {
    ddb.on(GetItemCommand).resolves({});
    ddb.on(PutItemCommand).rejects(awsError('ConditionalCheckFailedException', 'The conditional request failed'));
    const { handler } = withApi();
    const error = await failure(handler(modelEvent(MODEL)));
    expect(error.message).toContain('model item model#line-1-overheat changed while this registration was written, 5 times');
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(5);
  });

  test('fails with the service error when the write is refused', async () => {
    ddb.on(GetItemCommand).resolves({});
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
const suffix = (requestId: string, invocation = 'inv-1') => hashParts([STACK_ID, 'Res', requestId, invocation]).slice(0, 12);

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

  test('a replay of the same request (another invocation) sends new message ids, so that detectors set again evaluate its messages again', async () => {
    const { handler, api } = withApi();
    await handler(seedEvent(SEED));
    await handler(seedEvent(SEED));
    expect(api().calls.map((c) => c.entries[0].messageId)).toEqual([
      `u1-${suffix('req-1')}`, `m1-${suffix('req-1')}`, `u1-${suffix('req-1', 'inv-2')}`, `m1-${suffix('req-1', 'inv-2')}`,
    ]);
    expect(suffix('req-1')).not.toBe(suffix('req-1', 'inv-2'));
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
 * writes the same item), then deletes the old one, whose physical id is the same item; when the deployment rolls
 * back, it deletes the new one and the old one stays. Every order, with the real handler against dynalite.
 */
describe('model registration against dynalite: every order CloudFormation produces leaves the registration of the resource that remains', () => {
  const TABLE = 'detectors-registration';
  let db: { endpoint: string; close: () => Promise<void> };
  let client: DynamoDBClient;
  let handler: ReturnType<typeof createHandler>;
  const item = async (name: string) => (await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `model#${name}` } } }))).Item;
  /** The items of a model name: its item and the kept copies of replaced registrations. */
  const itemsOf = async (name: string) => ((await client.send(new ScanCommand({ TableName: TABLE }))).Items ?? [])
    .map((i) => i.pk.S!).filter((pk) => pk === `model#${name}` || pk.startsWith(`model#${name}#`)).sort();
  const model = (name: string, definition = MODEL.Definition) => ({ ...MODEL, TableName: TABLE, DetectorModelName: name, Definition: definition });
  const create = (name: string, logicalId: string, definition?: string, stackId = STACK_ID) =>
    handler(modelEvent(model(name, definition), { LogicalResourceId: logicalId, StackId: stackId }));
  const update = (name: string, logicalId: string, definition: string, stackId = STACK_ID) =>
    handler({ ...updateEvent(model(name, definition), model(name), `model#${name}`), ResourceType: 'Custom::GreengrassV2DetectorModel', LogicalResourceId: logicalId, StackId: stackId });
  const del = (name: string, logicalId: string, physical = `model#${name}`, stackId = STACK_ID) =>
    handler({ ...deleteEvent(model(name), physical), ResourceType: 'Custom::GreengrassV2DetectorModel', LogicalResourceId: logicalId, StackId: stackId });
  const registered = async (name: string) => {
    const i = await item(name);
    return i && { registration: i.registration.S!.replace(`${STACK_ID}`, '<stack>'), definition: i.definition.S, version: i.version.S, replaced: i.replaced?.S?.replace(`${STACK_ID}`, '<stack>') };
  };
  const version = (definition: string) => hashParts([definition]).slice(0, 32);
  const OLD_DEFINITION = '{"detectorModel":{"old":true},"inputs":[]}';
  const NEW_DEFINITION = '{"detectorModel":{"new":true},"inputs":[]}';

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

  test('rename that succeeds (create new, delete old): the new resource owns the item; its later delete removes it', async () => {
    await create('renamed', 'LineOverheatRegistration', OLD_DEFINITION);
    await create('renamed', 'OverheatRegistration', NEW_DEFINITION); // the renamed construct, created first
    expect(await registered('renamed')).toEqual({
      registration: '<stack>#OverheatRegistration', definition: NEW_DEFINITION, version: version(NEW_DEFINITION), replaced: '<stack>#LineOverheatRegistration',
    });
    expect(await itemsOf('renamed')).toEqual(['model#renamed', expect.stringMatching(/^model#renamed#replaced#[0-9a-f]{32}$/)]);
    await del('renamed', 'LineOverheatRegistration'); // CloudFormation's cleanup of the old one
    expect(await registered('renamed')).toEqual({
      registration: '<stack>#OverheatRegistration', definition: NEW_DEFINITION, version: version(NEW_DEFINITION), replaced: undefined,
    });
    expect(await itemsOf('renamed')).toEqual(['model#renamed']);
    await del('renamed', 'OverheatRegistration'); // removing the model for good deletes it
    expect(await itemsOf('renamed')).toEqual([]);
  });

  test('rename that rolls back (create new, delete new): the old resource\'s registration, definition and version come back', async () => {
    await create('rolled-back', 'LineOverheatRegistration', OLD_DEFINITION);
    await create('rolled-back', 'OverheatRegistration', NEW_DEFINITION);
    await del('rolled-back', 'OverheatRegistration'); // the rollback deletes the resource it created
    expect(await registered('rolled-back')).toEqual({
      registration: '<stack>#LineOverheatRegistration', definition: OLD_DEFINITION, version: version(OLD_DEFINITION), replaced: undefined,
    });
    expect((await item('rolled-back'))!.detectorModelName).toEqual({ S: 'rolled-back' });
    expect(await itemsOf('rolled-back')).toEqual(['model#rolled-back']);
    // the old resource, still in the stack, is updated and deleted as usual later
    await update('rolled-back', 'LineOverheatRegistration', NEW_DEFINITION);
    expect(await registered('rolled-back')).toMatchObject({ registration: '<stack>#LineOverheatRegistration', definition: NEW_DEFINITION });
    await del('rolled-back', 'LineOverheatRegistration');
    expect(await itemsOf('rolled-back')).toEqual([]);
  });

  test('plain delete: the item goes; a second delete (or a missing item) is no error', async () => {
    await create('plain', 'Registration');
    await update('plain', 'Registration', NEW_DEFINITION);
    expect(await registered('plain')).toMatchObject({ registration: '<stack>#Registration', definition: NEW_DEFINITION, replaced: undefined });
    await del('plain', 'Registration');
    expect(await itemsOf('plain')).toEqual([]);
    await expect(del('plain', 'Registration')).resolves.toEqual({ PhysicalResourceId: 'model#plain' });
  });

  test('an update of the new owner before the old one\'s delete keeps what to restore; a rollback after it still restores', async () => {
    await create('updated', 'Old', OLD_DEFINITION);
    await create('updated', 'New', OLD_DEFINITION);
    await update('updated', 'New', NEW_DEFINITION);
    expect(await registered('updated')).toMatchObject({ registration: '<stack>#New', definition: NEW_DEFINITION, replaced: '<stack>#Old' });
    await del('updated', 'New');
    expect(await registered('updated')).toEqual({ registration: '<stack>#Old', definition: OLD_DEFINITION, version: version(OLD_DEFINITION), replaced: undefined });
  });

  test('two renames before the cleanup: each delete, in any order, leaves the registration of the resource that remains', async () => {
    // success: A → B → C, then the cleanup deletes A and B
    await create('chain', 'A', '{"a":1}');
    await create('chain', 'B', '{"b":1}');
    await create('chain', 'C', '{"c":1}');
    await del('chain', 'A');
    expect(await registered('chain')).toMatchObject({ registration: '<stack>#C', replaced: '<stack>#B' });
    await del('chain', 'B');
    expect(await registered('chain')).toMatchObject({ registration: '<stack>#C', definition: '{"c":1}', replaced: undefined });
    expect(await itemsOf('chain')).toEqual(['model#chain']);
    // rollback: C, then B are deleted; A comes back
    await create('chain2', 'A', '{"a":1}');
    await create('chain2', 'B', '{"b":1}');
    await create('chain2', 'C', '{"c":1}');
    await del('chain2', 'C');
    expect(await registered('chain2')).toMatchObject({ registration: '<stack>#B', definition: '{"b":1}', replaced: '<stack>#A' });
    await del('chain2', 'B');
    expect(await registered('chain2')).toEqual({ registration: '<stack>#A', definition: '{"a":1}', version: version('{"a":1}'), replaced: undefined });
    expect(await itemsOf('chain2')).toEqual(['model#chain2']);
  });

  test('a move to another stack: the old stack\'s delete leaves the item; an update of the old one meanwhile takes it back without a cycle', async () => {
    const other = `${STACK_ID}-other`;
    await create('moved', 'Registration');
    await create('moved', 'Registration', NEW_DEFINITION, other);
    await del('moved', 'Registration');
    expect(await item('moved')).toMatchObject({ registration: { S: `${other}#Registration` }, definition: { S: NEW_DEFINITION } });
    expect(await itemsOf('moved')).toEqual(['model#moved']);

    await create('both', 'Registration', OLD_DEFINITION);
    await create('both', 'Registration', NEW_DEFINITION, other);
    await update('both', 'Registration', '{"third":1}'); // the first stack writes again: it owns the item, the other one is kept
    expect(await registered('both')).toMatchObject({ registration: '<stack>#Registration', definition: '{"third":1}', replaced: '<stack>-other#Registration' });
    expect(await itemsOf('both')).toHaveLength(2);
    await del('both', 'Registration');
    expect(await item('both')).toMatchObject({ registration: { S: `${other}#Registration` }, definition: { S: NEW_DEFINITION } });
    expect((await item('both'))!.replaced).toBeUndefined();
    await del('both', 'Registration', 'model#both', other);
    expect(await itemsOf('both')).toEqual([]);
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
    // and a create over such an item takes it (there is no owner to restore)
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'model#legacy' }, definition: { S: '{}' }, version: { S: '1' } } }));
    await create('legacy', 'Registration');
    expect(await registered('legacy')).toMatchObject({ registration: '<stack>#Registration', replaced: undefined });
    await del('legacy', 'Registration');
    expect(await itemsOf('legacy')).toEqual([]);
  });
});
