import {
  IntegralDecimal, asDecimal, decimalResult, isDecimalText, numberFromText, numberText, numericValue,
} from '../../../../src/private/detector-engine/expression/decimal';

const dec = (n: number) => new IntegralDecimal(n);

describe('IntegralDecimal', () => {
  test('holds an integral value, shows as its number outside the evaluator and cannot change', () => {
    const d = dec(20);
    expect(d.value).toBe(20);
    expect(String(d)).toBe('20');
    expect(JSON.stringify({ d })).toBe('{"d":20}');
    expect(Number(d)).toBe(20);
    expect(Object.isFrozen(d)).toBe(true);
  });

  test('a decimal zero has no sign', () => {
    expect(Object.is(dec(-0).value, 0)).toBe(true);
  });
});

describe('numericValue', () => {
  test.each<[unknown, number | undefined]>([
    [3, 3],
    [2.5, 2.5],
    [dec(20), 20],
    ['3', undefined],
    [true, undefined],
    [null, undefined],
    [undefined, undefined],
    [{ value: 3 }, undefined],
  ])('%p is %p', (v, expected) => {
    expect(numericValue(v)).toBe(expected);
  });
});

describe('decimalResult', () => {
  test.each<[number, number | IntegralDecimal]>([
    [0.1 + 0.2, 0.3],
    [78.8 * 3, 236.4],
    [21, dec(21)],
    [20.5 + 0.5, dec(21)],
    [0.7 * 30, dec(21)], // 20.999999999999996, integral once rounded
    [-0, dec(0)],
  ])('%p gives %p', (r, expected) => {
    expect(decimalResult(r)).toStrictEqual(expected);
  });

  test('infinity and NaN are returned as they are', () => {
    expect(decimalResult(Infinity)).toBe(Infinity);
    expect(decimalResult(NaN)).toBeNaN();
  });
});

describe('asDecimal', () => {
  test('boxes an integral number only', () => {
    expect(asDecimal(20)).toStrictEqual(dec(20));
    expect(asDecimal(20.5)).toBe(20.5);
  });
});

describe('number texts', () => {
  test.each<[string, boolean, number | IntegralDecimal]>([
    ['20', false, 20],
    ['-7', false, -7],
    ['20.0', true, dec(20)],
    ['20.000', true, dec(20)],
    ['-0.0', true, dec(0)],
    ['1e3', true, dec(1000)],
    ['2.5E1', true, dec(25)],
    ['20.5', true, 20.5],
    ['1.5e-1', true, 0.15],
  ])('%s: decimal text %p, read as %p', (text, decimal, value) => {
    expect(isDecimalText(text)).toBe(decimal);
    expect(numberFromText(text)).toStrictEqual(value);
  });

  test.each<[number | IntegralDecimal, string]>([
    [20, '20'],
    [-3, '-3'],
    [20.5, '20.5'],
    [dec(20), '20.0'],
    [dec(-4), '-4.0'],
    [dec(0), '0.0'],
    [dec(1e21), '1e+21'],
    [1e21, '1000000000000000000000'],
  ])('%p is written %s', (v, text) => {
    expect(numberText(v)).toBe(text);
  });

  test.each<[number | IntegralDecimal]>([[20], [-3], [20.5], [dec(20)], [dec(-4)], [dec(1e21)], [1e21], [dec(1e20)], [0.000001], [1e-7]])(
    '%p reads back with the same value and kind', (v) => {
      expect(numberFromText(numberText(v))).toStrictEqual(v);
    });
});
