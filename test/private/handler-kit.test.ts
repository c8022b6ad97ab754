import {
  backoffMs, canonicalJson, chunk, clientToken, cloudFormationError, createLogger, Deadline, isNotFound, isRetryable,
  MAX_REASON_BYTES, nameAndCodeOnly, propertiesUnchanged, redact, retryAfterMs, SDK_CLIENT_CONFIG, shortReason, truncateUtf8,
  withCloudFormationErrors, withEntryRetries, withRetries,
} from '../../src/private/handler-kit';

function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  const e = new Error(`${name} happened`);
  e.name = name;
  Object.assign(e, extra);
  return e;
}

const event = {
  RequestType: 'Create' as const,
  StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/s/1',
  LogicalResourceId: 'Res',
  RequestId: 'req-1',
  ResourceProperties: { ServiceToken: 'x', A: '1' },
};

describe('isRetryable', () => {
  test.each([
    ['ThrottlingException', true],
    ['InternalServerException', true],
    ['ServiceUnavailableException', true],
    ['ValidationException', false],
    ['ResourceNotFoundException', false],
    ['AccessDeniedException', false],
  ])('%s -> %s', (name, expected) => {
    expect(isRetryable(awsError(name))).toBe(expected);
  });

  test('http 429 and 5xx are retryable', () => {
    expect(isRetryable(awsError('Weird', { $metadata: { httpStatusCode: 429 } }))).toBe(true);
    expect(isRetryable(awsError('Weird', { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isRetryable(awsError('Weird', { $metadata: { httpStatusCode: 400 } }))).toBe(false);
  });
});

test('isNotFound', () => {
  expect(isNotFound(awsError('ResourceNotFoundException'))).toBe(true);
  expect(isNotFound(awsError('ValidationException'))).toBe(false);
});

describe('retryAfterMs and backoffMs', () => {
  test('reads retryAfterSeconds', () => {
    expect(retryAfterMs(awsError('ThrottlingException', { retryAfterSeconds: 7 }))).toBe(7000);
    expect(retryAfterMs(awsError('ThrottlingException', { $response: { headers: { 'retry-after': '3' } } }))).toBe(3000);
    expect(retryAfterMs(awsError('ThrottlingException'))).toBeUndefined();
  });

  test('honours retryAfterSeconds above the jittered wait', () => {
    expect(backoffMs(1, awsError('ThrottlingException', { retryAfterSeconds: 9 }), { random: () => 0.5 })).toBe(9000);
  });

  test('full jitter within an exponential ceiling capped by maxDelayMs', () => {
    const err = awsError('ThrottlingException');
    expect(backoffMs(1, err, { random: () => 0.999, baseDelayMs: 100 })).toBe(99);
    expect(backoffMs(4, err, { random: () => 0.5, baseDelayMs: 100 })).toBe(400);
    expect(backoffMs(30, err, { random: () => 0.5, baseDelayMs: 100, maxDelayMs: 1000 })).toBe(500);
  });
});

describe('withRetries', () => {
  test('retries throttling then succeeds, sleeping what the service asked', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await withRetries(async () => {
      calls++;
      if (calls < 3) throw awsError('ThrottlingException', { retryAfterSeconds: 2 });
      return 'ok';
    }, { sleep: async (ms) => { sleeps.push(ms); }, random: () => 0 });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(sleeps).toEqual([2000, 2000]);
  });

  test('does not retry a non-retryable error', async () => {
    let calls = 0;
    await expect(withRetries(async () => {
      calls++;
      throw awsError('ValidationException');
    }, { sleep: async () => {} })).rejects.toThrow('ValidationException happened');
    expect(calls).toBe(1);
  });

  test('stops after maxAttempts', async () => {
    let calls = 0;
    await expect(withRetries(async () => {
      calls++;
      throw awsError('ThrottlingException');
    }, { sleep: async () => {}, maxAttempts: 4 })).rejects.toThrow('ThrottlingException happened');
    expect(calls).toBe(4);
  });

  test('stops when the next wait exceeds the budget', async () => {
    let calls = 0;
    await expect(withRetries(async () => {
      calls++;
      throw awsError('ThrottlingException', { retryAfterSeconds: 50 });
    }, { sleep: async () => {}, budgetMs: 120_000 })).rejects.toThrow('ThrottlingException');
    expect(calls).toBe(3); // 50 s + 50 s slept; a third 50 s would exceed 120 s
  });
});

describe('clientToken', () => {
  test('is stable for a replayed request and differs for a new one', () => {
    expect(clientToken(event)).toBe(clientToken({ ...event }));
    expect(clientToken(event)).not.toBe(clientToken({ ...event, RequestId: 'req-2' }));
    expect(clientToken(event)).toMatch(/^[a-f0-9]{32}$/);
  });
});

describe('propertiesUnchanged', () => {
  test('ignores ServiceToken and key order', () => {
    expect(propertiesUnchanged({
      ...event,
      RequestType: 'Update',
      ResourceProperties: { ServiceToken: 'new', A: '1', B: ['x'] },
      OldResourceProperties: { B: ['x'], A: '1', ServiceToken: 'old' },
    })).toBe(true);
  });
  test('sees a change', () => {
    expect(propertiesUnchanged({
      ...event,
      RequestType: 'Update',
      ResourceProperties: { A: '2' },
      OldResourceProperties: { A: '1' },
    })).toBe(false);
  });
  test('canonicalJson sorts keys', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});

describe('shortReason and cloudFormationError', () => {
  test('keeps an oversized message under the limit on one line', () => {
    const reason = shortReason(awsError('ValidationException', { message: 'x\n'.repeat(50_000) }));
    expect(Buffer.byteLength(reason, 'utf8')).toBeLessThanOrEqual(MAX_REASON_BYTES);
    expect(reason.startsWith('ValidationException: x x')).toBe(true);
    expect(reason).not.toContain('\n');
  });

  test('never splits a multi-byte character', () => {
    const cut = truncateUtf8('é'.repeat(100), 11);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(11);
    expect(cut).toBe('éééé…');
  });

  test('redacts key material', () => {
    const reason = shortReason(new Error('bad -----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY----- end'));
    expect(reason).toBe('bad [redacted] end');
  });

  test('the thrown error carries a one-line stack', () => {
    const e = cloudFormationError(awsError('ThrottlingException'));
    expect(e.message).toBe('ThrottlingException: ThrottlingException happened');
    expect(e.stack).toBe(e.message);
  });
});

describe('logger', () => {
  test('redacts secret fields and PEM blocks', () => {
    const lines: string[] = [];
    const log = createLogger('test', (line) => lines.push(line));
    log.info('hello', { keyPair: { PrivateKey: 'k' }, certificatePem: 'c', SecretArn: 'arn:x', note: '-----BEGIN CERTIFICATE-----abc-----END CERTIFICATE-----' });
    const parsed = JSON.parse(lines[0]);
    expect(parsed).toEqual({ level: 'info', handler: 'test', message: 'hello', keyPair: '[redacted]', certificatePem: '[redacted]', SecretArn: 'arn:x', note: '[redacted]' });
  });

  test('redact walks arrays', () => {
    expect(redact([{ privateKey: 'x', ok: 1 }])).toEqual([{ privateKey: '[redacted]', ok: 1 }]);
  });
});

test('chunk splits into slices of at most size', () => {
  expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  expect(chunk([], 100)).toEqual([]);
});

describe('deadline', () => {
  const throttled = () => Object.assign(new Error('slow down'), { name: 'ThrottlingException' });

  test('retries stop before a back-off would run into the cleanup reserve', async () => {
    let left = 30_000;
    const deadline = Deadline.fromContext({ getRemainingTimeInMillis: () => left }, 20_000);
    let calls = 0;
    const fn = async () => { calls++; throw throttled(); };
    await expect(withRetries(fn, { deadline, random: () => 0.99, sleep: async (ms) => { left -= ms; } })).rejects.toThrow('slow down');
    expect(left).toBeGreaterThanOrEqual(20_000);
    expect(calls).toBeLessThan(8);
  });

  test('without a context there is no deadline: the attempt budget decides', async () => {
    let calls = 0;
    const fn = async () => { calls++; throw throttled(); };
    await expect(withRetries(fn, { deadline: Deadline.fromContext(undefined), sleep: async () => {} })).rejects.toThrow('slow down');
    expect(calls).toBe(8);
  });

  test('withCloudFormationErrors hands the invocation deadline to every retry inside it, batch retries too', async () => {
    let left = 25_000;
    let calls = 0;
    let batchCalls = 0;
    const log = createLogger('t', () => {});
    const handler = withCloudFormationErrors(log, async (_e, deadline) => {
      expect(deadline.remainingMs()).toBe(5_000);
      await withEntryRetries(['a'], (x) => x, async () => { batchCalls++; return [{ key: 'a', code: 'ThrottlingException' }]; },
        { batchSize: 10, random: () => 0.99, sleep: async (ms) => { left -= ms; } });
      return withRetries(async () => { calls++; throw throttled(); }, { random: () => 0.99, sleep: async (ms) => { left -= ms; } });
    });
    await expect(handler(event, { getRemainingTimeInMillis: () => left })).rejects.toThrow('ThrottlingException: slow down');
    expect(left).toBeGreaterThan(20_000);
    expect(batchCalls).toBeLessThan(8);
    expect(calls).toBeLessThan(8);
  });
});

describe('nameAndCodeOnly', () => {
  test('keeps the name, code and retry classification, drops the message', () => {
    const cause = Object.assign(new Error('value -----BEGIN PRIVATE KEY-----abc'), { name: 'ThrottlingException', code: 'Throttled', $metadata: { httpStatusCode: 400 } });
    const e = nameAndCodeOnly(cause, 'CreateSecret');
    expect(e.message).toBe('CreateSecret failed: ThrottlingException (code Throttled)');
    expect(e.stack).toBe(e.message);
    expect(isRetryable(e)).toBe(true);
    expect(JSON.stringify({ ...e, m: e.message, s: e.stack })).not.toContain('PRIVATE');
  });

  test('a not-found error stays not-found', () => {
    expect(isNotFound(nameAndCodeOnly(awsError('ResourceNotFoundException'), 'x'))).toBe(true);
  });
});

test('SDK clients fail a hung connection within the invocation', () => {
  expect(SDK_CLIENT_CONFIG).toEqual({ maxAttempts: 1, requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 } });
});
