import { IntegralDecimal } from '../../../src/private/detector-engine/expression/decimal';
import {
  holdsIntegralDecimal, mayHoldIntegralDecimal, parseJsonText, parseVariableText, plainJsonValue, variableText, writeJsonText,
} from '../../../src/private/detector-engine/json-text';

const dec = (n: number) => new IntegralDecimal(n);

describe('parseJsonText', () => {
  test('reads a number with an all-zero fraction or an exponent as a decimal', () => {
    expect(parseJsonText('{"areaId":"Area51","desiredTemperature":20.0,"allowedError":0.7,"sensorCount":10,"noDelay":false}')).toStrictEqual({
      areaId: 'Area51', desiredTemperature: dec(20), allowedError: 0.7, sensorCount: 10, noDelay: false,
    });
    expect(parseJsonText('{"a":[1.0, 2, 3e2, -0.0, 2.5E1, 1.5e-1], "b": {"c" :\n 60.00}}')).toStrictEqual({
      a: [dec(1), 2, dec(300), dec(0), dec(25), 0.15], b: { c: dec(60) },
    });
    expect(parseJsonText('20.0')).toStrictEqual(dec(20));
  });

  test('is JSON.parse for a text without such a number, strings included', () => {
    for (const text of ['{"t":20,"u":23.12,"v":"1.0","w":null,"x":[true,{"y":"20.0e3"}]}', '{"id":"3e5f","s":"a:1.0"}', '[]', '"x"']) {
      expect(parseJsonText(text)).toStrictEqual(JSON.parse(text));
      expect(holdsIntegralDecimal(parseJsonText(text))).toBe(false);
    }
  });

  test('a string that looks like an integral decimal stays a string on the exact path', () => {
    const text = '{"s":"a:1.0","t":2.0}';
    expect(mayHoldIntegralDecimal(text)).toBe(true);
    expect(parseJsonText(text)).toStrictEqual({ s: 'a:1.0', t: dec(2) });
  });

  test('keeps the last of duplicate keys on both paths, as JSON.parse does', () => {
    expect(parseJsonText('{"a":1,"a":2}')).toStrictEqual({ a: 2 });
    expect(parseJsonText('{"a":1.0,"a":2.0}')).toStrictEqual({ a: dec(2) });
  });

  test('fails on a text that is not JSON, on both paths', () => {
    expect(() => parseJsonText('{"a":1')).toThrow(SyntaxError);
    expect(() => parseJsonText('{"a":1.0')).toThrow(SyntaxError);
    expect(() => parseJsonText('{"a":1.0,}')).toThrow(SyntaxError);
  });

  test.each<[string, boolean]>([
    ['{"t":20.0}', true],
    ['{"t": 20.00 }', true],
    ['{"t":-20.0}', true],
    ['[1,2.0]', true],
    ['{"t":1e3}', true],
    ['{"t":1E+3}', true],
    ['{"t":2.5e1}', true],
    ['20.0', true],
    ['{"t":20}', false],
    ['{"t":20.05}', false],
    ['{"t":23.12}', false],
    ['{"t":0.5}', false],
    ['{"id":"9e2b-10.0"}', false],
  ])('the exact path is taken for %s: %p', (text, exact) => {
    expect(mayHoldIntegralDecimal(text)).toBe(exact);
  });

  test('the cheap test never misses an integral decimal', () => {
    // every number form JSON allows, in every place a value can be
    const numbers = ['0', '-0', '7', '20', '20.0', '20.00', '-3.0', '0.0', '20.5', '20.05', '1e3', '1E3', '1e+3', '1e-3', '2.5e1', '1.0e0', '12.34e2'];
    const places = (n: string) => [n, `{"a":${n}}`, `{"a" : ${n} }`, `[${n}]`, `[1, ${n}]`, `[\n\t${n}\n]`, `{"a":{"b":[${n}]}}`];
    for (const n of numbers) {
      for (const text of places(n)) {
        const exact = holdsIntegralDecimal(parseJsonText(text));
        const decimalIntegral = /[.eE]/.test(n) && Number.isInteger(Number(n));
        expect({ text, exact }).toEqual({ text, exact: decimalIntegral });
        if (decimalIntegral) expect({ text, hint: mayHoldIntegralDecimal(text) }).toEqual({ text, hint: true });
      }
    }
  });
});

describe('writeJsonText', () => {
  test('writes an integral decimal with .0 and reads back the same values and kinds', () => {
    const instance = { stateName: 'idle', variables: { avg: dec(20), low: dec(0), n: 10, e: 0.7, s: '01', b: false }, timers: { t: { durationSeconds: 60, dueAtMs: 1 } } };
    const text = writeJsonText(instance);
    expect(text).toBe('{"stateName":"idle","variables":{"avg":20.0,"low":0.0,"n":10,"e":0.7,"s":"01","b":false},"timers":{"t":{"durationSeconds":60,"dueAtMs":1}}}');
    expect(parseJsonText(text)).toStrictEqual(instance);
  });

  test('is JSON.stringify for a value without one', () => {
    const v = { a: [1, 2.5, 'x'], b: { c: null }, d: true };
    expect(writeJsonText(v)).toBe(JSON.stringify(v));
  });
});

describe('plainJsonValue', () => {
  test('replaces integral decimals by their numbers; a value without one is returned as it is', () => {
    expect(plainJsonValue({ a: [dec(1), 2], b: { c: dec(3) } })).toStrictEqual({ a: [1, 2], b: { c: 3 } });
    expect(plainJsonValue(dec(20))).toBe(20);
    const plain = { a: [1] };
    expect(plainJsonValue(plain)).toBe(plain);
  });
});

describe('variable texts (BatchUpdateDetector, DescribeDetector)', () => {
  test.each<[string, unknown]>([
    ['20.0', dec(20)],
    ['1e3', dec(1000)],
    ['20', 20],
    ['-4', -4],
    ['20.5', 20.5],
    ['true', true],
    ['false', false],
    ['20.0 ', '20.0 '],
    ['"01"', '01'], // the guide's DescribeDetector writes the string 01 so
    ['"22"', '22'],
    ['"true"', 'true'],
    ['""', ''],
    ['"say \\"hi\\"\\n"', 'say "hi"\n'], // JSON's escapes
    ['"\\u00e9t\\u00e9"', 'été'],
    ['\'01\'', '01'], // the expression language's single quotes
    ['\'it\\\'s\'', 'it\'s'],
    ['abc', 'abc'], // no literal: the text itself (decided)
    ['"01', '"01'],
    ['"a" + "b"', '"a" + "b"'],
    ['\'${x}\'', '\'${x}\''],
    ['"', '"'],
  ])('%j is read as %p', (text, value) => {
    expect(parseVariableText(text)).toStrictEqual(value);
  });

  test.each<[unknown, string]>([
    [dec(20), '20'],
    [20, '20'],
    [20.5, '20.5'],
    [false, 'false'],
    ['01', '"01"'],
    ['true', '"true"'],
    ['', '""'],
    ['say "hi"\n', '"say \\"hi\\"\\n"'],
  ])('%p is reported as %j', (v, text) => {
    expect(variableText(v as never)).toBe(text);
  });

  // not an integral decimal: reported "20", as before decimals were told apart, it reads back as the integer
  test.each<unknown>([20, -4, 20.5, true, false, '01', '20', 'true', 'abc', '', 'say "hi"\n', 'é\u0001', '\'quoted\''])(
    '%p reads back as itself, kind included', (v) => {
      expect(parseVariableText(variableText(v as never))).toStrictEqual(v);
    });
});
