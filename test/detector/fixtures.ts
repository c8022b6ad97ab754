/**
 * The published detector models of `../shared/fixtures/detector-models` (see its README). Tests that read
 * them skip with one line when the folder is absent and CI is not 'true' (a local guard until a shared one lands).
 */
import * as fs from 'fs';
import * as path from 'path';

export const FIXTURE_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'detector-models');

export interface Fixture {
  readonly file: string;
  readonly inputs: Array<{ inputName: string; attributes: string[] }>;
  readonly detectorModel: any;
  readonly scenarios: Array<{
    description: string;
    messages: Array<{ inputName: string; payload: unknown; timestamp: number | null }>;
    expect: Record<string, { stateName: string; variables: Record<string, unknown> }>;
  }>;
}

export const HAVE_FIXTURES = fs.existsSync(FIXTURE_DIR);
if (!HAVE_FIXTURES && process.env.CI === 'true') {
  throw new Error(`detector model fixtures are missing at ${FIXTURE_DIR}`);
}

export function loadFixtures(): Fixture[] {
  if (!HAVE_FIXTURES) return [];
  return fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json')).sort().map((file) => ({
    file,
    ...JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8')),
  }));
}

/** `describe` when the fixtures exist, else a skipped block that says why. */
export const describeWithFixtures: jest.Describe = HAVE_FIXTURES
  ? describe
  : ((name: string, fn: () => void) => describe.skip(`${name} (skipped: ${FIXTURE_DIR} is absent)`, fn)) as any;

/**
 * The fixture's definition as the API spells it, computed independently of the library: keys in camelCase,
 * Fn::Join joined, a Ref replaced by the input it stands for (the input of that name, else the only input),
 * nulls dropped.
 */
export function expectedApiJson(fixture: Fixture): any {
  const inputNames = fixture.inputs.map((i) => i.inputName);
  const walk = (v: any): any => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    if ('Ref' in v) return inputNames.includes(v.Ref) ? v.Ref : inputNames[0];
    if ('Fn::Join' in v) return v['Fn::Join'][1].map(walk).join(v['Fn::Join'][0]);
    const out: any = {};
    for (const [k, item] of Object.entries(v)) {
      if (item === null) continue;
      out[k.charAt(0).toLowerCase() + k.slice(1)] = walk(item);
    }
    return out;
  };
  return walk(fixture.detectorModel);
}
