/**
 * The jest environment: Node's, plus handler logs (see `test/handler-logs.ts`) cleared when each test starts
 * and, when a test fails, added to its failure message, so a passing run prints none of them.
 */
import type { Circus } from '@jest/types';
import { TestEnvironment } from 'jest-environment-node';
import { HANDLER_LOGS_KEY } from './handler-logs';

/** At most this many log lines are added to a failure message (the last ones). */
const MAX_LINES = 200;

export default class GreengrassTestEnvironment extends TestEnvironment {
  public handleTestEvent(event: Circus.Event): void {
    if (event.name === 'test_start') {
      this.global[HANDLER_LOGS_KEY] = [];
    } else if (event.name === 'test_done' && event.test.errors.length > 0) {
      const lines: Array<{ line: string }> = (this.global[HANDLER_LOGS_KEY] as any) ?? [];
      if (lines.length > 0) {
        const shown = lines.slice(-MAX_LINES).map((l) => `  ${l.line}`);
        const skipped = lines.length - shown.length;
        const logs = new Error();
        logs.stack = [`handler log lines during this test${skipped > 0 ? ` (the last ${MAX_LINES} of ${lines.length})` : ''}:`, ...shown].join('\n');
        event.test.errors.push(logs);
      }
    }
  }
}
