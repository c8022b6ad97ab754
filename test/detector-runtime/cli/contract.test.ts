/**
 * Contract test: the real, last published IoT Events Data API client (`@aws-sdk/client-iot-events-data@3.956.0`)
 * pointed at the local server (`greengrass-detectors serve`, in-process) runs every detector operation and gets
 * the service's responses, and its typed exceptions for the service's errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  BatchDeleteDetectorCommand, BatchPutMessageCommand, BatchUpdateDetectorCommand, DescribeDetectorCommand,
  InvalidRequestException, IoTEventsDataClient, IoTEventsDataServiceException, ListDetectorsCommand,
  ResourceNotFoundException, ThrottlingException,
} from '@aws-sdk/client-iot-events-data';
import { LocalServer } from '../../../src/detector-runtime/cli/serve';
import { SHARED_DETECTOR_MODELS_DIR, describeWithShared } from '../../shared-oracle';
import { START_MS, startTestServer } from '../local-runtime';

function sdkClient(server: LocalServer, maxAttempts = 1): IoTEventsDataClient {
  return new IoTEventsDataClient({
    endpoint: server.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts,
  });
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

async function advance(server: LocalServer, seconds: number): Promise<any> {
  const res = await fetch(`${server.url}/_simulator/advanceTime`, { method: 'POST', body: JSON.stringify({ seconds }) });
  return res.json();
}

describe('IoTEventsDataClient 3.956.0 against the local server', () => {
  let server: LocalServer;
  let client: IoTEventsDataClient;
  beforeEach(async () => {
    server = await startTestServer();
    client = sdkClient(server);
  });
  afterEach(async () => {
    client.destroy();
    await server.close();
  });

  async function put(...messages: Array<{ id: string; device: string; temperature: number; at?: number }>) {
    return client.send(new BatchPutMessageCommand({
      messages: messages.map((m) => ({
        messageId: m.id,
        inputName: 'TemperatureInput',
        payload: json({ deviceId: m.device, temperature: m.temperature }),
        ...(m.at !== undefined ? { timestamp: { timeInMillis: m.at } } : {}),
      })),
    }));
  }

  test('BatchPutMessage creates detectors; DescribeDetector returns them with typed timestamps', async () => {
    const put1 = await put({ id: 'm1', device: 'dev-1', temperature: 20 }, { id: 'm2', device: 'dev-2', temperature: 35 });
    expect(put1.$metadata.httpStatusCode).toBe(200);
    expect(put1.BatchPutMessageErrorEntries).toEqual([]);

    const d1 = await client.send(new DescribeDetectorCommand({ detectorModelName: 'Thermostat', keyValue: 'dev-1' }));
    expect(d1.detector).toEqual({
      detectorModelName: 'Thermostat',
      keyValue: 'dev-1',
      detectorModelVersion: '1',
      state: {
        stateName: 'Normal',
        variables: [{ name: 'lastTemperature', value: '20' }],
        timers: [{ name: 'heartbeat', timestamp: new Date(START_MS + 300_000) }],
      },
      creationTime: new Date(START_MS),
      lastUpdateTime: new Date(START_MS),
    });
    const d2 = await client.send(new DescribeDetectorCommand({ detectorModelName: 'Thermostat', keyValue: 'dev-2' }));
    expect(d2.detector?.state?.stateName).toBe('Overheated');
    expect(server.simulator.actions.map((a) => [a.type, a.keyValue, a.configuration])).toEqual([
      ['sns', 'dev-2', { targetArn: 'arn:aws:sns:eu-west-1:123456789012:alarms' }],
    ]);
  });

  test('BatchPutMessage reports per-entry errors (unknown input, duplicate id) and accepts the rest', async () => {
    const res = await client.send(new BatchPutMessageCommand({
      messages: [
        { messageId: 'a', inputName: 'NoSuchInput', payload: json({}) },
        { messageId: 'b', inputName: 'TemperatureInput', payload: json({ deviceId: 'dev-9', temperature: 1 }) },
        { messageId: 'b', inputName: 'TemperatureInput', payload: json({ deviceId: 'dev-9', temperature: 2 }) },
        { messageId: 'c', inputName: 'TemperatureInput', payload: new TextEncoder().encode('not json') },
      ],
    }));
    expect(res.BatchPutMessageErrorEntries?.map((e) => [e.messageId, e.errorCode])).toEqual([
      ['a', 'ResourceNotFoundException'],
      ['b', 'InvalidRequestException'],
      ['c', 'InvalidRequestException'],
    ]);
    const d = await client.send(new DescribeDetectorCommand({ detectorModelName: 'Thermostat', keyValue: 'dev-9' }));
    expect(d.detector?.state?.variables).toEqual([{ name: 'lastTemperature', value: '1' }]);
  });

  test('BatchPutMessage error entries come in the order of the request, also when the key problem is found on evaluation', async () => {
    const res = await client.send(new BatchPutMessageCommand({
      messages: [
        { messageId: 'e1', inputName: 'TemperatureInput', payload: json({ temperature: 1 }) },
        { messageId: 'ok', inputName: 'TemperatureInput', payload: json({ deviceId: 'dev-1', temperature: 1 }) },
        { messageId: 'e2', inputName: 'NoSuchInput', payload: json({}) },
        { messageId: 'e3', inputName: 'TemperatureInput', payload: new TextEncoder().encode('not json') },
        { messageId: 'e4', inputName: 'TemperatureInput', payload: json({ deviceId: 'no spaces', temperature: 1 }) },
      ],
    }));
    expect(res.BatchPutMessageErrorEntries?.map((e) => [e.messageId, e.errorCode])).toEqual([
      ['e1', 'InvalidRequestException'],
      ['e2', 'ResourceNotFoundException'],
      ['e3', 'InvalidRequestException'],
      ['e4', 'InvalidRequestException'],
    ]);
  });

  test('a message timestamp moves the clock: the timer due on the way fires first', async () => {
    await put({ id: 'm1', device: 'dev-1', temperature: 20 });
    await put({ id: 'm2', device: 'dev-1', temperature: 21, at: START_MS + 301_000 });
    const d = await client.send(new DescribeDetectorCommand({ detectorModelName: 'Thermostat', keyValue: 'dev-1' }));
    // heartbeat expired at +300 s (Offline), then the reading at +301 s brought it back to Normal
    expect(d.detector?.state?.stateName).toBe('Normal');
    expect(d.detector?.lastUpdateTime).toEqual(new Date(START_MS + 301_000));
    expect(server.simulator.trace.filter((t) => t.type === 'transition').map((t) => t.description)).toEqual([
      'transition \'Silent\' from Normal to Offline',
      'transition \'Back\' from Offline to Normal',
    ]);
  });

  test('POST /_simulator/advanceTime fires timers', async () => {
    await put({ id: 'm1', device: 'dev-1', temperature: 20 });
    expect(await advance(server, 301)).toEqual({ currentTime: new Date(START_MS + 301_000).toISOString(), timeInMillis: START_MS + 301_000 });
    const d = await client.send(new DescribeDetectorCommand({ detectorModelName: 'Thermostat', keyValue: 'dev-1' }));
    expect(d.detector?.state).toEqual({ stateName: 'Offline', variables: [{ name: 'lastTemperature', value: '20' }], timers: [] });
  });

  test('BatchUpdateDetector sets state, variables and timers', async () => {
    await put({ id: 'm1', device: 'dev-1', temperature: 20 });
    const res = await client.send(new BatchUpdateDetectorCommand({
      detectors: [
        {
          messageId: 'u1',
          detectorModelName: 'Thermostat',
          keyValue: 'dev-1',
          state: {
            stateName: 'Overheated', variables: [{ name: 'lastTemperature', value: '99' }], timers: [{ name: 'heartbeat', seconds: 60 }],
          },
        },
        { messageId: 'u2', detectorModelName: 'Thermostat', keyValue: 'dev-1', state: { stateName: 'NoSuchState', variables: [], timers: [] } },
        { messageId: 'u3', detectorModelName: 'NoSuchModel', keyValue: 'dev-1', state: { stateName: 'Normal', variables: [], timers: [] } },
      ],
    }));
    expect(res.batchUpdateDetectorErrorEntries?.map((e) => [e.messageId, e.errorCode])).toEqual([
      ['u2', 'InvalidRequestException'],
      ['u3', 'ResourceNotFoundException'],
    ]);
    const d = await client.send(new DescribeDetectorCommand({ detectorModelName: 'Thermostat', keyValue: 'dev-1' }));
    expect(d.detector?.state).toEqual({
      stateName: 'Overheated', variables: [{ name: 'lastTemperature', value: '99' }], timers: [{ name: 'heartbeat', timestamp: new Date(START_MS + 60_000) }],
    });
  });

  test('BatchUpdateDetector on a key value with no detector creates it in the given state and runs no event, as the runtime does', async () => {
    await advance(server, 10);
    const res = await client.send(new BatchUpdateDetectorCommand({
      detectors: [{
        messageId: 'u1',
        detectorModelName: 'Thermostat',
        keyValue: 'dev-new',
        state: { stateName: 'Overheated', variables: [{ name: 'lastTemperature', value: '41' }], timers: [{ name: 'heartbeat', seconds: 60 }] },
      }],
    }));
    expect(res.batchUpdateDetectorErrorEntries).toEqual([]);
    const d = await client.send(new DescribeDetectorCommand({ detectorModelName: 'Thermostat', keyValue: 'dev-new' }));
    expect(d.detector).toEqual({
      detectorModelName: 'Thermostat',
      keyValue: 'dev-new',
      detectorModelVersion: '1',
      state: { stateName: 'Overheated', variables: [{ name: 'lastTemperature', value: '41' }], timers: [{ name: 'heartbeat', timestamp: new Date(START_MS + 70_000) }] },
      creationTime: new Date(START_MS + 10_000),
      lastUpdateTime: new Date(START_MS + 10_000),
    });
    // Overheated's onEnter (the SNS alarm) did not run
    expect(server.simulator.actions).toEqual([]);
    const listed = await client.send(new ListDetectorsCommand({ detectorModelName: 'Thermostat' }));
    expect(listed.detectorSummaries?.map((s) => [s.keyValue, s.state?.stateName])).toEqual([['dev-new', 'Overheated']]);
  });

  test('no keyValue for a model with a key: ResourceNotFoundException in BatchUpdateDetector, BatchDeleteDetector and DescribeDetector', async () => {
    await put({ id: 'm1', device: 'dev-1', temperature: 20 });
    const message = "detector model 'Thermostat' has the key deviceId; give keyValue";
    const update = await client.send(new BatchUpdateDetectorCommand({
      detectors: [{ messageId: 'u1', detectorModelName: 'Thermostat', state: { stateName: 'Offline', variables: [], timers: [] } }],
    }));
    expect(update.batchUpdateDetectorErrorEntries).toEqual([{ messageId: 'u1', errorCode: 'ResourceNotFoundException', errorMessage: message }]);
    const del = await client.send(new BatchDeleteDetectorCommand({ detectors: [{ messageId: 'd1', detectorModelName: 'Thermostat' }] }));
    expect(del.batchDeleteDetectorErrorEntries).toEqual([{ messageId: 'd1', errorCode: 'ResourceNotFoundException', errorMessage: message }]);
    const error = await client.send(new DescribeDetectorCommand({ detectorModelName: 'Thermostat' })).catch((e) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect([error.$metadata.httpStatusCode, error.message]).toEqual([404, message]);
    const listed = await client.send(new ListDetectorsCommand({ detectorModelName: 'Thermostat' }));
    expect(listed.detectorSummaries?.map((s) => [s.keyValue, s.state?.stateName])).toEqual([['dev-1', 'Normal']]);
  });

  test('BatchUpdateDetector and BatchDeleteDetector refuse a messageId repeated within the request at its repeat, as BatchPutMessage does', async () => {
    await put({ id: 'm1', device: 'dev-1', temperature: 20 }, { id: 'm2', device: 'dev-2', temperature: 20 });
    const refused = (id: string) => ({ messageId: id, errorCode: 'InvalidRequestException', errorMessage: `messageId '${id}' appears twice in the batch; message IDs must be unique within a batch` });
    const update = await client.send(new BatchUpdateDetectorCommand({
      detectors: [
        { messageId: 'u', detectorModelName: 'Thermostat', keyValue: 'dev-1', state: { stateName: 'Offline', variables: [], timers: [] } },
        { messageId: 'u', detectorModelName: 'Thermostat', keyValue: 'dev-2', state: { stateName: 'Offline', variables: [], timers: [] } },
      ],
    }));
    expect(update.batchUpdateDetectorErrorEntries).toEqual([refused('u')]);
    const del = await client.send(new BatchDeleteDetectorCommand({
      detectors: [{ messageId: 'd', detectorModelName: 'Thermostat', keyValue: 'dev-1' }, { messageId: 'd', detectorModelName: 'Thermostat', keyValue: 'dev-2' }],
    }));
    expect(del.batchDeleteDetectorErrorEntries).toEqual([refused('d')]);
    const listed = await client.send(new ListDetectorsCommand({ detectorModelName: 'Thermostat' }));
    expect(listed.detectorSummaries?.map((s) => [s.keyValue, s.state?.stateName])).toEqual([['dev-2', 'Normal']]);
  });

  test('BatchDeleteDetector deletes; DescribeDetector then throws ResourceNotFoundException', async () => {
    await put({ id: 'm1', device: 'dev-1', temperature: 20 });
    const res = await client.send(new BatchDeleteDetectorCommand({
      detectors: [
        { messageId: 'd1', detectorModelName: 'Thermostat', keyValue: 'dev-1' },
        { messageId: 'd2', detectorModelName: 'Thermostat', keyValue: 'dev-404' },
      ],
    }));
    expect(res.batchDeleteDetectorErrorEntries?.map((e) => [e.messageId, e.errorCode])).toEqual([['d2', 'ResourceNotFoundException']]);
    const error = await client.send(new DescribeDetectorCommand({ detectorModelName: 'Thermostat', keyValue: 'dev-1' })).catch((e) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toBe('detector model \'Thermostat\' has no detector for key value \'dev-1\'');
  });

  test('ListDetectors pages with maxResults/nextToken and filters by stateName', async () => {
    await put(...[20, 35, 21, 36, 22].map((t, i) => ({ id: `m${i}`, device: `dev-${i}`, temperature: t })));
    const page1 = await client.send(new ListDetectorsCommand({ detectorModelName: 'Thermostat', maxResults: 2 }));
    expect(page1.detectorSummaries?.map((d) => d.keyValue)).toEqual(['dev-0', 'dev-1']);
    expect(page1.nextToken).toEqual(expect.any(String));
    expect(page1.detectorSummaries?.[0]).toEqual({
      detectorModelName: 'Thermostat',
      keyValue: 'dev-0',
      detectorModelVersion: '1',
      state: { stateName: 'Normal' },
      creationTime: new Date(START_MS),
      lastUpdateTime: new Date(START_MS),
    });
    const keys: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ListDetectorsCommand({ detectorModelName: 'Thermostat', maxResults: 2, nextToken }));
      keys.push(...(page.detectorSummaries ?? []).map((d) => d.keyValue!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(keys).toEqual(['dev-0', 'dev-1', 'dev-2', 'dev-3', 'dev-4']);
    expect(pages).toBe(3);
    const hot = await client.send(new ListDetectorsCommand({ detectorModelName: 'Thermostat', stateName: 'Overheated' }));
    expect(hot.detectorSummaries?.map((d) => d.keyValue)).toEqual(['dev-1', 'dev-3']);
    expect(hot.nextToken).toBeUndefined();
  });

  test('ListDetectors: a nextToken resumes after the last detector listed, also when one listed before was deleted; a made-up one is InvalidRequestException', async () => {
    await put(...[20, 21, 22, 23].map((t, i) => ({ id: `m${i}`, device: `dev-${i}`, temperature: t })));
    const page1 = await client.send(new ListDetectorsCommand({ detectorModelName: 'Thermostat', maxResults: 2 }));
    expect(page1.detectorSummaries?.map((d) => d.keyValue)).toEqual(['dev-0', 'dev-1']);
    await client.send(new BatchDeleteDetectorCommand({ detectors: [{ messageId: 'd', detectorModelName: 'Thermostat', keyValue: 'dev-0' }] }));
    const page2 = await client.send(new ListDetectorsCommand({ detectorModelName: 'Thermostat', maxResults: 2, nextToken: page1.nextToken }));
    expect(page2.detectorSummaries?.map((d) => d.keyValue)).toEqual(['dev-2', 'dev-3']);
    expect(page2.nextToken).toBeUndefined();
    for (const nextToken of ['0', '2', 'abc']) {
      const error = await client.send(new ListDetectorsCommand({ detectorModelName: 'Thermostat', nextToken })).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidRequestException);
      expect([error.$metadata.httpStatusCode, error.message]).toEqual([400, `nextToken ${JSON.stringify(nextToken)} was not returned by listDetectors for 'Thermostat'`]);
    }
  });

  test.each([
    ['DescribeDetector of an unknown model', () => new DescribeDetectorCommand({ detectorModelName: 'Nope', keyValue: 'k' }), ResourceNotFoundException, 404],
    ['ListDetectors of an unknown model', () => new ListDetectorsCommand({ detectorModelName: 'Nope' }), ResourceNotFoundException, 404],
    ['ListDetectors with maxResults 251', () => new ListDetectorsCommand({ detectorModelName: 'Thermostat', maxResults: 251 }), InvalidRequestException, 400],
    ['ListDetectors with a nextToken it never returned', () => new ListDetectorsCommand({ detectorModelName: 'Thermostat', nextToken: 'x' }), InvalidRequestException, 400],
    ['BatchPutMessage with a bad messageId', () => new BatchPutMessageCommand({
      messages: [{ messageId: 'no spaces', inputName: 'TemperatureInput', payload: json({}) }],
    }), InvalidRequestException, 400],
    ['BatchUpdateDetector with no detectors', () => new BatchUpdateDetectorCommand({ detectors: [] }), InvalidRequestException, 400],
  ] as const)('%s: the SDK throws its typed exception', async (_name, command, type, status) => {
    const error = await client.send(command() as any).catch((e) => e);
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(IoTEventsDataServiceException);
    expect(error.$metadata.httpStatusCode).toBe(status);
    expect(error.$fault).toBe('client');
    expect(error.message.length).toBeGreaterThan(10);
  });

  test('an empty detectorModelName (the SDK sends /detectors//keyValues and /detectors/) is InvalidRequestException naming it', async () => {
    const problems = "2 validation errors detected: Value '' at 'detectorModelName' failed to satisfy constraint: Member must have length greater than or equal to 1; "
      + "Value '' at 'detectorModelName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$";
    for (const command of [new DescribeDetectorCommand({ detectorModelName: '', keyValue: 'dev-1' }), new ListDetectorsCommand({ detectorModelName: '' })]) {
      const error = await client.send(command as any).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidRequestException);
      expect([error.$metadata.httpStatusCode, error.message]).toEqual([400, problems]);
    }
  });

  test('the validation message names the member', async () => {
    const error = await client.send(new ListDetectorsCommand({ detectorModelName: 'Thermostat', maxResults: 251 })).catch((e) => e);
    expect(error.message).toBe('1 validation error detected: Value 251 at \'maxResults\' failed to satisfy constraint: Member must have value less than or equal to 250');
  });
});

describe('ThrottlingException from the request limit (--max-requests-per-second)', () => {
  test('a request above the limit gets the SDK\'s ThrottlingException (429); the SDK retries it', async () => {
    // 0.01 requests per second: one request now, the next one in 100 s
    const server = await startTestServer(undefined, { maxRequestsPerSecond: 0.01 });
    let requests = 0;
    const client = sdkClient(server, 2);
    client.middlewareStack.add((next) => async (args) => {
      requests++;
      return next(args);
    }, { step: 'finalizeRequest', name: 'countRequests' });
    try {
      await client.send(new ListDetectorsCommand({ detectorModelName: 'Thermostat' }));
      const error = await client.send(new ListDetectorsCommand({ detectorModelName: 'Thermostat' })).catch((e) => e);
      expect(error).toBeInstanceOf(ThrottlingException);
      expect(error.$metadata.httpStatusCode).toBe(429);
      expect(error.$metadata.attempts).toBe(2);
      expect(requests).toBeGreaterThanOrEqual(2);
    } finally {
      client.destroy();
      await server.close();
    }
  });
});

describeWithShared('published detector models (../shared/fixtures/detector-models) through the SDK', () => {
  const files = fs.readdirSync(SHARED_DETECTOR_MODELS_DIR).filter((f) => f.endsWith('.json')).sort();
  const scenarios = files.flatMap((file) => {
    const fixture = JSON.parse(fs.readFileSync(path.join(SHARED_DETECTOR_MODELS_DIR, file), 'utf8'));
    return (fixture.scenarios as any[]).map((s, i) => [`${file} #${i + 1}`, file, s] as const);
  });
  test('every model file loads into the local server', async () => {
    for (const file of files) {
      const server = await startTestServer([path.join(SHARED_DETECTOR_MODELS_DIR, file)]);
      expect(server.simulator.detectorModelNames).toHaveLength(1);
      await server.close();
    }
  });
  test.each(scenarios)('%s', async (_name, file, scenario) => {
    const server = await startTestServer([path.join(SHARED_DETECTOR_MODELS_DIR, file)]);
    const client = sdkClient(server);
    try {
      const [detectorModelName] = server.simulator.detectorModelNames;
      for (const [i, m] of (scenario.messages as any[]).entries()) {
        const res = await client.send(new BatchPutMessageCommand({
          messages: [{
            messageId: `m${i}`,
            inputName: m.inputName,
            payload: json(m.payload),
            ...(m.timestamp !== null ? { timestamp: { timeInMillis: m.timestamp } } : {}),
          }],
        }));
        expect(res.BatchPutMessageErrorEntries).toEqual([]);
      }
      const keys = Object.keys(scenario.expect);
      const listed = await client.send(new ListDetectorsCommand({ detectorModelName }));
      expect(listed.detectorSummaries!.map((d) => d.keyValue ?? '_').sort()).toEqual([...keys].sort());
      for (const key of keys) {
        const { detector } = await client.send(new DescribeDetectorCommand({ detectorModelName, ...(key === '_' ? {} : { keyValue: key }) }));
        expect({
          stateName: detector!.state!.stateName,
          variables: Object.fromEntries(detector!.state!.variables!.map((v) => [v.name, v.value])),
        }).toEqual({
          stateName: scenario.expect[key].stateName,
          variables: Object.fromEntries(Object.entries(scenario.expect[key].variables).map(([k, v]) => [k, String(v)])),
        });
      }
    } finally {
      client.destroy();
      await server.close();
    }
  });
});
