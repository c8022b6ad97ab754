import * as fs from 'fs';
import * as path from 'path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { parse } from 'yaml';
import { FIXTURE_RECIPES_DIR } from './recipe-check';
import { Recipe } from '../../src';

/** Differences between two recipes, keys compared case-insensitively, values exactly. */
export function recipeDifferences(actual: any, expected: any, where = 'recipe'): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${where}: expected a list, got ${JSON.stringify(actual)}`];
    if (actual.length !== expected.length) return [`${where}: expected ${expected.length} items, got ${actual.length}`];
    return expected.flatMap((e, i) => recipeDifferences(actual[i], e, `${where}[${i}]`));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return [`${where}: expected an object, got ${JSON.stringify(actual)}`];
    const byLower = (o: any) => new Map(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
    const a = byLower(actual);
    const e = byLower(expected);
    const diffs: string[] = [];
    for (const k of new Set([...a.keys(), ...e.keys()])) {
      if (!a.has(k)) diffs.push(`${where}.${k}: missing`);
      else if (!e.has(k)) diffs.push(`${where}.${k}: unexpected`);
      else diffs.push(...recipeDifferences(a.get(k), e.get(k), `${where}.${k}`));
    }
    return diffs;
  }
  return Object.is(actual, expected) ? [] : [`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

function readRecipeFile(file: string): any {
  const text = fs.readFileSync(file, 'utf-8');
  if (file.endsWith('.json')) return JSON.parse(text);
  try {
    return parse(text, { schema: 'core' });
  } catch {
    // YAML that only lenient parsers (PyYAML in GDK, SnakeYAML in the nucleus, js-yaml) accept
    return load(text, { schema: CORE_SCHEMA });
  }
}

const fixtures = fs.readdirSync(FIXTURE_RECIPES_DIR).filter((f) => /\.(ya?ml|json)$/i.test(f));
/** More real recipes, byte-identical to their sources (repository, path and commit in SOURCES.tsv next to them). */
const EXTRA_RECIPES_DIR = path.join(__dirname, '..', 'component', 'fixtures', 'recipes');
const extras = fs.readdirSync(EXTRA_RECIPES_DIR).filter((f) => /\.(ya?ml|json)$/i.test(f));

describe('real recipes round-trip through Recipe.fromFile(...).toJson()', () => {
  test('all twelve shared recipes are found', () => {
    expect(fixtures).toHaveLength(12);
  });

  test.each(fixtures)('%s', (file) => {
    const full = path.join(FIXTURE_RECIPES_DIR, file);
    expect(recipeDifferences(Recipe.fromFile(full).toJson(), readRecipeFile(full))).toEqual([]);
  });

  test('the extra real recipes are found, each with its source', () => {
    const sources = fs.readFileSync(path.join(EXTRA_RECIPES_DIR, 'SOURCES.tsv'), 'utf-8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]);
    expect(extras.length).toBeGreaterThanOrEqual(5);
    expect(sources.sort()).toEqual([...extras].sort());
  });

  test.each(extras)('extra: %s', (file) => {
    const full = path.join(EXTRA_RECIPES_DIR, file);
    expect(recipeDifferences(Recipe.fromFile(full).toJson(), readRecipeFile(full))).toEqual([]);
  });

  test('a quoted scalar whose continuation line is indented like its key is read as the Greengrass tools read it', () => {
    // aws-greengrass-component-examples mqtt-bridge/mosquitto.yaml: strict YAML 1.2 parsers refuse it, PyYAML reads this
    const json = Recipe.fromFile(path.join(EXTRA_RECIPES_DIR, 'aws-greengrass__aws-greengrass-component-examples__mqtt-bridge_mosquitto.yaml')).toJson();
    expect(json.Manifests[0].Lifecycle.install).toEqual({
      RequiresPrivilege: true,
      Script: 'apt-add-repository ppa:mosquitto-dev/mosquitto-ppa && apt-get update && apt-get install -y mosquitto',
    });
  });

  test('recipeDifferences sees a changed value, a changed type and a dropped key', () => {
    expect(recipeDifferences({ A: { b: '1' } }, { a: { B: '1' } })).toEqual([]);
    expect(recipeDifferences({ A: { b: 1 } }, { a: { b: '1' } })).toEqual(['recipe.a.b: expected "1", got 1']);
    expect(recipeDifferences({ A: {} }, { a: { b: '1' } })).toEqual(['recipe.a.b: missing']);
  });
});
