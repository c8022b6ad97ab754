import { Sha256 } from '@aws-crypto/sha256-js';
import { BatchPutMessageCommand, DescribeDetectorCommand, IoTEventsDataClient } from '@aws-sdk/client-iot-events-data';
import { SignatureV4 } from '@smithy/signature-v4';
import { LocalServer } from '../../../src/detector-runtime/cli/serve';
import { DataApiError, DataApiHttpError, DetectorDataClient } from '../../../src/detector-runtime/client';
import { START_MS, startTestServer } from '../local-runtime';
import { CaptureServer, startCaptureServer } from './capture-server';
import { verifySigV4 } from './sigv4-oracle';

const CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test/secret+key' };
const CLOCK = new Date(Date.UTC(2026, 0, 1, 12, 0, 0));

describe('the SigV4 oracle', () => {
  test('reproduces AWS\'s published get-vanilla signature', () => {
    const result = verifySigV4({
      method: 'GET',
      url: '/',
      body: '',
      headers: {
        'Host': 'example.amazonaws.com',
        'X-Amz-Date': '20150830T123600Z',
        'Authorization': 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, '
          + 'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
      },
    }, 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    expect(result.valid).toBe(true);
  });

  test('reproduces get-vanilla-query-order-key-case', () => {
    const result = verifySigV4({
      method: 'GET',
      url: '/?Param2=value2&Param1=value1',
      body: '',
      headers: {
        'host': 'example.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
        'authorization': 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, '
          + 'Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
      },
    }, 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    expect(result.valid).toBe(true);
  });
});

describe('DetectorDataClient against the local server (unsigned)', () => {
  let server: LocalServer;
  let client: DetectorDataClient;
  beforeEach(async () => {
    server = await startTestServer();
    client = new DetectorDataClient({ endpoint: server.url, signed: false, maxAttempts: 1 });
  });
  afterEach(() => server.close());

  test('every operation, with the simulator\'s request and response types', async () => {
    const put = await client.batchPutMessage({
      messages: [
        { messageId: 'm1', inputName: 'TemperatureInput', payload: { deviceId: 'dev-1', temperature: 20 } },
        { messageId: 'm2', inputName: 'TemperatureInput', payload: '{"deviceId":"dev-2","temperature":35}' },
        { messageId: 'm3', inputName: 'TemperatureInput', payload: Buffer.from('{"deviceId":"dev-3","temperature":25}'), timestamp: { timeInMillis: START_MS + 1000 } },
        { messageId: 'm4', inputName: 'Nope', payload: {} },
      ],
    });
    expect(put.batchPutMessageErrorEntries).toEqual([
      { messageId: 'm4', errorCode: 'ResourceNotFoundException', errorMessage: 'input \'Nope\' does not exist; the simulator has TemperatureInput' },
    ]);
    expect((put as any).BatchPutMessageErrorEntries).toEqual(put.batchPutMessageErrorEntries);

    expect(await client.describeDetector({ detectorModelName: 'Thermostat', keyValue: 'dev-3' })).toEqual({
      detector: {
        detectorModelName: 'Thermostat',
        keyValue: 'dev-3',
        detectorModelVersion: '1',
        state: { stateName: 'Normal', variables: [{ name: 'lastTemperature', value: '25' }], timers: [{ name: 'heartbeat', timestamp: new Date(START_MS + 301_000) }] },
        creationTime: new Date(START_MS + 1000),
        lastUpdateTime: new Date(START_MS + 1000),
      },
    });

    const page1 = await client.listDetectors({ detectorModelName: 'Thermostat', maxResults: 2 });
    expect(page1.detectorSummaries.map((d) => [d.keyValue, d.state.stateName])).toEqual([['dev-1', 'Normal'], ['dev-2', 'Overheated']]);
    const page2 = await client.listDetectors({ detectorModelName: 'Thermostat', maxResults: 2, nextToken: page1.nextToken });
    expect(page2.detectorSummaries.map((d) => d.keyValue)).toEqual(['dev-3']);
    expect(page2.nextToken).toBeUndefined();
    expect((await client.listDetectors({ detectorModelName: 'Thermostat', stateName: 'Overheated' })).detectorSummaries.map((d) => d.keyValue)).toEqual(['dev-2']);

    const update = await client.batchUpdateDetector({
      detectors: [{ messageId: 'u1', detectorModelName: 'Thermostat', keyValue: 'dev-2', state: { stateName: 'Offline', variables: [], timers: [] } }],
    });
    expect(update).toEqual({ batchUpdateDetectorErrorEntries: [] });
    expect((await client.describeDetector({ detectorModelName: 'Thermostat', keyValue: 'dev-2' })).detector.state.stateName).toBe('Offline');

    const del = await client.batchDeleteDetector({ detectors: [{ messageId: 'd1', detectorModelName: 'Thermostat', keyValue: 'dev-1' }] });
    expect(del).toEqual({ batchDeleteDetectorErrorEntries: [] });
    expect((await client.listDetectors({ detectorModelName: 'Thermostat' })).detectorSummaries.map((d) => d.keyValue)).toEqual(['dev-2', 'dev-3']);
  });

  test('the service\'s errors reject with DataApiError of their type', async () => {
    const notFound = await client.describeDetector({ detectorModelName: 'Thermostat', keyValue: 'nobody' }).catch((e) => e);
    expect(notFound).toBeInstanceOf(DataApiError);
    expect([notFound.errorType, notFound.statusCode, notFound.name]).toEqual(['ResourceNotFoundException', 404, 'ResourceNotFoundException']);
    const invalid = await client.listDetectors({ detectorModelName: 'Thermostat', maxResults: 0 }).catch((e) => e);
    expect([invalid.constructor, invalid.errorType, invalid.statusCode]).toEqual([DataApiError, 'InvalidRequestException', 400]);
    expect(invalid.message).toBe('1 validation error detected: Value 0 at \'maxResults\' failed to satisfy constraint: Member must have value greater than or equal to 1');
  });

  test('an error that is not the Data API\'s rejects with DataApiHttpError', async () => {
    const c = new DetectorDataClient({ endpoint: `${server.url}/_simulator/nothing`, signed: false, maxAttempts: 1 });
    const error = await c.listDetectors({ detectorModelName: 'Thermostat' }).catch((e) => e);
    expect(error).toBeInstanceOf(DataApiHttpError);
    expect([error.errorType, error.statusCode]).toEqual(['UnknownOperationException', 404]);
  });
});

describe('DetectorDataClient retries throttling', () => {
  test('ThrottlingException: maxAttempts requests, then DataApiError ThrottlingException', async () => {
    const server = await startTestServer(undefined, { maxRequestsPerSecond: 0.01 });
    let requests = 0;
    const counting: typeof fetch = (input, init) => { requests++; return fetch(input, init); };
    try {
      const client = new DetectorDataClient({ endpoint: server.url, signed: false, maxAttempts: 2, fetch: counting });
      await client.listDetectors({ detectorModelName: 'Thermostat' });
      expect(requests).toBe(1);
      const error = await client.listDetectors({ detectorModelName: 'Thermostat' }).catch((e) => e);
      expect(error).toBeInstanceOf(DataApiError);
      expect([error.errorType, error.statusCode]).toEqual(['ThrottlingException', 429]);
      expect(requests).toBe(3);
      // a client error is not retried
      await client.describeDetector({ detectorModelName: 'bad.name' }).catch((e) => e);
      expect(requests).toBe(4);
    } finally {
      await server.close();
    }
  });
});

describe('signed requests (SigV4 for execute-api)', () => {
  let server: CaptureServer;
  beforeEach(async () => { server = await startCaptureServer('/prod'); });
  afterEach(() => server.close());

  function signedClient(extra: Partial<ConstructorParameters<typeof DetectorDataClient>[0]> = {}) {
    return new DetectorDataClient({ endpoint: server.url, region: 'eu-west-1', credentials: CREDENTIALS, clock: () => CLOCK, maxAttempts: 1, ...extra });
  }

  test('headers: Authorization for execute-api in the region, x-amz-date of the clock, host; the stage path kept', async () => {
    await signedClient().batchPutMessage({ messages: [{ messageId: 'm1', inputName: 'TemperatureInput', payload: { deviceId: 'd', temperature: 1 } }] });
    const [req] = server.requests;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/prod/inputs/messages');
    expect(req.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(req.headers['x-amz-date']).toBe('20260101T120000Z');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/20260101\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(JSON.parse(req.body)).toEqual({
      messages: [{ messageId: 'm1', inputName: 'TemperatureInput', payload: Buffer.from('{"deviceId":"d","temperature":1}').toString('base64') }],
    });
    expect(verifySigV4(req, CREDENTIALS.secretAccessKey)).toMatchObject({ valid: true, service: 'execute-api', region: 'eu-west-1' });
    // a changed body no longer verifies
    expect(verifySigV4({ ...req, body: req.body.replace('m1', 'm2') }, CREDENTIALS.secretAccessKey).valid).toBe(false);
  });

  test('the Authorization header equals what @smithy/signature-v4 produces independently for the same request', async () => {
    await signedClient().describeDetector({ detectorModelName: 'Thermostat', keyValue: 'dev:1' }).catch(() => undefined);
    const [req] = server.requests;
    expect(req.url).toBe('/prod/detectors/Thermostat/keyValues/?keyValue=dev%3A1');
    const signer = new SignatureV4({ service: 'execute-api', region: 'eu-west-1', credentials: CREDENTIALS, sha256: Sha256 });
    const independent = await signer.sign({
      method: 'GET',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: server.port,
      path: '/prod/detectors/Thermostat/keyValues/',
      query: { keyValue: 'dev:1' },
      headers: { host: `127.0.0.1:${server.port}` },
    }, { signingDate: CLOCK });
    expect(req.headers.authorization).toBe(independent.headers.authorization);
    expect(verifySigV4(req, CREDENTIALS.secretAccessKey).valid).toBe(true);
  });

  test('a session token is sent and signed', async () => {
    await signedClient({ credentials: { ...CREDENTIALS, sessionToken: 'token/with+chars' } }).listDetectors({ detectorModelName: 'Thermostat' });
    const [req] = server.requests;
    expect(req.headers['x-amz-security-token']).toBe('token/with+chars');
    const verified = verifySigV4(req, CREDENTIALS.secretAccessKey);
    expect(verified.valid).toBe(true);
    expect(verified.signedHeaders).toContain('x-amz-security-token');
  });

  test('credentials from the default chain (environment)', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret' });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    try {
      await new DetectorDataClient({ endpoint: server.url, region: 'us-east-2', maxAttempts: 1 }).listDetectors({ detectorModelName: 'Thermostat' });
    } finally {
      process.env = saved;
    }
    const verified = verifySigV4(server.requests[0], 'env-secret');
    expect(verified).toMatchObject({ valid: true, accessKeyId: 'AKIDENV', region: 'us-east-2', service: 'execute-api' });
  });

  test('the region comes from an execute-api host name', async () => {
    const sent: Array<{ url: string; headers: Record<string, string> }> = [];
    const recording: typeof fetch = async (input, init) => {
      sent.push({ url: String(input), headers: init!.headers as Record<string, string> });
      return new Response(JSON.stringify({ detectorSummaries: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const client = new DetectorDataClient({ endpoint: 'https://abc123.execute-api.eu-central-1.amazonaws.com/prod/', credentials: CREDENTIALS, clock: () => CLOCK, fetch: recording });
    await client.listDetectors({ detectorModelName: 'Thermostat', stateName: 'Hot Zone', maxResults: 10 });
    expect(sent[0].url).toBe('https://abc123.execute-api.eu-central-1.amazonaws.com/prod/detectors/Thermostat?maxResults=10&stateName=Hot%20Zone');
    expect(sent[0].headers.authorization).toMatch(/Credential=AKIDTEST\/20260101\/eu-central-1\/execute-api\/aws4_request/);
  });

  test('fails when there is no region to sign with', () => {
    const saved = { ...process.env };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      expect(() => new DetectorDataClient({ endpoint: 'https://example.com/api' }))
        .toThrow('no region to sign requests to https://example.com/api with: pass region, set AWS_REGION, or pass signed: false for the local server');
    } finally {
      process.env = saved;
    }
  });

  test('fails when the endpoint is no URL', () => {
    expect(() => new DetectorDataClient({ endpoint: 'execute-api', signed: false })).toThrow(/^endpoint must be a URL/);
  });
});

describe('the AWS SDK\'s IoTEventsDataClient against an IAM-authenticated endpoint', () => {
  let server: CaptureServer;
  beforeEach(async () => { server = await startCaptureServer('/prod'); });
  afterEach(() => server.close());

  test('by default it signs for ioteventsdata, which an execute-api IAM check rejects', async () => {
    const client = new IoTEventsDataClient({ endpoint: server.url, region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1 });
    await client.send(new DescribeDetectorCommand({ detectorModelName: 'Thermostat', keyValue: 'k' })).catch(() => undefined);
    client.destroy();
    const verified = verifySigV4(server.requests[0], CREDENTIALS.secretAccessKey);
    expect(verified.service).toBe('ioteventsdata');
    expect(verified.valid).toBe(true); // a valid signature, but for the wrong service: API Gateway wants execute-api
  });

  test('with signingName: \'execute-api\' its requests pass the execute-api signature check', async () => {
    const client = new IoTEventsDataClient({
      endpoint: server.url, region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1, signingName: 'execute-api',
    } as ConstructorParameters<typeof IoTEventsDataClient>[0] & { signingName: string });
    const res = await client.send(new BatchPutMessageCommand({
      messages: [{ messageId: 'm1', inputName: 'TemperatureInput', payload: new TextEncoder().encode('{"deviceId":"d1","temperature":3}') }],
    }));
    const described = await client.send(new DescribeDetectorCommand({ detectorModelName: 'Thermostat', keyValue: 'd1' }));
    client.destroy();
    expect(res.BatchPutMessageErrorEntries).toEqual([]);
    expect(described.detector?.state?.stateName).toBe('Normal');
    expect(server.requests.map((r) => r.url)).toEqual(['/prod/inputs/messages', '/prod/detectors/Thermostat/keyValues?keyValue=d1']);
    for (const req of server.requests) {
      expect(verifySigV4(req, CREDENTIALS.secretAccessKey)).toMatchObject({ valid: true, service: 'execute-api', region: 'eu-west-1' });
    }
  });
});
