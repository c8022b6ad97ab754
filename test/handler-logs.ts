/**
 * Handler logs in tests: `test/setup-env.ts` calls {@link captureHandlerLogs}, so the lines the handlers'
 * loggers write (`createLogger` in `src/private/handler-kit.ts`) are kept instead of
 * printed. A test asserts on them with {@link handlerLogs}; the lines are cleared when each test starts, and
 * when a test fails `test/environment.ts` adds them to its failure message.
 */
import { setLogSink } from '../src/private/handler-kit';

/** A line a handler logged during the current test. */
export interface HandlerLogLine {
  readonly level: 'info' | 'error';
  /** The JSON line as it would be printed. */
  readonly line: string;
  /** The line parsed: `{ level, handler, message, ...fields }`. */
  readonly entry: Record<string, any>;
}

/** The key of the captured lines on the test file's global object (read by `test/environment.ts`). */
export const HANDLER_LOGS_KEY = '__cdkGreengrassV2HandlerLogs';

function store(): HandlerLogLine[] {
  const g = globalThis as Record<string, any>;
  g[HANDLER_LOGS_KEY] ??= [];
  return g[HANDLER_LOGS_KEY];
}

/** Sends every handler logger's lines to the capture. */
export function captureHandlerLogs(): void {
  setLogSink((line, level) => {
    store().push({ level, line, entry: JSON.parse(line) });
  });
}

/** The lines handlers logged since the current test started, optionally only one level. */
export function handlerLogs(level?: 'info' | 'error'): HandlerLogLine[] {
  return store().filter((l) => level === undefined || l.level === level);
}

/** The lines handlers logged since the current test started, as printed, one per line. */
export function handlerLogText(): string {
  return store().map((l) => l.line).join('\n');
}
