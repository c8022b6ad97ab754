/**
 * The published detector models of `../shared/fixtures/detector-models` (see its README). Read them only
 * inside `describeWithShared` / `testWithShared` blocks (`test/shared-oracle.ts`), which skip outside CI when
 * `../shared` is absent and fail in CI.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseJsonText, plainJsonValue } from '../../src/private/detector-engine/json-text';
import { SHARED_DETECTOR_MODELS_DIR } from '../shared-oracle';

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

/**
 * Every fixture, in file name order. Call it inside a `describeWithShared` block. The scenarios' payloads and
 * expected variables keep their integral decimals (`20.0` is an `IntegralDecimal`, as IoT Events read it);
 * send a payload as `writeJsonText(payload)`. The rest is plain JSON.
 */
export function loadFixtures(): Fixture[] {
  return fs.readdirSync(SHARED_DETECTOR_MODELS_DIR).filter((f) => f.endsWith('.json')).sort().map((file) => {
    const { scenarios, ...rest } = parseJsonText(fs.readFileSync(path.join(SHARED_DETECTOR_MODELS_DIR, file), 'utf8')) as Record<string, unknown>;
    return { file, ...plainJsonValue(rest) as Omit<Fixture, 'file' | 'scenarios'>, scenarios: scenarios as Fixture['scenarios'] };
  });
}

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
