import { parse } from 'yaml';
import { parseRecipeYaml } from '../../../src/component/private/recipe-yaml';

// The oracle is the `yaml` package (a dev dependency only) with its YAML 1.2 core schema.
const core = (text: string) => parse(text, { schema: 'core' });

describe('parseRecipeYaml', () => {
  test.each([
    '0', '-0', '+12', '0777', '012', '0o17', '0x1F', '0xff', '1_000', '0b101', '+0x1', '-0o7', '00',
    '1.', '.5', '-.5e-3', '1e3', '1E+3', '6.02e23', '1.0e', '0.', '+.inf', '-.Inf', '.INF', '.nan', '.NaN', '.NAN',
    'true', 'True', 'TRUE', 'false', 'yes', 'no', 'on', 'off', 'y', '~', 'null', 'Null', 'NULL', '',
    '2020-01-25', '2020-01-25T10:00:00Z', '1:20', '12:30:45', '1.0.0', '^2.0.0', '{COMPONENT_VERSION}',
  ])('plain scalar %j resolves as in the YAML 1.2 core schema', (scalar) => {
    const text = `k: ${scalar}\n`;
    expect(parseRecipeYaml(text)).toEqual(core(text));
  });

  test('an unquoted RecipeFormatVersion stays a string', () => {
    expect(parseRecipeYaml('RecipeFormatVersion: 2020-01-25\nComponentVersion: 1.0\n')).toEqual({
      RecipeFormatVersion: '2020-01-25',
      ComponentVersion: 1,
    });
  });

  test('quoted scalars, explicit tags, anchors and block scalars', () => {
    const text = [
      'a: "0x1F"', "b: '2020-01-25'", 'c: !!str 12', 'd: !!int "7"', 'e: &x { f: 1 }', 'g: *x',
      'h: |', '  line 1', '  line 2', 'i: >-', '  folded', '  text', 'j: [1, "2", three]', '',
    ].join('\n');
    expect(parseRecipeYaml(text)).toEqual(core(text));
  });

  test('a merge key is a plain key, as in YAML 1.2', () => {
    const text = 'x: &a { b: 1 }\ny:\n  <<: *a\n';
    expect(parseRecipeYaml(text)).toEqual({ x: { b: 1 }, y: { '<<': { b: 1 } } });
  });

  test('a quoted scalar whose continuation line is indented like its key is read as PyYAML reads it', () => {
    const text = 'Script: "apt-get update &&\n  apt-get install -y mosquitto"\n';
    expect(parseRecipeYaml('Lifecycle:\n  install:\n    Script: "apt-get update &&\n    apt-get install -y mosquitto"\n'))
      .toEqual({ Lifecycle: { install: { Script: 'apt-get update && apt-get install -y mosquitto' } } });
    expect(parseRecipeYaml(text)).toEqual(core(text));
  });

  test.each([
    ['duplicate keys', 'a: 1\na: 2\n', /duplicated mapping key \(2:1\)/],
    ['several documents', 'a: 1\n---\nb: 2\n', /expected a single document/],
    ['a tab as indentation', 'k:\n\tj: 2\n', /tab characters must not be used in indentation/],
    ['an application tag', 'k: !custom 1\n', /unknown tag !<!custom>/],
    ['an unclosed flow mapping', 'k: { a: 1\n', /\(2:1\)/],
  ])('refuses %s, saying where', (_name, text, message) => {
    expect(() => parseRecipeYaml(text)).toThrow(message);
  });
});
