import type { Circus } from '@jest/types';
import { createLogger, setLogSink } from '../../src/private/handler-kit';
import GreengrassTestEnvironment from '../environment';
import { HANDLER_LOGS_KEY, captureHandlerLogs, handlerLogs, handlerLogText } from '../handler-logs';

describe('handler log sink', () => {
  test('a logger without its own write sends its redacted lines to the sink the test setup installed', () => {
    createLogger('probe').info('created', { thingName: 'core-1', privateKey: 'k' });
    createLogger('probe').error('failed', { reason: 'x' });
    expect(handlerLogs().map((l) => [l.level, l.entry])).toEqual([
      ['info', { level: 'info', handler: 'probe', message: 'created', thingName: 'core-1', privateKey: '[redacted]' }],
      ['error', { level: 'error', handler: 'probe', message: 'failed', reason: 'x' }],
    ]);
    expect(handlerLogs('error')).toHaveLength(1);
    expect(handlerLogText().split('\n')).toHaveLength(2);
  });

  test('each test starts with no captured lines', () => {
    expect(handlerLogs()).toEqual([]);
  });

  test('the sink is looked up at each call, so a logger created before the sink changed follows it', () => {
    const log = createLogger('probe');
    const seen: string[] = [];
    const previous = setLogSink((line) => seen.push(line));
    try {
      log.info('later');
    } finally {
      setLogSink(previous);
    }
    expect(seen).toEqual(['{"level":"info","handler":"probe","message":"later"}']);
    expect(handlerLogs()).toEqual([]);
  });

  test('without a sink, info lines go to stdout and error lines to stderr (console.log / console.error)', () => {
    const out = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    let calls: unknown[][][];
    setLogSink(undefined);
    try {
      createLogger('probe').info('to stdout');
      createLogger('probe').error('to stderr');
      calls = [out.mock.calls, err.mock.calls];
    } finally {
      captureHandlerLogs();
      out.mockRestore();
      err.mockRestore();
    }
    expect(calls).toEqual([
      [['{"level":"info","handler":"probe","message":"to stdout"}']],
      [['{"level":"error","handler":"probe","message":"to stderr"}']],
    ]);
  });
});

describe('test environment', () => {
  const handle = (global: Record<string, any>, event: Partial<Circus.Event> & { name: string }) =>
    GreengrassTestEnvironment.prototype.handleTestEvent.call({ global } as any, event as Circus.Event);

  test('a failing test gets the lines logged during it added to its failure', () => {
    const global: Record<string, any> = {};
    handle(global, { name: 'test_start' });
    global[HANDLER_LOGS_KEY].push({ level: 'error', line: '{"message":"boom"}' });
    const errors: unknown[] = [new Error('expected 1, got 2')];
    handle(global, { name: 'test_done', test: { errors } as any });
    expect(errors).toHaveLength(2);
    expect((errors[1] as Error).stack).toBe('handler log lines during this test:\n  {"message":"boom"}');
  });

  test('a passing test, or a failing one that logged nothing, is left alone', () => {
    const global: Record<string, any> = {};
    handle(global, { name: 'test_start' });
    global[HANDLER_LOGS_KEY].push({ level: 'info', line: '{}' });
    const none: unknown[] = [];
    handle(global, { name: 'test_done', test: { errors: none } as any });
    expect(none).toEqual([]);
    handle(global, { name: 'test_start' });
    const one: unknown[] = [new Error('x')];
    handle(global, { name: 'test_done', test: { errors: one } as any });
    expect(one).toHaveLength(1);
  });

  test('a failure shows at most the last 200 lines, and says so', () => {
    const global: Record<string, any> = {};
    handle(global, { name: 'test_start' });
    for (let i = 0; i < 250; i++) global[HANDLER_LOGS_KEY].push({ level: 'info', line: `line ${i}` });
    const errors: unknown[] = [new Error('x')];
    handle(global, { name: 'test_done', test: { errors } as any });
    const stack = (errors[1] as Error).stack!.split('\n');
    expect(stack[0]).toBe('handler log lines during this test (the last 200 of 250):');
    expect(stack.slice(1)).toHaveLength(200);
    expect(stack[1]).toBe('  line 50');
  });
});
