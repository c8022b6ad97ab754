// AwsDetectorBackend and the Data API handler on the local engine (dynalite + in-memory FIFO queue).
import { REFERENCE, T0, pressure } from './reference-model';
import { DetectorModelDefinition, DetectorSimulator, InputDefinition } from '../../../src/detector';
import { DataApiError } from '../../../src/detector-runtime/private/data-api/backend';
import { handleDataApiRequest } from '../../../src/detector-runtime/private/data-api/rest-binding';
import { LocalRunResult, runEngineLocally } from '../../../src/detector-runtime/private/engine/local-harness';

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
