import { DetectorModelDefinition, DetectorSimulator, InputDefinition } from '../../../../src/detector';
import { DataApiError } from '../../../../src/detector-runtime/private/data-api/backend';
import { SimulatorBackend, ThrottlingBackend } from '../../../../src/detector-runtime/private/data-api/simulator-backend';
import { START_MS, THERMOSTAT } from '../../local-runtime';

function simulator() {
  return new DetectorSimulator({
    detectorModels: [DetectorModelDefinition.fromJson(THERMOSTAT.detectorModel)],
    inputs: THERMOSTAT.inputs.map((i) => InputDefinition.fromJson(i)),
    startTime: new Date(START_MS),
  });
}

const reading = (id: string, device: string, temperature: number) => ({
  messageId: id, inputName: 'TemperatureInput', payload: new Uint8Array(Buffer.from(JSON.stringify({ deviceId: device, temperature }))),
});

describe('SimulatorBackend', () => {
  test.each([
    ['describeDetector', (b: SimulatorBackend) => b.describeDetector({ detectorModelName: 'Nope', keyValue: 'k' })],
    ['listDetectors', (b: SimulatorBackend) => b.listDetectors({ detectorModelName: 'Nope' })],
  ])('%s of an unknown model: ResourceNotFoundException 404', async (_name, call) => {
    const error = await call(new SimulatorBackend(simulator(), { clock: 'manual' })).catch((e) => e);
    expect(error).toBeInstanceOf(DataApiError);
    expect([error.errorType, error.statusCode, error.message]).toEqual([
      'ResourceNotFoundException', 404, 'detector model \'Nope\' does not exist; the local runtime has Thermostat',
    ]);
  });

  test('the simulator\'s own errors become DataApiErrors (unknown key, bad nextToken)', async () => {
    const backend = new SimulatorBackend(simulator(), { clock: 'manual' });
    const missing = await backend.describeDetector({ detectorModelName: 'Thermostat', keyValue: 'nobody' }).catch((e) => e);
    expect([missing.constructor, missing.errorType, missing.statusCode]).toEqual([DataApiError, 'ResourceNotFoundException', 404]);
    const token = await backend.listDetectors({ detectorModelName: 'Thermostat', nextToken: '99' }).catch((e) => e);
    expect([token.constructor, token.errorType, token.statusCode]).toEqual([DataApiError, 'InvalidRequestException', 400]);
  });

  test('payload bytes reach the detector', async () => {
    const backend = new SimulatorBackend(simulator(), { clock: 'manual' });
    expect(await backend.batchPutMessage({ messages: [reading('m1', 'dev-1', 31)] })).toMatchObject({ batchPutMessageErrorEntries: [] });
    expect((await backend.describeDetector({ detectorModelName: 'Thermostat', keyValue: 'dev-1' })).detector.state.stateName).toBe('Overheated');
  });

  test('wall clock: simulated time follows the given clock before each request, and advanceTime adds to it', async () => {
    let now = START_MS;
    const sim = simulator();
    const backend = new SimulatorBackend(sim, { clock: 'wall', now: () => now });
    await backend.batchPutMessage({ messages: [reading('m1', 'dev-1', 20)] });
    now = START_MS + 299_000;
    expect((await backend.describeDetector({ detectorModelName: 'Thermostat', keyValue: 'dev-1' })).detector.state.stateName).toBe('Normal');
    now = START_MS + 300_000;
    expect((await backend.describeDetector({ detectorModelName: 'Thermostat', keyValue: 'dev-1' })).detector.state.stateName).toBe('Offline');
    expect(backend.advanceTime(60).getTime()).toBe(START_MS + 360_000);
    now += 1000;
    expect(backend.currentTime().getTime()).toBe(START_MS + 361_000);
  });

  test('manual clock: only advanceTime moves the time', async () => {
    const backend = new SimulatorBackend(simulator(), { clock: 'manual', now: () => START_MS + 10_000_000 });
    await backend.batchPutMessage({ messages: [reading('m1', 'dev-1', 20)] });
    expect(backend.currentTime().getTime()).toBe(START_MS);
    backend.advanceTime(300);
    expect((await backend.describeDetector({ detectorModelName: 'Thermostat', keyValue: 'dev-1' })).detector.state.stateName).toBe('Offline');
  });

  test.each([-1, Number.NaN, '5' as any])('advanceTime(%p) is an InvalidRequestException', (seconds) => {
    const backend = new SimulatorBackend(simulator(), { clock: 'manual' });
    expect(() => backend.advanceTime(seconds)).toThrow(new DataApiError('InvalidRequestException', `seconds must be a number of seconds >= 0, got ${JSON.stringify(seconds)}`));
  });
});

describe('ThrottlingBackend', () => {
  test('a token bucket of requestsPerSecond, refilled with time', async () => {
    let now = 0;
    const backend = new ThrottlingBackend(new SimulatorBackend(simulator(), { clock: 'manual' }), 2, () => now);
    const list = () => backend.listDetectors({ detectorModelName: 'Thermostat' }).then(() => 'ok', (e) => `${e.errorType} ${e.statusCode}`);
    expect([await list(), await list(), await list()]).toEqual(['ok', 'ok', 'ThrottlingException 429']);
    now = 499;
    expect(await list()).toBe('ThrottlingException 429');
    now = 500;
    expect([await list(), await list()]).toEqual(['ok', 'ThrottlingException 429']);
    now = 10_000;
    expect([await list(), await list(), await list()]).toEqual(['ok', 'ok', 'ThrottlingException 429']);
  });

  test('fails when the rate is not positive', () => {
    expect(() => new ThrottlingBackend(new SimulatorBackend(simulator()), 0)).toThrow('requestsPerSecond must be a number > 0, got 0');
  });
});
