import * as fs from 'fs';
import * as path from 'path';
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
  return file.endsWith('.json') ? JSON.parse(text) : parse(text, { schema: 'core' });
}

const fixtures = fs.readdirSync(FIXTURE_RECIPES_DIR).filter((f) => /\.(ya?ml|json)$/i.test(f));

describe('real recipes round-trip through Recipe.fromFile(...).toJson()', () => {
  test('all twelve shared recipes are found', () => {
    expect(fixtures).toHaveLength(12);
  });

  test.each(fixtures)('%s', (file) => {
    const full = path.join(FIXTURE_RECIPES_DIR, file);
    expect(recipeDifferences(Recipe.fromFile(full).toJson(), readRecipeFile(full))).toEqual([]);
  });

  test('recipeDifferences sees a changed value, a changed type and a dropped key', () => {
    expect(recipeDifferences({ A: { b: '1' } }, { a: { B: '1' } })).toEqual([]);
    expect(recipeDifferences({ A: { b: 1 } }, { a: { b: '1' } })).toEqual(['recipe.a.b: expected "1", got 1']);
    expect(recipeDifferences({ A: {} }, { a: { b: '1' } })).toEqual(['recipe.a.b: missing']);
  });
});
