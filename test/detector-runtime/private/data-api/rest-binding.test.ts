import { DataApiBackend, DataApiError } from '../../../../src/detector-runtime/private/data-api/backend';
import { DataApiHttpRequest, handleDataApiRequest } from '../../../../src/detector-runtime/private/data-api/rest-binding';

/** A backend that records what the binding passes and answers with what the test sets. */
class RecordingBackend implements DataApiBackend {
  public readonly calls: Array<{ operation: string; request: any; context?: any }> = [];
  public answer: any = {};
  public failure?: Error;

  batchPutMessage(request: any, context?: any) { return this.record('batchPutMessage', request, context); }
  batchUpdateDetector(request: any, context?: any) { return this.record('batchUpdateDetector', request, context); }
  batchDeleteDetector(request: any, context?: any) { return this.record('batchDeleteDetector', request, context); }
  describeDetector(request: any, context?: any) { return this.record('describeDetector', request, context); }
  listDetectors(request: any, context?: any) { return this.record('listDetectors', request, context); }

  private async record(operation: string, request: any, context?: any): Promise<any> {
    this.calls.push({ operation, request, context });
    if (this.failure) throw this.failure;
    return this.answer;
  }
}

function req(method: string, path: string, body?: unknown, query: Record<string, string> = {}): DataApiHttpRequest {
  return { method, path, query, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) };
}

const message = { messageId: 'm1', inputName: 'TemperatureInput', payload: Buffer.from('{"t":1}').toString('base64') };

describe('routing (the service model\'s http.requestUri)', () => {
  test.each([
    ['POST', '/inputs/messages', { messages: [message] }, {}, 'batchPutMessage'],
    ['POST', '/detectors', { detectors: [{ messageId: 'u1', detectorModelName: 'M', state: { stateName: 'S', variables: [], timers: [] } }] }, {}, 'batchUpdateDetector'],
    ['POST', '/detectors/delete', { detectors: [{ messageId: 'd1', detectorModelName: 'M' }] }, {}, 'batchDeleteDetector'],
    ['GET', '/detectors/M/keyValues/', undefined, { keyValue: 'k1' }, 'describeDetector'],
    ['GET', '/detectors/M/keyValues', undefined, { keyValue: 'k1' }, 'describeDetector'],
    ['GET', '/detectors/M', undefined, {}, 'listDetectors'],
    ['GET', '/detectors/delete', undefined, {}, 'listDetectors'],
  ])('%s %s → %s', async (method, path, body, query, operation) => {
    const backend = new RecordingBackend();
    backend.answer = operation === 'describeDetector'
      ? { detector: { detectorModelName: 'M', detectorModelVersion: '1', state: { stateName: 'S', variables: [], timers: [] }, creationTime: new Date(0), lastUpdateTime: new Date(0) } }
      : {};
    const res = await handleDataApiRequest(backend, req(method, path, body, query));
    expect(res.statusCode).toBe(200);
    expect(backend.calls.map((c) => c.operation)).toEqual([operation]);
  });

  test.each([
    ['GET', '/inputs/messages'],
    ['PUT', '/detectors'],
    ['POST', '/alarms/acknowledge'],
    ['GET', '/'],
    ['DELETE', '/detectors/M'],
    ['GET', '/detectors/M/keyValues/extra'],
    ['POST', '/inputs//messages'],
    ['GET', '/detectors//M'],
  ])('%s %s is no operation: 404 UnknownOperationException', async (method, path) => {
    const backend = new RecordingBackend();
    const res = await handleDataApiRequest(backend, req(method, path));
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-amzn-ErrorType']).toBe('UnknownOperationException');
    expect(JSON.parse(res.body).message).toContain(`${method} ${path}`);
    expect(backend.calls).toEqual([]);
  });

  test('path segments are URL-decoded and the query may come in the path', async () => {
    const backend = new RecordingBackend();
    backend.answer = { detectorSummaries: [] };
    await handleDataApiRequest(backend, req('GET', '/detectors/My%5FModel?stateName=Hot%20Zone&maxResults=5'));
    expect(backend.calls[0].request).toEqual({ detectorModelName: 'My_Model', stateName: 'Hot Zone', maxResults: 5 });
  });
});

describe('requests passed to the backend', () => {
  test('BatchPutMessage: the payload blob is decoded to bytes, the timestamp kept', async () => {
    const backend = new RecordingBackend();
    backend.answer = { batchPutMessageErrorEntries: [] };
    await handleDataApiRequest(backend, req('POST', '/inputs/messages', {
      messages: [{ ...message, timestamp: { timeInMillis: 1767225600000 } }],
    }));
    const sent = backend.calls[0].request.messages[0];
    expect(sent.payload).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(sent.payload).toString('utf8')).toBe('{"t":1}');
    expect(sent).toMatchObject({ messageId: 'm1', inputName: 'TemperatureInput', timestamp: { timeInMillis: 1767225600000 } });
  });

  test('DescribeDetector without keyValue passes none', async () => {
    const backend = new RecordingBackend();
    backend.failure = new DataApiError('ResourceNotFoundException', 'no');
    await handleDataApiRequest(backend, req('GET', '/detectors/M/keyValues/'));
    expect(backend.calls[0].request).toEqual({ detectorModelName: 'M' });
  });

  test('members the model does not know are dropped', async () => {
    const backend = new RecordingBackend();
    await handleDataApiRequest(backend, req('POST', '/detectors/delete', { detectors: [{ messageId: 'd', detectorModelName: 'M', extra: 1 }], other: true }));
    expect(backend.calls[0].request).toEqual({ detectors: [{ messageId: 'd', detectorModelName: 'M' }] });
  });
});

describe('validation against the model\'s shapes: InvalidRequestException 400 naming the member', () => {
  test('a BatchPutMessage of 10 messages, the API reference\'s maximum, is taken', async () => {
    const backend = new RecordingBackend();
    const res = await handleDataApiRequest(backend, req('POST', '/inputs/messages', { messages: Array.from({ length: 10 }, (_, i) => ({ ...message, messageId: `m${i}` })) }));
    expect(res.statusCode).toBe(200);
    expect(backend.calls[0].request.messages).toHaveLength(10);
  });

  const at = (member: string, constraint: string, value = 'null') => `Value ${value} at '${member}' failed to satisfy constraint: Member must ${constraint}`;
  test.each([
    ['messages missing', 'POST', '/inputs/messages', {}, {}, [at('messages', 'not be null')]],
    ['messages empty', 'POST', '/inputs/messages', { messages: [] }, {}, [at('messages', 'have length greater than or equal to 1', '[0 items]')]],
    ['11 messages (the API reference: at most 10 per batch)', 'POST', '/inputs/messages',
      { messages: Array.from({ length: 11 }, (_, i) => ({ ...message, messageId: `m${i}` })) }, {},
      [at('messages', 'have length less than or equal to 10', '[11 items]')]],
    ['a message null', 'POST', '/inputs/messages', { messages: [message, null] }, {}, [at('messages.2.member', 'not be null')]],
    ['a variable null', 'POST', '/detectors', { detectors: [{ messageId: 'u', detectorModelName: 'M', state: { stateName: 'S', variables: [null], timers: [] } }] }, {},
      [at('detectors.1.member.state.variables.1.member', 'not be null')]],
    ['messageId pattern', 'POST', '/inputs/messages', { messages: [{ ...message, messageId: 'a b' }] }, {},
      [at('messages.1.member.messageId', 'satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$', "'a b'")]],
    ['messageId too long', 'POST', '/inputs/messages', { messages: [message, { ...message, messageId: 'x'.repeat(65) }] }, {},
      [at('messages.2.member.messageId', 'have length less than or equal to 64', `'${'x'.repeat(65)}'`)]],
    ['inputName and payload missing', 'POST', '/inputs/messages', { messages: [{ messageId: 'm' }] }, {},
      [at('messages.1.member.inputName', 'not be null'), at('messages.1.member.payload', 'not be null')]],
    ['payload not base64', 'POST', '/inputs/messages', { messages: [{ ...message, payload: '{"t":1}' }] }, {},
      [at('messages.1.member.payload', 'be a base64-encoded blob', '\'{"t":1}\'')]],
    ['timeInMillis 0', 'POST', '/inputs/messages', { messages: [{ ...message, timestamp: { timeInMillis: 0 } }] }, {},
      [at('messages.1.member.timestamp.timeInMillis', 'have value greater than or equal to 1', '0')]],
    // past 9999-12-31T23:59:59.999Z: a time no Date (nor the runtime's store) holds, with its timers
    ['timeInMillis past year 9999', 'POST', '/inputs/messages', { messages: [{ ...message, timestamp: { timeInMillis: 9e15 } }] }, {},
      [at('messages.1.member.timestamp.timeInMillis', 'have value less than or equal to 253402300799999', '9000000000000000')]],
    ['keyValue pattern', 'POST', '/detectors/delete', { detectors: [{ messageId: 'd', detectorModelName: 'M', keyValue: 'a/b' }] }, {},
      [at('detectors.1.member.keyValue', 'satisfy regular expression pattern: ^[a-zA-Z0-9\\-_:]+$', "'a/b'")]],
    ['state members missing', 'POST', '/detectors', { detectors: [{ messageId: 'u', detectorModelName: 'M', state: { stateName: 'S' } }] }, {},
      [at('detectors.1.member.state.variables', 'not be null'), at('detectors.1.member.state.timers', 'not be null')]],
    ['variable name pattern', 'POST', '/detectors', {
      detectors: [{ messageId: 'u', detectorModelName: 'M', state: { stateName: 'S', variables: [{ name: '1x', value: '2' }], timers: [] } }],
    }, {}, [at('detectors.1.member.state.variables.1.member.name', 'satisfy regular expression pattern: ^[a-zA-Z][a-zA-Z0-9_]*$', "'1x'")]],
    ['timer seconds not an integer', 'POST', '/detectors', {
      detectors: [{ messageId: 'u', detectorModelName: 'M', state: { stateName: 'S', variables: [], timers: [{ name: 't', seconds: 1.5 }] } }],
    }, {}, [at('detectors.1.member.state.timers.1.member.seconds', 'be an integer', '1.5')]],
    ['model name pattern (uri)', 'GET', '/detectors/bad.name', undefined, {}, [at('detectorModelName', 'satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$', "'bad.name'")]],
    // an empty uri member, as the SDKs send detectorModelName '': the operation of the path, refused naming the member
    ['model name empty (DescribeDetector, /detectors//keyValues)', 'GET', '/detectors//keyValues', undefined, { keyValue: 'k' }, [
      at('detectorModelName', 'have length greater than or equal to 1', "''"),
      at('detectorModelName', 'satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$', "''"),
    ]],
    ['model name empty (ListDetectors, /detectors/)', 'GET', '/detectors/', undefined, {}, [
      at('detectorModelName', 'have length greater than or equal to 1', "''"),
      at('detectorModelName', 'satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$', "''"),
    ]],
    ['maxResults above 250', 'GET', '/detectors/M', undefined, { maxResults: '251' }, [at('maxResults', 'have value less than or equal to 250', '251')]],
    ['maxResults not a number', 'GET', '/detectors/M', undefined, { maxResults: 'ten' }, [at('maxResults', 'be an integer', "'ten'")]],
    ['keyValue empty (query)', 'GET', '/detectors/M/keyValues/', undefined, { keyValue: '' }, [
      at('keyValue', 'have length greater than or equal to 1', "''"),
      at('keyValue', 'satisfy regular expression pattern: ^[a-zA-Z0-9\\-_:]+$', "''"),
    ]],
  ])('%s', async (_name, method, path, body, query, problems) => {
    const backend = new RecordingBackend();
    const res = await handleDataApiRequest(backend, req(method, path, body, query));
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-amzn-ErrorType']).toBe('InvalidRequestException');
    expect(JSON.parse(res.body)).toEqual({
      message: `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
    });
    expect(backend.calls).toEqual([]);
  });

  test.each([['[]'], ['null'], ['"messages"'], ['7']])('a body that is JSON but no object: %s', async (text) => {
    const backend = new RecordingBackend();
    const res = await handleDataApiRequest(backend, req('POST', '/inputs/messages', text));
    expect([res.statusCode, res.headers['x-amzn-ErrorType']]).toEqual([400, 'InvalidRequestException']);
    expect(JSON.parse(res.body).message).toBe(`the request body must be a JSON object, got ${text}`);
    expect(backend.calls).toEqual([]);
  });

  test('a body that is not JSON', async () => {
    const res = await handleDataApiRequest(new RecordingBackend(), req('POST', '/inputs/messages', '{"messages": ['));
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-amzn-ErrorType']).toBe('InvalidRequestException');
    expect(JSON.parse(res.body).message).toMatch(/^the request body is not valid JSON/);
  });
});

describe('responses as the service renders them', () => {
  test('BatchPutMessage answers the capitalized BatchPutMessageErrorEntries', async () => {
    const backend = new RecordingBackend();
    backend.answer = { batchPutMessageErrorEntries: [{ messageId: 'm1', errorCode: 'ResourceNotFoundException', errorMessage: 'no input' }] };
    const res = await handleDataApiRequest(backend, req('POST', '/inputs/messages', { messages: [message] }));
    expect(res.headers['Content-Type']).toBe('application/json');
    expect(res.headers['x-amzn-RequestId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(res.body)).toEqual({
      BatchPutMessageErrorEntries: [{ messageId: 'm1', errorCode: 'ResourceNotFoundException', errorMessage: 'no input' }],
    });
  });

  test('the request id (API Gateway\'s) goes to the backend and back as x-amzn-RequestId; without one, each request gets a new UUID', async () => {
    const backend = new RecordingBackend();
    const given = await handleDataApiRequest(backend, { ...req('POST', '/inputs/messages', { messages: [message] }), requestId: 'a1b2c3d4-api-gateway' });
    expect(given.headers['x-amzn-RequestId']).toBe('a1b2c3d4-api-gateway');
    const failing = new RecordingBackend();
    failing.failure = new DataApiError('ResourceNotFoundException', 'gone');
    const error = await handleDataApiRequest(failing, { ...req('GET', '/detectors/M'), requestId: 'e5f6-api-gateway' });
    expect([error.statusCode, error.headers['x-amzn-RequestId']]).toEqual([404, 'e5f6-api-gateway']);
    await handleDataApiRequest(backend, req('POST', '/inputs/messages', { messages: [message] }));
    await handleDataApiRequest(backend, req('POST', '/inputs/messages', { messages: [message] }));
    const [first, second, third] = backend.calls.map((c) => c.context.requestId);
    expect(first).toBe('a1b2c3d4-api-gateway');
    expect(second).toMatch(/^[0-9a-f-]{36}$/);
    expect(third).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).not.toBe(third);
  });

  test.each([
    ['BatchPutMessage', '/inputs/messages', 'messages', { messageId: 'x', inputName: 'In', payload: Buffer.from('{}').toString('base64') },
      'batchPutMessageErrorEntries', 'BatchPutMessageErrorEntries'],
    ['BatchUpdateDetector', '/detectors', 'detectors', { messageId: 'x', detectorModelName: 'M', state: { stateName: 'S', variables: [], timers: [] } },
      'batchUpdateDetectorErrorEntries', 'batchUpdateDetectorErrorEntries'],
    ['BatchDeleteDetector', '/detectors/delete', 'detectors', { messageId: 'x', detectorModelName: 'M' },
      'batchDeleteDetectorErrorEntries', 'batchDeleteDetectorErrorEntries'],
  ])('%s: error entries in the order of the request\'s entries, whatever order the backend gives', async (_op, path, member, entry, answer, wire) => {
    const backend = new RecordingBackend();
    const error = (messageId: string) => ({ messageId, errorCode: 'InvalidRequestException', errorMessage: `bad ${messageId}` });
    backend.answer = { [answer]: [error('e2'), error('e3'), error('e4'), error('e1'), { messageId: 'unknown', errorCode: 'InternalFailureException', errorMessage: '?' }] };
    const res = await handleDataApiRequest(backend, req('POST', path, { [member]: ['e1', 'ok', 'e2', 'e3', 'e4'].map((messageId) => ({ ...entry, messageId })) }));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)[wire].map((e: any) => e.messageId)).toEqual(['e1', 'e2', 'e3', 'e4', 'unknown']);
    expect(JSON.parse(res.body)[wire][0]).toEqual(error('e1'));
  });

  test('DescribeDetector: timestamps in epoch seconds, no keyValue for a keyless model', async () => {
    const backend = new RecordingBackend();
    backend.answer = {
      detector: {
        detectorModelName: 'M',
        detectorModelVersion: '1',
        state: { stateName: 'S', variables: [{ name: 'v', value: '2.5' }], timers: [{ name: 't', timestamp: new Date(1767225900123) }] },
        creationTime: new Date(1767225600000),
        lastUpdateTime: new Date(1767225601500),
      },
    };
    const res = await handleDataApiRequest(backend, req('GET', '/detectors/M/keyValues/'));
    expect(JSON.parse(res.body)).toEqual({
      detector: {
        detectorModelName: 'M',
        detectorModelVersion: '1',
        state: { stateName: 'S', variables: [{ name: 'v', value: '2.5' }], timers: [{ name: 't', timestamp: 1767225900.123 }] },
        creationTime: 1767225600,
        lastUpdateTime: 1767225601.5,
      },
    });
  });

  test('ListDetectors: summaries and nextToken', async () => {
    const backend = new RecordingBackend();
    backend.answer = {
      detectorSummaries: [{ detectorModelName: 'M', keyValue: 'k', detectorModelVersion: '1', state: { stateName: 'S' }, creationTime: new Date(1000), lastUpdateTime: new Date(2000) }],
      nextToken: '1',
    };
    const res = await handleDataApiRequest(backend, req('GET', '/detectors/M', undefined, { maxResults: '1' }));
    expect(JSON.parse(res.body)).toEqual({
      detectorSummaries: [{ detectorModelName: 'M', keyValue: 'k', detectorModelVersion: '1', state: { stateName: 'S' }, creationTime: 1, lastUpdateTime: 2 }],
      nextToken: '1',
    });
  });

  test.each([
    ['InvalidRequestException', 400],
    ['ResourceNotFoundException', 404],
    ['ThrottlingException', 429],
    ['InternalFailureException', 500],
    ['ServiceUnavailableException', 503],
  ] as const)('a backend\'s DataApiError %s → %i with x-amzn-ErrorType and { message }', async (type, status) => {
    const backend = new RecordingBackend();
    backend.failure = new DataApiError(type, `because ${type}`);
    const res = await handleDataApiRequest(backend, req('GET', '/detectors/M'));
    expect(res.statusCode).toBe(status);
    expect(res.headers['x-amzn-ErrorType']).toBe(type);
    expect(JSON.parse(res.body)).toEqual({ message: `because ${type}` });
  });

  test('an AWS SDK error named like a Data API error (DynamoDB\'s ResourceNotFoundException) is an internal failure', async () => {
    const backend = new RecordingBackend();
    backend.failure = Object.assign(new Error('Requested resource not found: Table: detectors not found'), {
      name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 },
    });
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await handleDataApiRequest(backend, req('GET', '/detectors/M'));
      expect([res.statusCode, res.headers['x-amzn-ErrorType']]).toEqual([500, 'InternalFailureException']);
      expect(res.body).not.toContain('Table');
    } finally {
      spy.mockRestore();
    }
  });

  test('a DataApiError from another copy of backend.ts (a second bundle) is rendered as such', async () => {
    const backend = new RecordingBackend();
    class OtherCopy extends Error {
      constructor(readonly errorType: string, text: string, readonly statusCode: number) { super(text); }
    }
    backend.failure = new OtherCopy('ThrottlingException', 'slow down', 429);
    const res = await handleDataApiRequest(backend, req('GET', '/detectors/M'));
    expect([res.statusCode, res.headers['x-amzn-ErrorType'], JSON.parse(res.body).message]).toEqual([429, 'ThrottlingException', 'slow down']);
  });

  test('an unexpected backend error is a 500 InternalFailureException that does not leak its text', async () => {
    const backend = new RecordingBackend();
    backend.failure = new Error('secret table name');
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await handleDataApiRequest(backend, req('GET', '/detectors/M'));
      expect(res.statusCode).toBe(500);
      expect(res.headers['x-amzn-ErrorType']).toBe('InternalFailureException');
      expect(res.body).not.toContain('secret');
      expect(spy).toHaveBeenCalledWith('ListDetectors failed', backend.failure);
    } finally {
      spy.mockRestore();
    }
  });
});
