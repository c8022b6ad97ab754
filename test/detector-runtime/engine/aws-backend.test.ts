// AwsDetectorBackend and the Data API handler on the local engine (dynalite + in-memory FIFO queue); the queue's
// failures with aws-sdk-client-mock.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { REFERENCE, T0, pressure } from './reference-model';
import { DetectorModelDefinition, DetectorSimulator, InputDefinition } from '../../../src/detector';
import { DataApiError } from '../../../src/detector-runtime/private/data-api/backend';
import { handleDataApiRequest } from '../../../src/detector-runtime/private/data-api/rest-binding';
import { AwsDetectorBackend } from '../../../src/detector-runtime/private/engine/aws-backend';
import { Ingest } from '../../../src/detector-runtime/private/engine/ingest';
import { LocalRunResult, runEngineLocally } from '../../../src/detector-runtime/private/engine/local-harness';
import { ModelRegistry } from '../../../src/detector-runtime/private/engine/models';
import { DetectorStateStore } from '../../../src/detector-runtime/private/engine/state-store';

jest.setTimeout(60_000);

let run: LocalRunResult;
beforeAll(async () => {
  run = await runEngineLocally({
    models: [REFERENCE],
    messages: [pressure('m1', 50, T0), pressure('m2', 80, T0 + 1), pressure('m3', 40, T0 + 2)],
    keepOpen: true,
  });
});
afterAll(() => run.close());

const M = 'motorPressure';

test('batchPutMessage: accepted messages are evaluated; no key and unknown input are error entries', async () => {
  const b = run.runtime.backend;
  const out = await b.batchPutMessage({
    messages: [
      { messageId: 'ok', inputName: 'PressureInput', payload: new TextEncoder().encode(JSON.stringify({ motorid: 'm3', sensorData: { pressure: 95 } })), timestamp: { timeInMillis: T0 + 5_000 } },
      { messageId: 'nokey', inputName: 'PressureInput', payload: new TextEncoder().encode('{"sensorData":{"pressure":1}}') },
      { messageId: 'noinput', inputName: 'Nope', payload: new TextEncoder().encode('{}') },
    ],
  });
  expect(out.batchPutMessageErrorEntries).toEqual([
    { messageId: 'nokey', errorCode: 'InvalidRequestException', errorMessage: "the payload has no motorid, the key of detector model 'motorPressure'" },
    { messageId: 'noinput', errorCode: 'ResourceNotFoundException', errorMessage: "input 'Nope' does not exist; the runtime has PressureInput" },
  ]);
  await run.drain();
  expect((await b.describeDetector({ detectorModelName: M, keyValue: 'm3' })).detector.state.stateName).toBe('Dangerous');
});

test('batchPutMessage: a messageId repeated within one request is refused, as the simulator refuses it; the first is evaluated', async () => {
  const b = run.runtime.backend;
  const reading = (value: number) => ({
    messageId: 'dup', inputName: 'PressureInput', payload: JSON.stringify({ motorid: 'm3', sensorData: { pressure: value } }), timestamp: { timeInMillis: T0 + 6_000 },
  });
  const out = await b.batchPutMessage({ messages: [reading(96), reading(10)] });
  const refused = { messageId: 'dup', errorCode: 'InvalidRequestException', errorMessage: "messageId 'dup' appears twice in the batch; message IDs must be unique within a batch" };
  expect(out.batchPutMessageErrorEntries).toEqual([refused]);
  const sim = new DetectorSimulator({
    detectorModels: [DetectorModelDefinition.fromJson(REFERENCE.detectorModel)], inputs: REFERENCE.inputs.map((i) => InputDefinition.fromJson(i)),
  });
  expect(sim.batchPutMessage({ messages: [reading(96), reading(10)] }).batchPutMessageErrorEntries).toEqual([refused]);
  await run.drain();
  // the 10 would have lowered breaches to 2
  expect((await b.describeDetector({ detectorModelName: M, keyValue: 'm3' })).detector.state).toMatchObject({ stateName: 'Dangerous', variables: [{ name: 'breaches', value: '3' }] });
});

test('batchPutMessage: error entries in the order of the request, as the simulator gives them', async () => {
  const b = run.runtime.backend;
  const text = (p: unknown) => new TextEncoder().encode(typeof p === 'string' ? p : JSON.stringify(p));
  const messages = [
    { messageId: 'e1', inputName: 'PressureInput', payload: text({ sensorData: { pressure: 1 } }) },
    { messageId: 'ok', inputName: 'PressureInput', payload: text({ motorid: 'm3', sensorData: { pressure: 96 } }), timestamp: { timeInMillis: T0 + 7_000 } },
    { messageId: 'e2', inputName: 'Nope', payload: text({}) },
    { messageId: 'e3', inputName: 'PressureInput', payload: text('{not json') },
    { messageId: 'e4', inputName: 'PressureInput', payload: text({ motorid: 'has space', sensorData: { pressure: 1 } }) },
    { messageId: 'e1', inputName: 'PressureInput', payload: text({ motorid: 'm3', sensorData: { pressure: 1 } }) },
  ];
  const expected = [
    ['e1', 'InvalidRequestException'], ['e2', 'ResourceNotFoundException'], ['e3', 'InvalidRequestException'], ['e4', 'InvalidRequestException'], ['e1', 'InvalidRequestException'],
  ];
  const out = await b.batchPutMessage({ messages });
  expect(out.batchPutMessageErrorEntries.map((e) => [e.messageId, e.errorCode])).toEqual(expected);
  const sim = new DetectorSimulator({
    detectorModels: [DetectorModelDefinition.fromJson(REFERENCE.detectorModel)], inputs: REFERENCE.inputs.map((i) => InputDefinition.fromJson(i)),
  });
  expect(sim.batchPutMessage({ messages }).batchPutMessageErrorEntries.map((e) => [e.messageId, e.errorCode])).toEqual(expected);
  await run.drain();
});

test('batchUpdateDetector sets state, variables and timers (creating a detector); errors per entry', async () => {
  const b = run.runtime.backend;
  const out = await b.batchUpdateDetector({
    detectors: [
      { messageId: 'u1', detectorModelName: M, keyValue: 'seeded', state: { stateName: 'Dangerous', variables: [{ name: 'breaches', value: '2' }], timers: [{ name: 'heartbeat', seconds: 120 }] } },
      { messageId: 'u2', detectorModelName: M, keyValue: 'x', state: { stateName: 'Nowhere', variables: [], timers: [] } },
      { messageId: 'u3', detectorModelName: 'Other', keyValue: 'x', state: { stateName: 'Normal', variables: [], timers: [] } },
    ],
  });
  expect(out.batchUpdateDetectorErrorEntries.map((e) => [e.messageId, e.errorCode])).toEqual([['u2', 'InvalidRequestException'], ['u3', 'ResourceNotFoundException']]);
  await run.drain();
  const d = (await b.describeDetector({ detectorModelName: M, keyValue: 'seeded' })).detector;
  expect(d.state).toEqual({
    stateName: 'Dangerous',
    variables: [{ name: 'breaches', value: '2' }],
    timers: [{ name: 'heartbeat', timestamp: new Date(run.nowMs + 120_000) }],
  });
});

test('batchUpdateDetector reads variable values as expression literals; describeDetector writes a string JSON-quoted, as IoT Events did', async () => {
  const b = run.runtime.backend;
  const variables = [
    { name: 'sensorId', value: '"01"' }, { name: 'desired', value: '22' }, { name: 'allowedError', value: '1.0' },
    { name: 'noDelay', value: 'true' }, { name: 'note', value: 'abc' }, { name: 'quoted', value: '\'it\\\'s\'' },
  ];
  const out = await b.batchUpdateDetector({ detectors: [{ messageId: 'lit', detectorModelName: M, keyValue: 'literals', state: { stateName: 'Normal', variables, timers: [] } }] });
  expect(out.batchUpdateDetectorErrorEntries).toEqual([]);
  await run.drain();
  const d = (await b.describeDetector({ detectorModelName: M, keyValue: 'literals' })).detector;
  expect(d.state.variables).toEqual([
    { name: 'allowedError', value: '1' }, { name: 'desired', value: '22' }, { name: 'noDelay', value: 'true' },
    { name: 'note', value: '"abc"' }, { name: 'quoted', value: '"it\'s"' }, { name: 'sensorId', value: '"01"' },
  ]);
  // the simulator reports the same texts
  const sim = new DetectorSimulator({
    detectorModels: [DetectorModelDefinition.fromJson(REFERENCE.detectorModel)], inputs: REFERENCE.inputs.map((i) => InputDefinition.fromJson(i)),
  });
  sim.batchUpdateDetector({ detectors: [{ messageId: 'lit', detectorModelName: M, keyValue: 'literals', state: { stateName: 'Normal', variables, timers: [] } }] });
  expect(sim.describeDetector({ detectorModelName: M, keyValue: 'literals' }).detector.state.variables).toEqual(d.state.variables);
  // the tests below list the detectors
  expect((await b.batchDeleteDetector({ detectors: [{ messageId: 'del', detectorModelName: M, keyValue: 'literals' }] })).batchDeleteDetectorErrorEntries).toEqual([]);
  await run.drain();
});

test('batchDeleteDetector deletes; a missing detector is ResourceNotFoundException; describe then throws', async () => {
  const b = run.runtime.backend;
  const out = await b.batchDeleteDetector({ detectors: [{ messageId: 'd1', detectorModelName: M, keyValue: 'm1' }, { messageId: 'd2', detectorModelName: M, keyValue: 'ghost' }] });
  expect(out.batchDeleteDetectorErrorEntries).toEqual([
    { messageId: 'd2', errorCode: 'ResourceNotFoundException', errorMessage: "detector model 'motorPressure' has no detector for key value 'ghost'" },
  ]);
  await run.drain();
  await expect(b.describeDetector({ detectorModelName: M, keyValue: 'm1' })).rejects.toThrow(DataApiError);
  await expect(b.describeDetector({ detectorModelName: M, keyValue: 'm1' })).rejects.toMatchObject({ errorType: 'ResourceNotFoundException', statusCode: 404 });
});

test('batchUpdateDetector and batchDeleteDetector: a messageId repeated within one request is refused at its repeat, as the simulator refuses it', async () => {
  const b = run.runtime.backend;
  const refused = (id: string) => ({ messageId: id, errorCode: 'InvalidRequestException', errorMessage: `messageId '${id}' appears twice in the batch; message IDs must be unique within a batch` });
  const update = {
    detectors: [
      { messageId: 'same', detectorModelName: M, keyValue: 'seeded', state: { stateName: 'Dangerous', variables: [{ name: 'breaches', value: '2' }], timers: [] } },
      { messageId: 'same', detectorModelName: M, keyValue: 'seeded', state: { stateName: 'Normal', variables: [], timers: [] } },
    ],
  };
  const del = { detectors: [{ messageId: 'gone', detectorModelName: M, keyValue: 'nobody' }, { messageId: 'gone', detectorModelName: M, keyValue: 'nobody' }] };
  const sim = new DetectorSimulator({
    detectorModels: [DetectorModelDefinition.fromJson(REFERENCE.detectorModel)], inputs: REFERENCE.inputs.map((i) => InputDefinition.fromJson(i)),
  });
  for (const backend of [b, sim]) {
    expect((await backend.batchUpdateDetector(update)).batchUpdateDetectorErrorEntries).toEqual([refused('same')]);
    expect((await backend.batchDeleteDetector(del)).batchDeleteDetectorErrorEntries).toEqual([
      { messageId: 'gone', errorCode: 'ResourceNotFoundException', errorMessage: "detector model 'motorPressure' has no detector for key value 'nobody'" },
      refused('gone'),
    ]);
  }
  await run.drain();
  // the first entry was applied, the repeat not
  expect((await b.describeDetector({ detectorModelName: M, keyValue: 'seeded' })).detector.state).toMatchObject({ stateName: 'Dangerous', timers: [] });
  expect(sim.describeDetector({ detectorModelName: M, keyValue: 'seeded' }).detector.state).toMatchObject({ stateName: 'Dangerous', timers: [] });
});

test('listDetectors pages with nextToken and filters by stateName', async () => {
  const b = run.runtime.backend;
  const p1 = await b.listDetectors({ detectorModelName: M, maxResults: 2 });
  expect(p1.detectorSummaries.map((s) => s.keyValue)).toEqual(['m2', 'm3']);
  const p2 = await b.listDetectors({ detectorModelName: M, maxResults: 2, nextToken: p1.nextToken });
  expect(p2.detectorSummaries.map((s) => s.keyValue)).toEqual(['seeded']);
  expect(p2.nextToken).toBeUndefined();
  const dangerous = await b.listDetectors({ detectorModelName: M, stateName: 'Dangerous' });
  expect(dangerous.detectorSummaries.map((s) => [s.keyValue, s.state.stateName, s.detectorModelVersion])).toEqual([
    ['m2', 'Dangerous', '1'], ['m3', 'Dangerous', '1'], ['seeded', 'Dangerous', '1'],
  ]);
  await expect(b.listDetectors({ detectorModelName: M, nextToken: 'garbage' })).rejects.toMatchObject({ errorType: 'InvalidRequestException' });
  // an empty nextToken is the first page, as in the simulator
  expect((await b.listDetectors({ detectorModelName: M, maxResults: 2, nextToken: '' })).detectorSummaries.map((s) => s.keyValue)).toEqual(['m2', 'm3']);
  await expect(b.listDetectors({ detectorModelName: 'Other' })).rejects.toMatchObject({ errorType: 'ResourceNotFoundException' });
});

test('through the REST binding: DescribeDetector and its 404 as the service renders them', async () => {
  const ok = await handleDataApiRequest(run.runtime.backend, { method: 'GET', path: `/detectors/${M}/keyValues/`, query: { keyValue: 'm2' } });
  expect(ok.statusCode).toBe(200);
  expect(JSON.parse(ok.body).detector.state.stateName).toBe('Dangerous');
  const missing = await handleDataApiRequest(run.runtime.backend, { method: 'GET', path: `/detectors/${M}/keyValues/`, query: { keyValue: 'nobody' } });
  expect(missing.statusCode).toBe(404);
  expect(missing.headers['x-amzn-ErrorType']).toBe('ResourceNotFoundException');
});

describe('error entries in request order when the queue refuses an entry checked before a failing one', () => {
  const sqs = new SQSClient({ region: 'us-east-1' });
  const sqsMock = mockClient(sqs);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const docMock = mockClient(doc);
  const backend = () => {
    const models = new ModelRegistry({ load: async () => ({ version: '1', definition: REFERENCE }) }, [M]);
    const ingest = new Ingest(sqs, 'https://sqs.us-east-1.amazonaws.com/1/d.fifo', models);
    return new AwsDetectorBackend({ store: new DetectorStateStore(doc, 'detectors'), models, ingest, now: () => T0 });
  };
  const refused = 'the detector queue refused the message: KMS.AccessDenied: no key';
  beforeEach(() => {
    sqsMock.reset();
    docMock.reset();
    // the first entry of the request (its pack is e0) is refused, for good (a sender fault)
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: 'e1', MessageId: 'x', MD5OfMessageBody: '' }], Failed: [{ Id: 'e0', SenderFault: true, Code: 'KMS.AccessDenied', Message: 'no key' }] });
  });

  test('BatchPutMessage', async () => {
    const out = await backend().batchPutMessage({
      messages: [
        { messageId: 'p1', inputName: 'PressureInput', payload: JSON.stringify({ motorid: 'm1', sensorData: { pressure: 1 } }) },
        { messageId: 'p2', inputName: 'PressureInput', payload: '{}' },
        { messageId: 'p3', inputName: 'PressureInput', payload: JSON.stringify({ motorid: 'm2', sensorData: { pressure: 1 } }) },
      ],
    });
    expect(out.batchPutMessageErrorEntries).toEqual([
      { messageId: 'p1', errorCode: 'InternalFailureException', errorMessage: refused },
      { messageId: 'p2', errorCode: 'InvalidRequestException', errorMessage: "the payload has no motorid, the key of detector model 'motorPressure'" },
    ]);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)[0].args[0].input.Entries!.map((e) => e.MessageGroupId)).toEqual(['motorPressure#m1', 'motorPressure#m2']);
  });

  test('BatchUpdateDetector', async () => {
    const state = (stateName: string) => ({ stateName, variables: [], timers: [] });
    const out = await backend().batchUpdateDetector({
      detectors: [
        { messageId: 'u1', detectorModelName: M, keyValue: 'm1', state: state('Normal') },
        { messageId: 'u2', detectorModelName: M, keyValue: 'm2', state: state('Nowhere') },
        { messageId: 'u3', detectorModelName: M, keyValue: 'm3', state: state('Normal') },
      ],
    });
    expect(out.batchUpdateDetectorErrorEntries.map((e) => [e.messageId, e.errorCode, e.errorMessage])).toEqual([
      ['u1', 'InternalFailureException', refused],
      ['u2', 'InvalidRequestException', "state 'Nowhere' is not a state of 'motorPressure' (Normal, Dangerous, Offline)"],
    ]);
  });

  test('BatchDeleteDetector', async () => {
    const item = (keyValue: string) => ({
      Item: { pk: `detector#${M}#${keyValue}`, detectorModelName: M, keyValue, version: 1, seen: '', stateName: 'Normal', instance: '{"stateName":"Normal","variables":{},"timers":{}}' },
    });
    docMock.on(GetCommand, { Key: { pk: `detector#${M}#m1` } }).resolves(item('m1'));
    docMock.on(GetCommand, { Key: { pk: `detector#${M}#m3` } }).resolves(item('m3'));
    docMock.on(GetCommand, { Key: { pk: `detector#${M}#ghost` } }).resolves({});
    const out = await backend().batchDeleteDetector({
      detectors: [{ messageId: 'd1', detectorModelName: M, keyValue: 'm1' }, { messageId: 'd2', detectorModelName: M, keyValue: 'ghost' }, { messageId: 'd3', detectorModelName: M, keyValue: 'm3' }],
    });
    expect(out.batchDeleteDetectorErrorEntries.map((e) => [e.messageId, e.errorCode])).toEqual([['d1', 'InternalFailureException'], ['d2', 'ResourceNotFoundException']]);
  });
});
