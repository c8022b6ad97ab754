import * as fs from 'fs';
import * as path from 'path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { parse } from 'yaml';
import { Recipe } from '../../src';
import { describeWithShared, SHARED_RECIPES_DIR } from '../shared-oracle';

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

/** The recipe files in `../shared/fixtures/recipes`, and the rows of its `SOURCES.tsv` (file, repo, path, commit). */
function sharedRecipes(): { files: string[]; sources: string[][] } {
  const files = fs.readdirSync(SHARED_RECIPES_DIR).filter((f) => /\.(ya?ml|json)$/i.test(f)).sort();
  const sources = fs.readFileSync(path.join(SHARED_RECIPES_DIR, 'SOURCES.tsv'), 'utf-8').trim().split('\n').map((l) => l.split('\t'));
  return { files, sources };
}

describeWithShared('real recipes in ../shared round-trip through Recipe.fromFile(...).toJson()', () => {
  const { files, sources } = sharedRecipes();

  test('the twenty shared recipes are found, each listed with its repository, path and commit in SOURCES.tsv', () => {
    expect(files).toHaveLength(20);
    expect(sources[0]).toEqual(['file', 'repo', 'path', 'commit']);
    const rows = sources.slice(1);
    expect(rows.map((r) => r[0]).sort()).toEqual(files);
    for (const [file, repo, source, commit] of rows) {
      expect({ file, repo: /^[\w.-]+\/[\w.-]+$/.test(repo), source: source?.length > 0, commit: /^[0-9a-f]{40}$/.test(commit) })
        .toEqual({ file, repo: true, source: true, commit: true });
    }
  });

  test.each(files)('%s', (file) => {
    const full = path.join(SHARED_RECIPES_DIR, file);
    expect(recipeDifferences(Recipe.fromFile(full).toJson(), readRecipeFile(full))).toEqual([]);
  });

  test('a quoted scalar whose continuation line is indented like its key is read as the Greengrass tools read it', () => {
    // aws-greengrass-component-examples mqtt-bridge/mosquitto.yaml: strict YAML 1.2 parsers refuse it, PyYAML reads this
    const json = Recipe.fromFile(path.join(SHARED_RECIPES_DIR, 'aws-greengrass__aws-greengrass-component-examples__mqtt-bridge_mosquitto.yaml')).toJson();
    expect(json.Manifests[0].Lifecycle.install).toEqual({
      RequiresPrivilege: true,
      Script: 'apt-add-repository ppa:mosquitto-dev/mosquitto-ppa && apt-get update && apt-get install -y mosquitto',
    });
  });
});

describe('recipeDifferences', () => {
  test('recipeDifferences sees a changed value, a changed type and a dropped key', () => {
    expect(recipeDifferences({ A: { b: '1' } }, { a: { B: '1' } })).toEqual([]);
    expect(recipeDifferences({ A: { b: 1 } }, { a: { b: '1' } })).toEqual(['recipe.a.b: expected "1", got 1']);
    expect(recipeDifferences({ A: {} }, { a: { b: '1' } })).toEqual(['recipe.a.b: missing']);
  });
});
