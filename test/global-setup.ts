import { SHARED_AVAILABLE, sharedMissingMessage, sharedRequired, sharedSkippedLine } from './shared-oracle';

/**
 * Runs once before jest runs the test files: in CI a missing `../shared` stops the run here; outside CI
 * the tests that need it are skipped and this prints the one line that says so.
 */
export default function globalSetup(): void {
  if (SHARED_AVAILABLE) return;
  if (sharedRequired()) throw new Error(sharedMissingMessage());
  process.stdout.write(`\n${sharedSkippedLine()}\n`);
}
