import { App, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ComponentVersion, LifecycleStep, Recipe } from '../../../src';
import { renderFingerprintDocument, renderRecipe, tokenFreeJson, versionedRecipeText, withComponentVersion } from '../../../src/component/private/recipe-render';

function toJsonString(value: unknown): unknown {
  const stack = new Stack(new App(), 'S');
  return stack.resolve(stack.toJsonString(value));
}

describe('tokenFreeJson', () => {
  test.each<[string, unknown]>([
    ['a recipe', {
      RecipeFormatVersion: '2020-01-25',
      ComponentName: 'com.example.A',
      ComponentConfiguration: { DefaultConfiguration: { n: 1.5, neg: -0, big: 1e286, list: [1, 'a', true, null, [], {}] } },
      Manifests: [{ Platform: { os: '/darwin|linux/' }, Lifecycle: { run: { Script: 'echo "{configuration:/x}"', Timeout: 30 } } }],
    }],
    ['escapes and unicode', { 's': 'quote " backslash \\ newline \n tab \t \u2028 \u0000 é 😀', 'key "quoted"': 'x', '10': 'integer-like key' }],
    ['undefined values of objects', { a: undefined, b: 1 }],
    ['an empty object', {}],
    ['an empty list', []],
    ['a string', 'x'],
    ['null', null],
    ['what looks like an intrinsic', { 'Fn::Join': ['', ['a', 'b']], 'Ref': 'AWS::Region' }],
  ])('renders %s exactly as Stack.toJsonString does', (_name, value) => {
    const text = tokenFreeJson(value);
    expect(text).toBeDefined();
    expect(text).toEqual(toJsonString(value));
  });

  const stack = new Stack(new App(), 'Tokens');
  const numberToken = Lazy.number({ produce: () => 7 });
  test.each<[string, unknown]>([
    ['a string token', { a: stack.region }],
    ['a token inside a string', { a: `arn:${stack.partition}:x` }],
    ['a token as a key', { [stack.region]: 'x' }],
    ['a number token', { n: numberToken }],
    ['a number token written into a string', { s: `sleep ${numberToken}` }],
    ['a list token', { l: Token.asList(Lazy.any({ produce: () => ['a'] })) }],
    ['a lazy object', { o: Lazy.any({ produce: () => ({ a: 1 }) }) }],
    ['undefined in a list', [1, undefined]],
    ['NaN', { n: NaN }],
    ['Infinity', { n: Infinity }],
    ['a function', { f: () => 1 }],
    ['a date', { d: new Date(0) }],
    ['a class instance', { c: new (class { public a = 1; })() }],
    ['an object without prototype', { o: Object.create(null) }],
  ])('refuses %s', (_name, value) => {
    expect(tokenFreeJson(value)).toBeUndefined();
  });

  test('a stringified number token is resolved by CDK, so it must not be rendered verbatim', () => {
    // The reason strings are checked for more than Token.isUnresolved reports.
    const s = `sleep ${numberToken}`;
    expect(Token.isUnresolved(s)).toBe(false);
    expect(stack.resolve(s)).not.toEqual(s);
  });
});

describe('ComponentVersion inline recipe', () => {
  function inlineRecipe(script: string, config: Record<string, any> = {}) {
    const stack = new Stack(new App(), 'S');
    new ComponentVersion(stack, 'C', {
      recipe: Recipe.of({ componentName: 'com.example.A', defaultConfiguration: config, manifests: [{ lifecycle: { run: LifecycleStep.script(script) } }] }),
    });
    return Object.values(Template.fromStack(stack).findResources('AWS::GreengrassV2::ComponentVersion'))[0].Properties.InlineRecipe;
  }

  test('is a plain JSON string without tokens', () => {
    const text = inlineRecipe('echo hi', { n: 1 });
    expect(typeof text).toBe('string');
    expect(JSON.parse(text).Manifests[0].Lifecycle.run).toEqual({ Script: 'echo hi' });
  });

  test('resolves a number token written into a script', () => {
    const text = inlineRecipe(`sleep ${Lazy.number({ produce: () => 42 })}`);
    expect(JSON.parse(text).Manifests[0].Lifecycle.run).toEqual({ Script: 'sleep 42' });
  });

  test('resolves a token in the default configuration', () => {
    const text = inlineRecipe('echo', { region: Lazy.string({ produce: () => 'eu-west-1' }) });
    expect(JSON.parse(text).ComponentConfiguration.DefaultConfiguration.region).toEqual('eu-west-1');
  });
});

describe('versionedRecipeText', () => {
  const noArtifacts = () => { throw new Error('no typed artifacts here'); };
  function texts(doc: Record<string, any>, version: string) {
    const rendered = renderRecipe(doc, noArtifacts);
    const fingerprint = renderFingerprintDocument(doc, rendered, noArtifacts);
    const json = withComponentVersion(rendered, version);
    return { text: versionedRecipeText(json, fingerprint, tokenFreeJson(fingerprint)), expected: JSON.stringify(json) };
  }

  test.each<[string, Record<string, any>]>([
    ['the version after the name', { RecipeFormatVersion: '2020-01-25', ComponentName: 'a', ComponentVersion: '1.0.0', Manifests: [{ Lifecycle: {} }] }],
    ['the version first', { ComponentVersion: '1.0.0', ComponentName: 'a', Manifests: [] }],
    ['the version last', { ComponentName: 'a', Manifests: [], ComponentVersion: '1.0.0' }],
    ['the version alone', { ComponentVersion: '1.0.0' }],
    ['no version (inserted after the name)', { RecipeFormatVersion: '2020-01-25', ComponentName: 'a', Manifests: [{ Platform: { os: 'linux' } }] }],
    ['no version and no name (appended)', { RecipeFormatVersion: '2020-01-25', Manifests: [] }],
    ['an empty recipe', {}],
    ['undefined values around the version', { A: undefined, ComponentName: 'a', B: undefined, ComponentVersion: undefined, C: undefined, D: 'x' }],
    ['nested keys named like the version', { ComponentName: 'a', ComponentConfiguration: { DefaultConfiguration: { ComponentVersion: '1.0.0', s: '"ComponentVersion":"1.0.0"' } }, ComponentVersion: '1.0.0' }],
    ['escapes in values before the version', { ComponentName: 'a"\\\n\u2028', ComponentVersion: '1.0.0', Manifests: [] }],
  ])('equals JSON.stringify with %s', (_name, doc) => {
    const { text, expected } = texts(doc, '1.0.0-c0123456789');
    expect(text).toEqual(expected);
  });

  test('equals JSON.stringify for generated recipes', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const values = [() => 'x', () => random(), () => null, () => true, () => undefined, () => ({ k: 'v', n: [1, 2] }), () => []];
    for (let i = 0; i < 300; i++) {
      const keys = ['RecipeFormatVersion', 'ComponentName', 'ComponentVersion', 'ComponentDescription', 'Manifests', 'Lifecycle'].filter(() => random() < 0.7);
      keys.sort(() => random() - 0.5);
      const doc: Record<string, any> = {};
      for (const key of keys) {
        doc[key] = key === 'Manifests' ? [{ Lifecycle: { run: `echo ${i}` } }] : values[Math.floor(random() * values.length)]();
      }
      const { text, expected } = texts(doc, `1.${i}.0`);
      expect(text).toEqual(expected);
    }
  });

  test('is undefined when the recipe holds tokens', () => {
    const stack = new Stack(new App(), 'S');
    expect(texts({ ComponentName: 'a', ComponentVersion: '1.0.0', ComponentDescription: stack.region }, '1.0.1').text).toBeUndefined();
    expect(texts({ ComponentName: 'a', ComponentVersion: '1.0.0' }, stack.region).text).toBeUndefined();
  });
});
