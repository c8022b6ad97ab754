import { LocalServer } from '../../../src/detector-runtime/cli/serve';
import { START_MS, THERMOSTAT, b64, startTestServer, writeJsonFiles } from '../local-runtime';

describe('the local server\'s own routes and limits', () => {
  let server: LocalServer;
  beforeEach(async () => { server = await startTestServer(); });
  afterEach(() => server.close());

  const call = async (method: string, path: string, body?: string) => {
    const res = await fetch(`${server.url}${path}`, { method, body });
    return { status: res.status, type: res.headers.get('x-amzn-errortype'), json: await res.json() as any };
  };

  test('GET /_simulator/time and POST /_simulator/advanceTime', async () => {
    expect(await call('GET', '/_simulator/time')).toEqual({ status: 200, type: null, json: { currentTime: '2026-01-01T00:00:00.000Z', timeInMillis: START_MS } });
    expect((await call('POST', '/_simulator/advanceTime', '{"seconds": 1.5}')).json.timeInMillis).toBe(START_MS + 1500);
  });

  test.each([
    ['POST', '/_simulator/advanceTime', '{"seconds": -1}', 400, 'InvalidRequestException', 'seconds must be a number of seconds >= 0, got -1'],
    ['POST', '/_simulator/advanceTime', 'soon', 400, 'InvalidRequestException', 'the body must be JSON: { "seconds": <number> }'],
    ['POST', '/_simulator/advanceTime', '{}', 400, 'InvalidRequestException', 'seconds must be a number of seconds >= 0, got undefined'],
    ['POST', '/_simulator/advanceTime', '{"seconds": 1e300}', 400, 'InvalidRequestException',
      'seconds must bring the simulated time (2026-01-01T00:00:00.000Z) no later than 9999-12-31T23:59:59.999Z, got 1e+300'],
    ['GET', '/_simulator/reset', undefined, 404, 'UnknownOperationException',
      'no route GET /_simulator/reset; the local routes are POST /_simulator/advanceTime, GET /_simulator/time, GET /_simulator/actions'],
  ])('%s %s %s → %i %s', async (method, path, body, status, type, message) => {
    expect(await call(method, path, body)).toEqual({ status, type, json: { message } });
  });

  test('GET /_simulator/actions lists the actions taken', async () => {
    await call('POST', '/inputs/messages', JSON.stringify({ messages: [{ messageId: 'm', inputName: 'TemperatureInput', payload: b64({ deviceId: 'd', temperature: 50 }) }] }));
    const { json } = await call('GET', '/_simulator/actions');
    expect(json.actions).toEqual([expect.objectContaining({ type: 'sns', keyValue: 'd', stateName: 'Overheated', eventName: 'Alarm', timeInMillis: START_MS })]);
  });

  test('the clock still works after a message with the latest timestamp the API takes', async () => {
    const body = JSON.stringify({ messages: [{ messageId: 'm', inputName: 'TemperatureInput', payload: b64({ deviceId: 'd', temperature: 1 }), timestamp: { timeInMillis: 253402300799999 } }] });
    expect((await call('POST', '/inputs/messages', body)).json).toEqual({ BatchPutMessageErrorEntries: [] });
    expect(await call('GET', '/_simulator/time')).toEqual({ status: 200, type: null, json: { currentTime: '9999-12-31T23:59:59.999Z', timeInMillis: 253402300799999 } });
    const described = await call('GET', '/detectors/Thermostat/keyValues?keyValue=d');
    expect(described.json.detector).toMatchObject({ creationTime: 253402300799.999, state: { timers: [{ name: 'heartbeat', timestamp: 253402301099.999 }] } });
  });

  test('a path that starts with // is a path (not a URL of another host): the Data API names it', async () => {
    const res = await call('GET', '//detectors/Thermostat');
    expect([res.status, res.type]).toEqual([404, 'UnknownOperationException']);
    expect(res.json.message).toMatch(/^no operation of the IoT Events Data API matches GET \/\/detectors\/Thermostat;/);
  });

  test('a body over 5 MiB is refused', async () => {
    const size = 5 * 1024 * 1024 + 1;
    expect(await call('POST', '/inputs/messages', 'x'.repeat(size))).toEqual({
      status: 400, type: 'InvalidRequestException', json: { message: `the request body is ${size} bytes; the local server reads at most 5242880` },
    });
  });
});

describe('the local server\'s start-up warnings', () => {
  test('none for a model whose key is an attribute of its input', async () => {
    const server = await startTestServer();
    try {
      expect(server.warnings).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test('a key the inputs do not declare (a published model\'s) is served, with a warning that names it', async () => {
    const server = await startTestServer(writeJsonFiles({ 'cranes.json': { ...THERMOSTAT, detectorModel: { ...THERMOSTAT.detectorModel, key: 'craneid' } } }));
    try {
      expect(server.warnings).toEqual([expect.stringMatching(
        /^detector model 'Thermostat' key 'craneid' is not an attribute, nor a path inside one, of the input it reads \(TemperatureInput: deviceId, temperature\); .*accepted because the model was read from JSON/)]);
    } finally {
      await server.close();
    }
  });
});
