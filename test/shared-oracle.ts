/**
 * Third-party oracles stay outside the project, in `../shared` beside the repository: the GDK recipe schema
 * (`schemas/`), real recipes from public repositories (`fixtures/recipes/`, sources in `SOURCES.tsv`) and
 * IoT Events detector models (`fixtures/detector-models/`).
 *
 * Tests that need them use `describeWithShared` / `testWithShared`:
 * - `../shared` present: they run;
 * - absent, outside CI: they are skipped, and `test/global-setup.ts` says so in one line;
 * - absent with `CI=true`: the test file fails with {@link sharedMissingMessage} (and so does the run).
 *
 * Nothing under `../shared` may be read at module load outside these blocks: a skipped block's body never runs.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The repository's root folder. */
export const REPO_ROOT = path.resolve(__dirname, '..');
/** `../shared` from the repository root. */
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');
/** The GDK CLI's recipe schema. */
export const SHARED_GDK_SCHEMA_FILE = path.join(SHARED_DIR, 'schemas', 'greengrass-recipe.gdk-cli.schema.json');
/** Real recipes, byte-identical to their sources (listed in `SOURCES.tsv`). */
export const SHARED_RECIPES_DIR = path.join(SHARED_DIR, 'fixtures', 'recipes');
/** Real IoT Events detector models. */
export const SHARED_DETECTOR_MODELS_DIR = path.join(SHARED_DIR, 'fixtures', 'detector-models');

/** Whether `../shared` is there. */
export const SHARED_AVAILABLE = fs.existsSync(SHARED_DIR);

/** In CI (`CI` set to anything but `false` or `0`) nothing is skipped. */
export function sharedRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = (env.CI ?? '').trim().toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}

/** What is missing and what to do, for the failure in CI. */
export function sharedMissingMessage(): string {
  return `${SHARED_DIR} not found: with CI=true the tests that need its third-party oracles (GDK recipe schema, `
    + 'real recipes, detector models) must run; put the shared folder beside the repository (see docs/MAINTAINERS.md)';
}

/** The one line printed when those tests are skipped (outside CI). */
export function sharedSkippedLine(): string {
  return `skipped: the tests that need third-party oracles from ${SHARED_DIR} (GDK recipe schema checks, real recipes, `
    + 'detector models): not found; CI=true requires it (docs/MAINTAINERS.md)';
}

/** Throws in CI when `../shared` is missing; tells outside CI whether to run. */
function shouldRun(): boolean {
  if (SHARED_AVAILABLE) return true;
  if (sharedRequired()) throw new Error(sharedMissingMessage());
  return false;
}

/** `describe` for a block that needs `../shared`; outside CI without it, one skipped placeholder instead. */
export function describeWithShared(name: string, fn: () => void): void {
  if (shouldRun()) {
    describe(name, fn);
  } else {
    describe.skip(name, () => test('needs ../shared', () => undefined));
  }
}

/** `test` for a test that needs `../shared`; outside CI without it, skipped. */
export function testWithShared(name: string, fn: jest.ProvidesCallback, timeout?: number): void {
  if (shouldRun()) {
    test(name, fn, timeout);
  } else {
    test.skip(`${name} (needs ../shared)`, () => undefined);
  }
}
