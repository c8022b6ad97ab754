// The state store and the processor against a real DynamoDB implementation (dynalite, in memory).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { REFERENCE, T0 } from './reference-model';
import { evaluatePack, messageIdEntry, shortWorkId } from '../../../src/detector-runtime/private/engine/evaluate-pack';
import { createDetectorTable, startDynalite } from '../../../src/detector-runtime/private/engine/local-harness';
import { ModelRegistry, TableModelSource, modelPk } from '../../../src/detector-runtime/private/engine/models';
import { processPack } from '../../../src/detector-runtime/private/engine/process';
import { RequestCounter } from '../../../src/detector-runtime/private/engine/request-counter';
import { DetectorStateStore, MESSAGE_ID_LIMIT, StateConflictError, SEEN_LIMIT } from '../../../src/detector-runtime/private/engine/state-store';
import { TimerScheduler } from '../../../src/detector-runtime/private/engine/timers';
import { Work, WorkPack, workId, workTime as workTimeOf } from '../../../src/detector-runtime/private/engine/work';
import { compileDetectorModel } from '../../../src/private/detector-engine/evaluator';
import { IntegralDecimal } from '../../../src/private/detector-engine/expression';
import { READING, SETUP, THERMOSTAT, readingText, setupText } from '../../detector/zone-thermostat';

const dec = (n: number) => new IntegralDecimal(n);

jest.setTimeout(60_000);

const TABLE = 'detectors-test';
let db: { endpoint: string; close: () => Promise<void> };
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let store: DetectorStateStore;
const counter = new RequestCounter();

beforeAll(async () => {
  db = await startDynalite();
  client = counter.attach(new DynamoDBClient({ endpoint: db.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }), 'DynamoDB');
  doc = DynamoDBDocumentClient.from(client);
  await createDetectorTable(client, TABLE);
  await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: modelPk('motorPressure'), definition: JSON.stringify(REFERENCE), version: '1' } }));
  store = new DetectorStateStore(doc, TABLE);
});

afterAll(async () => {
  client.destroy();
  await db.close();
});

const instance = (stateName: string, breaches: number) => ({ keyValue: 'k', stateName, variables: { breaches }, timers: {} });

describe('DetectorStateStore', () => {
  test('a new detector is written with attribute_not_exists(pk); a second "new" write conflicts', async () => {
    const empty = await store.get('m', 'new1');
    expect(empty.version).toBe(0);
    const saved = await store.save(empty, { instance: instance('Normal', 0), seen: ['a'], outbox: [], creationTime: T0, lastUpdateTime: T0 });
    expect(saved.version).toBe(1);
    await expect(store.save(empty, { instance: instance('Normal', 1), seen: ['b'], outbox: [], creationTime: T0, lastUpdateTime: T0 }))
      .rejects.toBeInstanceOf(StateConflictError);
    const read = await store.get('m', 'new1');
    expect(read).toMatchObject({ version: 1, seen: ['a'], instance: { stateName: 'Normal', variables: { breaches: 0 } }, creationTime: T0 });
  });

  test('two processors that read the same version: the first write wins, the second conflicts', async () => {
    const first = await store.save(await store.get('m', 'race'), { instance: instance('Normal', 0), seen: [], outbox: [], creationTime: T0, lastUpdateTime: T0 });
    const a = await store.get('m', 'race');
    const b = await store.get('m', 'race');
    expect(a.version).toBe(first.version);
    const results = await Promise.allSettled([
      store.save(a, { ...a, instance: instance('Dangerous', 3) }),
      store.save(b, { ...b, instance: instance('Normal', 9) }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const final = await store.get('m', 'race');
    expect(final.version).toBe(2);
  });

  test('one write of a small detector costs 1 write capacity unit with a full seen list', async () => {
    const seen = Array.from({ length: SEEN_LIMIT }, (_, i) => `abcdefghi${String(i).padStart(2, '0')}`);
    counter.reset();
    await store.save(await store.get('m', 'size'), { instance: instance('Normal', 0), seen, outbox: [], creationTime: T0, lastUpdateTime: T0 });
    expect(counter.writeCapacityUnits).toBe(1);
    expect(counter.readCapacityUnits).toBe(1);
  });

  test('messageIds are stored space-separated and read back; an empty list writes no attribute', async () => {
    const ids = [messageIdEntry('a', T0), messageIdEntry('b', T0 + 1)];
    await store.save(await store.get('m', 'ids'), { instance: instance('Normal', 0), seen: [], messageIds: ids, outbox: [], creationTime: T0, lastUpdateTime: T0 });
    const item = (await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'detector#m#ids' } }))).Item!;
    expect(item.messageIds).toBe(ids.join(' '));
    expect((await store.get('m', 'ids')).messageIds).toEqual(ids);
    await store.save(await store.get('m', 'ids'), { instance: instance('Normal', 1), seen: [], messageIds: [], outbox: [], creationTime: T0, lastUpdateTime: T0 });
    expect((await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'detector#m#ids' } }))).Item!.messageIds).toBeUndefined();
    expect((await store.get('m', 'ids')).messageIds).toBeUndefined();
  });

  test('a full seen list and a full messageIds list stay within 2 write capacity units', async () => {
    const seen = Array.from({ length: SEEN_LIMIT }, (_, i) => String(i).padStart(8, 'x'));
    const messageIds = Array.from({ length: MESSAGE_ID_LIMIT }, (_, i) => messageIdEntry(`reading-${i}`, T0 + i));
    counter.reset();
    await store.save(await store.get('m', 'full'), { instance: instance('Normal', 0), seen, messageIds, outbox: [], creationTime: T0, lastUpdateTime: T0 });
    expect(counter.writeCapacityUnits).toBe(2);
  });

  test('a variable holding an integral decimal is stored as 20.0 and read back a decimal', async () => {
    const variables = { avg: dec(20), low: dec(0), n: 10, e: 0.7, s: '01', b: false };
    await store.save(await store.get('m', 'dec'), { instance: { keyValue: 'dec', stateName: 'idle', variables, timers: {} }, seen: [], outbox: [], creationTime: T0, lastUpdateTime: T0 });
    const item = (await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'detector#m#dec' } }))).Item!;
    expect(item.instance).toBe('{"stateName":"idle","variables":{"avg":20.0,"low":0.0,"n":10,"e":0.7,"s":"01","b":false},"timers":{}}');
    expect((await store.get('m', 'dec')).instance!.variables).toStrictEqual(variables);
    expect((await store.find('m', 'dec'))!.instance!.variables.avg).toStrictEqual(dec(20));
    expect((await store.list('m', { limit: 250 })).records.find((r) => r.keyValue === 'dec')!.instance!.variables.low).toStrictEqual(dec(0));
  });

  test('list by model (GSI byModel) pages by key value and filters by state; tombstones are not listed', async () => {
    for (const [k, s] of [['a1', 'Normal'], ['a2', 'Dangerous'], ['a3', 'Normal'], ['a4', 'Normal']] as const) {
      await store.save(await store.get('listModel', k), { instance: { keyValue: k, stateName: s, variables: {}, timers: {} }, seen: [], outbox: [], creationTime: T0, lastUpdateTime: T0 });
    }
    const gone = await store.get('listModel', 'a4');
    await store.save(gone, { instance: undefined, seen: ['x'], outbox: [], creationTime: undefined, lastUpdateTime: undefined });
    const p1 = await store.list('listModel', { limit: 2 });
    expect(p1.records.map((r) => r.keyValue)).toEqual(['a1', 'a2']);
    const p2 = await store.list('listModel', { limit: 2, startKey: p1.nextKey });
    expect(p2.records.map((r) => r.keyValue)).toEqual(['a3']);
    expect(p2.nextKey).toBeUndefined();
    const normal = await store.list('listModel', { limit: 250, stateName: 'Normal' });
    expect(normal.records.map((r) => r.keyValue)).toEqual(['a1', 'a3']);
    expect(await store.find('listModel', 'a4')).toBeUndefined();
    expect((await store.get('listModel', 'a4')).seen).toEqual(['x']);
  });
});

describe('processPack against dynalite', () => {
  // schedules are asserted in actions-and-timers.test.ts; here they only must not reach AWS
  const scheduler = mockClient(SchedulerClient);
  const deps = () => ({
    store,
    models: new ModelRegistry(new TableModelSource(doc, TABLE), ['motorPressure']),
    timers: new TimerScheduler({ client: new SchedulerClient({ region: 'us-east-1' }), groupName: 'g', queueArn: 'arn:aws:sqs:us-east-1:1:q.fifo', roleArn: 'arn:aws:iam::1:role/r', now: () => T0 }),
    execute: jest.fn(async () => undefined),
    now: () => T0,
  });
  const pack = (key: string, works: Array<[string, number, number]>): WorkPack => ({
    v: 1,
    detectorModelName: 'motorPressure',
    keyValue: key,
    work: works.map(([id, p, t]) => ({ kind: 'message', messageId: id, inputName: 'PressureInput', payload: JSON.stringify({ motorid: key, sensorData: { pressure: p } }), timestampMs: t })),
  });
  beforeEach(() => scheduler.reset());

  test('a redelivered pack is not evaluated twice; its actions run again (at least once)', async () => {
    const d = deps();
    const p = pack('r1', [['a', 80, T0], ['b', 90, T0 + 1000]]);
    const first = await processPack(p, d);
    expect(first).toMatchObject({ messagesEvaluated: 2, writes: 1, redelivered: 0, actionsExecuted: 1 });
    const again = await processPack(p, d);
    expect(again).toMatchObject({ messagesEvaluated: 0, writes: 0, redelivered: 2, actionsExecuted: 1 });
    expect(d.execute).toHaveBeenCalledTimes(2);
    expect((d.execute.mock.calls[0] as any[])[0]).toEqual((d.execute.mock.calls[1] as any[])[0]);
    const rec = await store.get('motorPressure', 'r1');
    expect(rec.version).toBe(1);
    expect(rec.instance?.variables).toEqual({ breaches: 3 });
  });

  test('a pack of ignored Data API duplicates writes only its seen ids: state, clock and messageIds stay, nothing runs', async () => {
    const d = deps();
    const dataApi = (key: string, deliveryId: string, p: number, t: number): WorkPack => {
      const base = pack(key, [['reading', p, t]]);
      return { ...base, work: [{ ...base.work[0], deliveryId } as Work] };
    };
    expect(await processPack(dataApi('dup', 'req-1:0', 80, T0), d)).toMatchObject({ messagesEvaluated: 1, duplicates: 0, actionsExecuted: 1 });
    const before = await store.get('motorPressure', 'dup');
    const retried = dataApi('dup', 'req-2:0', 80, T0 + 60_000);
    expect(await processPack(retried, d)).toMatchObject({ messagesEvaluated: 0, duplicates: 1, writes: 1, actionsExecuted: 0 });
    const after = await store.get('motorPressure', 'dup');
    expect(after).toMatchObject({
      version: before.version + 1,
      instance: before.instance,
      lastUpdateTime: T0,
      messageIds: before.messageIds,
      seen: [...before.seen, shortWorkId(retried.work[0])],
      outbox: [],
    });
    expect(d.execute).toHaveBeenCalledTimes(1);
  });

  test('a redelivered pack of more works than seen remembers is recognized by its pack id', async () => {
    const d = deps();
    const works: Array<[string, number, number]> = Array.from({ length: SEEN_LIMIT + 10 }, (_, i) => [`big${i}`, 50, T0 + i]);
    expect((await processPack(pack('big', works), d)).messagesEvaluated).toBe(SEEN_LIMIT + 10);
    expect(await processPack(pack('big', works), d)).toMatchObject({ messagesEvaluated: 0, writes: 0, redelivered: SEEN_LIMIT + 10 });
  });

  test('a conflict re-reads and re-evaluates the pack', async () => {
    const d = deps();
    await processPack(pack('c1', [['a', 50, T0]]), d);
    // another writer changes the detector between the processor's read and write
    const realGet = store.get.bind(store);
    let interfered = false;
    const spy = jest.spyOn(store, 'get').mockImplementation(async (m, k) => {
      const r = await realGet(m, k);
      if (!interfered) {
        interfered = true;
        await store.save(r, { ...r, instance: { ...r.instance!, variables: { breaches: 7 } } });
      }
      return r;
    });
    try {
      const out = await processPack(pack('c1', [['b', 60, T0 + 1000]]), d);
      expect(out.stateConflicts).toBe(1);
      const rec = await realGet('motorPressure', 'c1');
      expect(rec.version).toBe(3);
      expect(rec.instance?.variables).toEqual({ breaches: 7 });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('evaluatePack', () => {
  const compiled = compileDetectorModel(REFERENCE.detectorModel, REFERENCE.inputs);
  const msg = (id: string, p: number, t: number): Work => ({ kind: 'message', messageId: id, inputName: 'PressureInput', payload: JSON.stringify({ motorid: 'k', sensorData: { pressure: p } }), timestampMs: t });

  test('a message older than the detector\'s clock is evaluated at the clock (its timer is set from there)', () => {
    const ev = evaluatePack(compiled, 'k', undefined, [], [msg('late', 50, T0)], { clockMs: T0 + 60_000 });
    expect(ev.instance!.timers.heartbeat.dueAtMs).toBe(T0 + 60_000 + 300_000);
    expect(ev.lastTimeMs).toBe(T0 + 60_000);
  });

  test('a payload\'s 20.0 is a decimal; BatchUpdateDetector\'s "20.0" too, "20" an integer', () => {
    const zone = compileDetectorModel(THERMOSTAT, [SETUP, READING]);
    const message = (id: string, inputName: string, payload: string, t: number): Work => ({ kind: 'message', messageId: id, inputName, payload, timestampMs: t });
    const seeded = evaluatePack(zone, 'z1', undefined, [], [message('s', 'ZoneSetup', setupText('z1', '20.0'), T0)]).instance!;
    expect(seeded.variables).toStrictEqual({ target: dec(20), mean: dec(20), margin: 0.5, sensors: 10 });
    expect(evaluatePack(zone, 'z1', seeded, [], [message('r', 'ZoneReading', readingText('z1', 26), T0 + 1)]).instance!.stateName).toBe('cooling');
    const update = (value: string): Work => ({
      kind: 'update',
      messageId: `u${value}`,
      stateName: 'holding',
      timers: [],
      timestampMs: T0 + 2,
      variables: [{ name: 'target', value }, { name: 'mean', value }, { name: 'margin', value: '0.5' }, { name: 'sensors', value: '10' }],
    });
    const updated = evaluatePack(zone, 'z1', seeded, [], [update('20.0')]).instance!;
    expect(updated.variables).toStrictEqual({ target: dec(20), mean: dec(20), margin: 0.5, sensors: 10 });
    expect(evaluatePack(zone, 'z1', updated, [], [message('r2', 'ZoneReading', readingText('z1', 26), T0 + 3)]).instance!.stateName).toBe('cooling');
    const integer = evaluatePack(zone, 'z1', seeded, [], [update('20')]).instance!;
    expect(integer.variables).toStrictEqual({ target: 20, mean: 20, margin: 0.5, sensors: 10 });
    expect(evaluatePack(zone, 'z1', integer, [], [message('r3', 'ZoneReading', readingText('z1', 26), T0 + 3)]).instance!.stateName).toBe('holding');
  });

  test('a Data API messageId evaluated less than 5 minutes before is ignored and remembered in seen; after 5 minutes it is evaluated again', () => {
    const reading = (deliveryId: string, p: number, t: number): Work => ({ ...msg('reading', p, t), deliveryId } as Work);
    const first = evaluatePack(compiled, 'k', undefined, [], [reading('req-1:0', 80, T0)]);
    expect(first).toMatchObject({ messagesEvaluated: 1, duplicates: 0, messageIds: [messageIdEntry('reading', T0)], instance: { variables: { breaches: 3 } } });
    // a new request (another delivery id) with the same messageId 1 s later: accepted, not evaluated
    const retry = reading('req-2:0', 50, T0 + 1_000);
    const second = evaluatePack(compiled, 'k', first.instance, first.seen, [retry], { clockMs: T0, messageIds: first.messageIds });
    expect(second).toMatchObject({ messagesEvaluated: 0, duplicates: 1, changed: true, actions: [], messageIds: first.messageIds });
    expect(second.instance).toBe(first.instance);
    expect(second.lastTimeMs).toBeUndefined();
    expect(second.seen).toEqual([...first.seen, shortWorkId(retry)]);
    // its redelivery is a redelivery, not a duplicate
    const again = evaluatePack(compiled, 'k', second.instance, second.seen, [retry], { clockMs: T0, messageIds: second.messageIds });
    expect(again).toMatchObject({ messagesEvaluated: 0, duplicates: 0, changed: false, redelivered: [shortWorkId(retry)] });
    // 1 ms short of 5 minutes: ignored; at 5 minutes: evaluated (after the heartbeat due then), and remembered from then on
    const context = { clockMs: T0, messageIds: first.messageIds };
    expect(evaluatePack(compiled, 'k', first.instance, first.seen, [reading('req-3:0', 50, T0 + 299_999)], context).duplicates).toBe(1);
    const later = evaluatePack(compiled, 'k', first.instance, first.seen, [reading('req-4:0', 50, T0 + 300_000)], context);
    expect(later).toMatchObject({ messagesEvaluated: 1, timersFired: 1, duplicates: 0, messageIds: [messageIdEntry('reading', T0 + 300_000)] });
    // the evaluator still reports the caller's messageId
    expect(workId(retry)).toBe('m:req-2:0');
  });

  test('the window is measured on the detector\'s clock: a late message\'s messageId is compared at the time it is evaluated', () => {
    const reading = (deliveryId: string, t: number): Work => ({ ...msg('reading', 50, t), deliveryId } as Work);
    const first = evaluatePack(compiled, 'k', undefined, [], [reading('r1:0', T0)]);
    // sent with a timestamp 10 minutes old, to a detector whose clock is T0 + 4 min: evaluated at T0 + 4 min, 4 minutes after
    const late = evaluatePack(compiled, 'k', first.instance, first.seen, [reading('r2:0', T0 - 600_000)], { clockMs: T0 + 240_000, messageIds: first.messageIds });
    expect(late.duplicates).toBe(1);
  });

  test('messageIds of other sources (no delivery id) are neither checked nor kept', () => {
    const ev = evaluatePack(compiled, 'k', undefined, [], [msg('shardId-0:1', 80, T0), msg('shardId-0:2', 50, T0 + 1)]);
    expect(ev).toMatchObject({ messagesEvaluated: 2, duplicates: 0, messageIds: [] });
  });

  test('keeps the last MESSAGE_ID_LIMIT messageIds of the last 5 minutes', () => {
    const works = Array.from({ length: MESSAGE_ID_LIMIT + 8 }, (_, i): Work => ({ ...msg(`id${i}`, 50, T0 + i), deliveryId: `r:${i}` } as Work));
    const ev = evaluatePack(compiled, 'k', undefined, [], works);
    expect(ev.messageIds).toEqual(works.slice(8).map((w, i) => messageIdEntry(`id${i + 8}`, workTimeOf(w))));
    // the 8 forgotten ids are evaluated again, a remembered one is not
    const next = evaluatePack(compiled, 'k', ev.instance, ev.seen, [
      { ...msg('id0', 50, T0 + 100), deliveryId: 'r2:0' } as Work, { ...msg(`id${MESSAGE_ID_LIMIT + 7}`, 50, T0 + 101), deliveryId: 'r2:1' } as Work,
    ], { clockMs: ev.lastTimeMs, messageIds: ev.messageIds });
    expect(next).toMatchObject({ messagesEvaluated: 1, duplicates: 1 });
    // 5 minutes after the last one, every entry but the new one is forgotten
    const quiet = evaluatePack(compiled, 'k', ev.instance, ev.seen, [{ ...msg('fresh', 50, T0 + MESSAGE_ID_LIMIT + 7 + 300_000), deliveryId: 'r3:0' } as Work], { messageIds: ev.messageIds });
    expect(quiet.messageIds).toEqual([messageIdEntry('fresh', T0 + MESSAGE_ID_LIMIT + 7 + 300_000)]);
  });

  test('a stale timer work changes nothing and is not remembered; a current one fires', () => {
    const start = evaluatePack(compiled, 'k', undefined, [], [msg('a', 50, T0)]).instance!;
    const stale = evaluatePack(compiled, 'k', start, [], [{ kind: 'timer', timerName: 'heartbeat', dueAtMs: T0 + 1 }]);
    expect(stale).toMatchObject({ changed: false, staleTimers: 1, seen: [], firedBySchedule: ['heartbeat'] });
    const due = evaluatePack(compiled, 'k', start, [], [{ kind: 'timer', timerName: 'heartbeat', dueAtMs: T0 + 300_000 }]);
    expect(due).toMatchObject({ changed: true, timersFired: 1, instance: { stateName: 'Offline' } });
  });
});
