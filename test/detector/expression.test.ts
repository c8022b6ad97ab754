import { Expression as E, InputDefinition } from '../../src/detector';
import { IntegralDecimal, compileExpression, normalizeAttributePath } from '../../src/private/detector-engine/expression';

const input = new InputDefinition({ inputName: 'In', attributeJsonPaths: ['temp', 'my-field', '_value', 'a.`b c`', 'list'] });
const env = {
  inputs: new Map([['In', new Set(input.attributeJsonPaths.map(normalizeAttributePath))]]),
  variables: new Set(['x', 'y', 'flag', 'name']),
  timers: new Set(['cool down', 'my "timer"']),
};
const payload = { 'temp': 30, 'my-field': 4, '_value': 9, 'a': { 'b c': [[0, 5]] }, 'list': [1, 2, 3] };
const variables = { x: 10, y: 4, flag: true, name: 'pump' };

/** The expression's text, parsed and checked as the model does, then evaluated on the message above. */
function valueOf(e: E): unknown {
  const out = compileExpression(e.evaluate(), env);
  expect(out.problems).toEqual([]);
  return out.evaluate({ inputName: 'In', payload, variables, triggerType: 'Message', timedOut: undefined });
}

const temp = E.inputAttribute(input, 'temp');
const x = E.variable('x');
const y = E.variable('y');
const n = (v: number) => E.number(v);

describe('rendering and round trip through the parser', () => {
  test.each<[string, E, string, unknown]>([
    // parentheses only where the parser's precedence needs them
    ['a - (b - c)', E.subtract(x, E.subtract(y, n(1))), '$variable.x - ($variable.y - 1)', 7],
    ['(a - b) - c', E.subtract(E.subtract(x, y), n(1)), '$variable.x - $variable.y - 1', 5],
    ['a / (b * c)', E.divide(x, E.multiply(y, n(2))), '$variable.x / ($variable.y * 2)', 1],
    ['(a + b) * c', E.multiply(E.add(x, y), n(2)), '($variable.x + $variable.y) * 2', 28],
    ['a + b * c', E.add(x, E.multiply(y, n(2))), '$variable.x + $variable.y * 2', 18],
    ['(p || q) && r', E.and(E.or(E.gt(x, y), E.lt(x, y)), E.eq(y, n(4))),
      '($variable.x > $variable.y || $variable.x < $variable.y) && $variable.y == 4', true],
    ['p && q || r', E.or(E.and(E.lt(x, y), E.gt(x, y)), E.eq(y, n(4))),
      '$variable.x < $variable.y && $variable.x > $variable.y || $variable.y == 4', true],
    ['!(p && q)', E.not(E.and(E.boolean(true), E.boolean(false))), '!(true && false)', true],
    ['!!p', E.not(E.not(E.variable('flag'))), '!!$variable.flag', true],
    ['(a == b) == c', E.eq(E.eq(x, y), E.boolean(false)), '$variable.x == $variable.y == false', true],
    ['a == (b == c)', E.eq(E.boolean(false), E.eq(x, y)), 'false == ($variable.x == $variable.y)', true],
    ['(a & b) == c', E.eq(E.bitwiseAnd(x, n(2)), n(2)), '($variable.x & 2) == 2', true],
    ['a & b | c ^ d', E.bitwiseOr(E.bitwiseAnd(x, n(3)), E.bitwiseXor(y, n(1))), '$variable.x & 3 | $variable.y ^ 1', 7],
    ['(a | b) & c', E.bitwiseAnd(E.bitwiseOr(x, n(1)), n(3)), '($variable.x | 1) & 3', 3],
    ['~(a + b)', E.bitwiseNot(E.add(x, y)), '~($variable.x + $variable.y)', -15],
    ['negative numbers', E.subtract(n(1), n(-3)), '1 - (-3)', 4],
    ['integer division', E.divide(x, n(4)), '$variable.x / 4', 2],
    ['decimal division', E.divide(x, E.decimal(4)), '$variable.x / 4.0', 2.5],
    // 10 * -0.5: a decimal whose value is integral
    ['negative decimal', E.multiply(x, E.decimal(-0.5)), '$variable.x * (-0.5)', new IntegralDecimal(-5)],
    ['fromString is parenthesized as an operand', E.multiply(E.fromString('1 + 1'), n(3)), '(1 + 1) * 3', 6],
    // strings
    ['concat', E.concat(E.string('pump '), E.variable('name')), '\'pump \' + $variable.name', 'pump pump'],
    ['a single quote inside', E.string('it\'s'), '"it\'s"', 'it\'s'],
    ['double quotes inside', E.string('say "hi"'), '\'say "hi"\'', 'say "hi"'],
    ['both quotes inside', E.string('it\'s "x"'), '\'it\\\'s "x"\'', 'it\'s "x"'],
    ['a backslash and ${ stay literal', E.string('C:\\dir ${x}'), '\'C:\\\\dir \\${x}\'', 'C:\\dir ${x}'],
    // references
    ['an attribute', temp, '$input.In.temp', 30],
    ['an attribute that needs backticks', E.inputAttribute(input, 'my-field'), '$input.In.`my-field`', 4],
    ['an attribute starting with _', E.inputAttribute(input, '_value'), '$input.In.`_value`', 9],
    ['backticks and indexes', E.inputAttribute(input, 'a.`b c`[0][1]'), '$input.In.a.`b c`[0][1]', 5],
    ['a segment with a space', E.inputAttribute(input, 'a.b c[0][1]'), '$input.In.a.`b c`[0][1]', 5],
    ['an array index', E.inputAttribute(input, 'list[2]'), '$input.In.list[2]', 3],
    // functions
    ['currentInput', E.currentInput(input), 'currentInput("In")', true],
    ['triggerType', E.triggerType('Message'), 'triggerType("Message")', true],
    ['timeout with a space', E.timeout('cool down'), 'timeout("cool down")', false],
    ['timeout with quotes', E.timeout('my "timer"'), 'timeout("my \\"timer\\"")', false],
    ['convert', E.add(E.convert('Decimal', E.string('1.5')), n(1)), 'convert(Decimal, \'1.5\') + 1', 2.5],
    ['isUndefined', E.isUndefined(E.inputAttribute(input, 'list[7]')), 'isUndefined($input.In.list[7])', true],
    ['bitand', E.bitand(x, n(3)), 'bitand($variable.x, 3)', 2],
    ['startsWith', E.startsWith(E.variable('name'), E.string('pu')), 'startsWith($variable.name, \'pu\')', true],
  ])('%s', (_, expression, text, value) => {
    expect(expression.evaluate()).toBe(text);
    expect(valueOf(expression)).toStrictEqual(value);
  });

  test('numbers keep their type: integers without a fraction, decimals with one', () => {
    expect(E.number(20).evaluate()).toBe('20');
    expect(E.decimal(20).evaluate()).toBe('20.0');
    expect(E.number(1e21).evaluate()).toBe('1000000000000000000000');
    expect(E.number(0.25).evaluate()).toBe('0.25');
  });
});

describe('failures', () => {
  test.each([
    ['a..b', 'has an empty segment at 3'],
    ['a.', 'has an empty segment at 3'],
    ['`a', 'has an unclosed backtick at 1'],
    ['a[x]', 'has a malformed array index at 2'],
    ['a]', 'has \']\' inside the segment \'a]\''],
    ['a`b', 'has \'`\' inside the segment \'a`b\''],
  ])('fails when the attribute path is %s', (path, message) => {
    expect(() => E.inputAttribute(input, path)).toThrow(`inputAttribute path '${path}' of input 'In' ${message}; write segments separated by '.'`);
  });

  test('fails when a variable name is not an identifier', () => {
    expect(() => E.variable('my var')).toThrow('variable name \'my var\' must match ^[a-zA-Z][a-zA-Z0-9_]*$');
  });

  test('fails when a number is not finite', () => {
    expect(() => E.number(Infinity)).toThrow('number literal must be finite, got Infinity');
  });
});
