import {
  CompileEnvironment, EvaluationContext, compileExpression, compileTextField, normalizeAttributePath,
} from '../../../../src/private/detector-engine/expression';

const env: CompileEnvironment = {
  inputs: new Map([
    ['In', new Set(['a', 'b', 's', 'n', 'obj', 'list', 'sensorData.temperature', 'status', '`my field`'].map(normalizeAttributePath))],
    ['Other', new Set(['x'])],
  ]),
  variables: new Set(['i', 'd', 'str', 'flag', 'zero']),
  timers: new Set(['t1']),
};

const payload = {
  'a': 13,
  'b': 5,
  's': 'offline',
  'n': null,
  'obj': { k: 1 },
  'list': [78.4, 77.9, 78.8],
  'sensorData': { temperature: 23.5 },
  'status': 'offline',
  'my field': 'spaced',
};

function ctx(over: Partial<EvaluationContext> = {}): EvaluationContext {
  return {
    inputName: 'In',
    payload,
    variables: { i: 7, d: 2.5, str: 'abc', flag: true, zero: 0 },
    triggerType: 'Message',
    timedOut: undefined,
    ...over,
  };
}

function run(text: string, over: Partial<EvaluationContext> = {}): unknown {
  const out = compileExpression(text, env);
  if (out.problems.length) throw new Error(`unexpected problems for ${text}: ${JSON.stringify(out.problems)}`);
  return out.evaluate(ctx(over));
}

function problemsOf(text: string) {
  return compileExpression(text, env).problems;
}

describe('arithmetic', () => {
  test.each([
    ['1 + 2', 3],
    ['7 - 10', -3],
    ['6 * 7', 42],
    ['7 / 2', 3], // two integers: integer division
    ['-7 / 2', -3], // rounded toward zero
    ['7.0 / 2', 3.5], // a decimal operand: decimal division
    ['7 / 2.0', 3.5],
    ['1.5 * 2', 3],
    ['-$variable.i', -7],
    ['$variable.i / 2', 3],
    ['$variable.d / 2', 1.25],
    ['$variable.i / $variable.d', 2.8],
    ['$input.In.a / $input.In.b', 2],
    ['$input.In.sensorData.temperature * 9 / 5 + 32', 74.3],
    ['$input.In.list[2]', 78.8],
    ['$input.In.`my field`', 'spaced'],
  ])('%s = %j', (text, expected) => {
    const v = run(text);
    if (typeof expected === 'number') expect(v).toBeCloseTo(expected, 10);
    else expect(v).toBe(expected);
  });

  test('division by zero is invalid, never Infinity', () => {
    expect(run('1 / $variable.zero')).toBeUndefined();
    expect(run('1.5 / $variable.zero')).toBeUndefined();
    expect(run('1 / $variable.zero > 0')).toBeUndefined();
  });
});

describe('strings', () => {
  test.each([
    ['\'my\' + \'string\'', 'mystring'],
    ['"a" + $variable.str', 'aabc'],
    ['\'${$input.In.sensorData.temperature * 9 / 5 + 32} in Fahrenheit\'', '74.3 in Fahrenheit'],
    ['\'{"id":"${$input.In.s}","n":${$variable.i}}\'', '{"id":"offline","n":7}'],
    ['"flag=${$variable.flag}, null=${$input.In.n}"', 'flag=true, null=null'],
    ['"obj=${$input.In.obj}"', 'obj={"k":1}'],
  ])('%s = %j', (text, expected) => {
    expect(run(text)).toBe(expected);
  });

  test('a substitution of undefined data makes the template undefined', () => {
    expect(run('"x=${$variable.i}"', { variables: {} })).toBeUndefined();
  });

  test('a string and a number referenced do not add', () => {
    expect(run('$variable.str + $variable.i')).toBeUndefined();
  });
});

describe('comparison and logic', () => {
  test.each([
    ['1 < 2', true],
    ['2 <= 2', true],
    ['3 > 4', false],
    ['4 >= 4.0', true],
    ['1 == 1.0', true],
    ['1 != 2', true],
    ['"a" < "b"', true],
    ['"abc" == $variable.str', true],
    ['true == $variable.flag', true],
    ['$input.In.sensorData.temperature > 20 && $variable.i == 7', true],
    ['!$variable.flag', false],
    ['!(1 > 2)', true],
    ['false || true', true],
  ])('%s = %j', (text, expected) => {
    expect(run(text)).toBe(expected);
  });

  test('|| treats an undefined operand as false (the guide\'s note)', () => {
    expect(run('$input.Other.x > 1 || $input.In.a > 1')).toBe(true);
    expect(run('$input.Other.x > 1 || $input.In.a > 100')).toBe(false);
    expect(run('!($input.Other.x > 1 || $variable.i > 100)')).toBe(true);
  });

  test('&& and ! of undefined are undefined, so a condition on them does not fire', () => {
    expect(run('$input.Other.x > 1 && true')).toBeUndefined();
    expect(run('$input.Other.x > 1 && false')).toBe(false);
    expect(run('!($input.Other.x > 1)')).toBeUndefined();
  });

  test('an attribute of another input than the one being processed is undefined', () => {
    expect(run('$input.In.a')).toBe(13);
    expect(run('$input.In.a', { inputName: 'Other' })).toBeUndefined();
    expect(run('$input.In.a', { inputName: undefined, triggerType: 'Timer' })).toBeUndefined();
  });

  test('referenced values of incompatible types make the comparison invalid', () => {
    expect(run('$variable.str == $variable.i')).toBeUndefined();
    expect(run('$variable.flag < $variable.flag')).toBeUndefined();
    expect(run('$input.In.n == $input.In.n')).toBeUndefined();
  });
});

describe('bitwise', () => {
  test.each([
    ['13 | 5', 13],
    ['13 & 5', 5],
    ['13 ^ 5', 8],
    ['~13', -14],
    ['bitor($input.In.a, $input.In.b)', 13],
    ['bitand($input.In.a, $input.In.b)', 5],
    ['bitxor($input.In.a, $input.In.b)', 8],
    ['bitnot($input.In.a)', -14],
    ['bitor(4294967296, 1)', 4294967297], // 64-bit, beyond JavaScript's 32-bit operators
    ['bitnot(4294967296)', -4294967297],
  ])('%s = %j', (text, expected) => {
    expect(run(text)).toBe(expected);
  });

  test('decimal operands at run time are undefined (no conversion)', () => {
    expect(run('bitor($variable.d, 1)')).toBeUndefined();
    expect(run('$variable.d & 1')).toBeUndefined();
  });
});

describe('functions', () => {
  test('timeout() is true only in the evaluation its timer started', () => {
    expect(run('timeout("t1")')).toBe(false);
    expect(run('timeout("t1")', { timedOut: 't1', triggerType: 'Timer' })).toBe(true);
    expect(run('timeout(\'t1\')', { timedOut: 't1', triggerType: 'Timer' })).toBe(true);
  });

  test('triggerType() matches the type without regard to case, as the guide\'s model analysis writes triggerType("MESSAGE")', () => {
    expect(run('triggerType("MESSAGE")')).toBe(true);
    expect(run('triggerType("MESSAGE")', { triggerType: 'Timer', inputName: undefined })).toBe(false);
    expect(run('triggerType("timer")', { triggerType: 'Timer', inputName: undefined })).toBe(true);
    expect(run('triggerType($input.In.s)', { payload: { ...payload, s: 'message' } })).toBe(true);
  });

  test('triggerType() and currentInput()', () => {
    expect(run('triggerType("Message")')).toBe(true);
    expect(run('triggerType("Timer")')).toBe(false);
    expect(run('triggerType("Timer")', { triggerType: 'Timer', inputName: undefined })).toBe(true);
    expect(run('currentInput("In")')).toBe(true);
    expect(run('currentInput("Other")')).toBe(false);
    expect(run('currentInput("In") && $input.In.s == "offline"')).toBe(true);
  });

  test('isNull() and isUndefined() tell null from missing', () => {
    expect(run('isNull($input.In.n)')).toBe(true);
    expect(run('isUndefined($input.In.n)')).toBe(false);
    expect(run('isNull($input.In.status)')).toBe(false);
    expect(run('isUndefined($input.In.obj.none)')).toBe(true);
    expect(run('isNull($input.In.sensorData.temperature)==false')).toBe(true);
  });

  test.each([
    ['startsWith($input.In.status, "off")', true],
    ['endsWith($input.In.status, "line")', true],
    ['contains($input.In.status, "fli")', true],
    ['contains($input.In.status, "xyz")', false],
    ['startsWith($input.In.a, "1")', undefined], // a number: no conversion, undefined
  ])('%s = %j', (text, expected) => {
    expect(run(text)).toBe(expected);
  });

  test.each([
    ['convert(String, $variable.flag)', 'true'],
    ['convert(String, $variable.d)', '2.5'],
    ['convert(Boolean, "true")', true],
    ['convert(Boolean, "FALSE")', false],
    ['convert(Boolean, "yes")', undefined],
    ['convert(Decimal, "12.5") + 1', 13.5],
    ['convert(Decimal, "twelve")', undefined],
    ['convert("Decimal", "3")', 3],
    ['convert($variable.str, "3")', undefined], // 'abc' is no type
    ['convert(Decimal, $variable.flag)', undefined],
    ['convert(Boolean, "x") || true', true],
    ['convert(Decimal, "x") > 1', undefined],
  ])('%s = %j', (text, expected) => {
    expect(run(text)).toBe(expected);
  });

  test('convert(Decimal, …) makes division decimal', () => {
    expect(run('convert(Decimal, "7") / 2')).toBe(3.5);
  });
});

describe('problems found when the model is defined', () => {
  test.each([
    // incompatible literal types (the guide's table)
    ['1 + "a"', 3, 'incompatible operand types for \'+\': integer and string'],
    ['1.5 == "a"', 5, 'incompatible operand types for \'==\': decimal and string'],
    ['1 == true', 3, 'incompatible operand types for \'==\': integer and boolean'],
    ['2.0 != false', 5, 'decimal and boolean'],
    ['"a" == true', 5, 'string and boolean'],
    ['true + true', 6, 'not booleans'],
    ['"a" - "b"', 5, '\'-\' needs numbers'],
    ['true < false', 6, 'compares two numbers or two strings'],
    ['1 && true', 3, '\'&&\' needs boolean operands; its left operand is integer'],
    ['!1', 1, '\'!\' needs a boolean operand'],
    ['~1.5', 1, '\'~\' needs an integer operand'],
    ['1.5 | 1', 5, '\'|\' needs integer operands'],
    ['-"a"', 1, 'unary \'-\' needs a number'],
    // references
    ['$input.Nope.a > 1', 1, 'unknown input \'Nope\''],
    ['$input.In.c > 1', 1, 'input \'In\' has no attribute \'c\''],
    ['$input.In.sensorData.humidity', 1, 'has no attribute \'sensorData.humidity\''],
    ['$variable.unknown + 1', 1, 'unknown variable \'unknown\''],
    ['timeout("t2")', 9, 'unknown timer \'t2\''],
    ['currentInput("Nope")', 14, 'unknown input \'Nope\' in currentInput()'],
    // functions
    ['abs(1)', 1, 'unknown function \'abs()\''],
    ['timeout()', 1, 'timeout() takes 1 argument, got 0'],
    ['contains("a")', 1, 'contains() takes 2 arguments, got 1'],
    ['timeout(1)', 9, 'timeout() needs a timer name (a string), not integer'],
    ['triggerType("Clock")', 13, 'triggerType() takes "Message" or "Timer"'],
    ['startsWith(1, "a")', 12, 'needs string arguments'],
    ['bitor(1.5, 1)', 7, 'needs integer arguments'],
    ['convert(Integer, "1")', 9, 'converts to String, Boolean or Decimal, not \'Integer\''],
    ['convert(Boolean, 1)', 18, 'cannot convert integer'],
    ['convert(1, "1")', 9, 'first argument is String, Boolean, Decimal or a string'],
    // words
    ['Decimal', 1, 'only valid as the first argument of convert()'],
    ['offline', 1, 'unexpected word \'offline\''],
    // syntax
    ['1 +', 4, 'syntax error'],
  ])('%s: position %d, %s', (text, position, message) => {
    const problems = problemsOf(text);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].position).toBe(position);
    expect(problems[0].message).toContain(message);
  });

  test('every problem is reported, not just the first', () => {
    expect(problemsOf('$variable.a1 + $variable.a2 > $input.In.zz')).toHaveLength(3);
  });

  test('a path inside an attribute (array index, nested field) is accepted', () => {
    expect(problemsOf('$input.In.list[1] > 0')).toEqual([]);
    expect(problemsOf('$input.In.obj.k == 1')).toEqual([]);
  });

  test('references of unknown type are not type errors when the model is defined', () => {
    expect(problemsOf('$variable.str + 1')).toEqual([]);
    expect(problemsOf('$input.In.a == "x"')).toEqual([]);
  });
});

describe('text fields', () => {
  test('plain text stays text; ${…} is substituted; an expression is evaluated', () => {
    const c = ctx();
    expect(compileTextField('hvac/Cooling/On', env).evaluate(c)).toBe('hvac/Cooling/On');
    expect(compileTextField('myMqttTopic', env).evaluate(c)).toBe('myMqttTopic');
    expect(compileTextField('arn:aws:sns:us-east-1:123456789012:x', env).evaluate(c)).toBe('arn:aws:sns:us-east-1:123456789012:x');
    expect(compileTextField('alarms/${$input.In.s}', env).evaluate(c)).toBe('alarms/offline');
    expect(compileTextField('\'t/\' + $input.In.s', env).evaluate(c)).toBe('t/offline');
    expect(compileTextField('$input.In.s', env).evaluate(c)).toBe('offline');
  });

  test('a bad substitution in a text field is a problem', () => {
    const out = compileTextField('alarms/${$input.In.zz}', env);
    expect(out.problems[0].message).toContain('has no attribute \'zz\'');
  });
});
