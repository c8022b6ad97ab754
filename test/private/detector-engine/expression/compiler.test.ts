import {
  CompileEnvironment, EvaluationContext, IntegralDecimal, compileExpression, compileTextField, normalizeAttributePath,
} from '../../../../src/private/detector-engine/expression';

const dec = (n: number) => new IntegralDecimal(n);

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
    ['1.5 * 3', 4.5],
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

describe('integral decimals (20.0): decimals whose value is integral keep their kind', () => {
  const decimalEnv: CompileEnvironment = { ...env, variables: new Set(['avg', 'count', 'v']) };
  const evaluate = (text: string, variables: EvaluationContext['variables'], p: unknown = payload): unknown => {
    const out = compileExpression(text, decimalEnv);
    if (out.problems.length) throw new Error(`unexpected problems for ${text}: ${JSON.stringify(out.problems)}`);
    return out.evaluate({ inputName: 'In', payload: p, variables, triggerType: 'Message', timedOut: undefined });
  };
  // the HVAC example's running average, with a reading of 28 from one of 10 sensors
  const average = '(($variable.avg * ($variable.count - 1)) + $input.In.a) / $variable.count';

  test('a variable holding 20.0 makes the average decimal; holding 20, integer division', () => {
    expect(evaluate(average, { avg: dec(20), count: 10 }, { a: 28 })).toBe(20.8);
    expect(evaluate(average, { avg: 20, count: 10 }, { a: 28 })).toBe(20);
  });

  test('a payload number read as 20.0 is a decimal', () => {
    expect(evaluate('$input.In.a / 8', {}, { a: dec(20) })).toBe(2.5);
    expect(evaluate('$input.In.a / 8', {}, { a: 20 })).toBe(2);
  });

  test.each<[string, unknown]>([
    ['5.0', dec(5)],
    ['2e3', dec(2000)],
    ['-5.0', dec(-5)],
    ['5.0 / 2', 2.5],
    ['20.5 + 0.5', dec(21)],
    ['(20.5 + 0.5) / 2', 10.5],
    ['21.5 - 0.5', dec(21)],
    ['1.5 * 2', dec(3)],
    ['0.7 * 30', dec(21)],
    ['5.0 + 1', dec(6)],
    ['5.0 * 2', dec(10)],
    ['5.0 - 5.0', dec(0)],
    ['7 / 2', 3],
    ['6 / 2.0', dec(3)],
    ['convert(Decimal, "20")', dec(20)],
    ['convert(Decimal, "20") / 8', 2.5],
    ['convert(Decimal, 20)', dec(20)],
    ['convert(Decimal, 20) / 8', 2.5],
    ['convert(Decimal, "2.5e1")', dec(25)],
    ['convert(Decimal, 5.0)', dec(5)],
  ])('%s is %p', (text, expected) => {
    expect(evaluate(text, {})).toStrictEqual(expected);
  });

  test('a variable holding an integral decimal: unary minus, arithmetic and division stay decimal', () => {
    const vars = { v: dec(20), count: 3 };
    expect(evaluate('-$variable.v', vars)).toStrictEqual(dec(-20));
    expect(evaluate('$variable.v + $variable.count', vars)).toStrictEqual(dec(23));
    expect(evaluate('$variable.v - 20', vars)).toStrictEqual(dec(0));
    expect(evaluate('$variable.v * $variable.count', vars)).toStrictEqual(dec(60));
    expect(evaluate('$variable.v / $variable.count', vars)).toBe(6.66666666666667);
    expect(evaluate('$variable.v / 0', vars)).toBeUndefined();
    expect(evaluate('$variable.v + "a"', vars)).toBeUndefined();
    expect(evaluate('$variable.v + $variable.avg', { ...vars, avg: true })).toBeUndefined();
  });

  test.each<[string, unknown]>([
    ['20 == 20.0', true],
    ['20.0 == 20', true],
    ['20.0 == 20.0', true],
    ['20.0 != 20', false],
    ['$variable.v == 20', true],
    ['$variable.v == $variable.avg', true],
    ['$variable.v < 20.5', true],
    ['$variable.v >= 20', true],
    ['$variable.v > $variable.count', true],
    ['$variable.v == "20"', undefined],
    ['$variable.v == true', undefined],
    ['"20" < $variable.v', undefined],
  ])('%s is %p: numbers compare by value', (text, expected) => {
    expect(evaluate(text, { v: dec(20), avg: dec(20), count: 3 })).toBe(expected);
  });

  test('bitwise operators and functions take integers only: an integral decimal makes them invalid', () => {
    for (const text of ['$variable.v & 1', '$variable.v | 1', '$variable.v ^ 1', '~$variable.v', 'bitand($variable.v, 4)', 'bitor(1, $variable.v)', 'bitxor($variable.v, 1)', 'bitnot($variable.v)']) {
      expect({ text, value: evaluate(text, { v: dec(4) }) }).toEqual({ text, value: undefined });
      expect({ text, defined: evaluate(text, { v: 4 }) !== undefined }).toEqual({ text, defined: true });
    }
    expect(problemsOf('bitand(4.0, 1)')[0].message).toBe('bitand() needs integer arguments, got decimal: no conversion is made, so pass integers');
  });

  test('a substitution and convert(String, …) write an integral decimal with .0', () => {
    expect(evaluate('\'${5.0}\'', {})).toBe('5.0');
    expect(evaluate('\'t=${$variable.v}\'', { v: dec(20) })).toBe('t=20.0');
    expect(evaluate('\'${20.5 + 0.5}/${20}/${20.5}\'', {})).toBe('21.0/20/20.5');
    expect(evaluate('\'{"avg":${$variable.avg}}\'', { avg: dec(-3) })).toBe('{"avg":-3.0}');
    expect(evaluate('"obj=${$input.In.obj}"', {}, { obj: { k: dec(1), l: [dec(2), 3] } })).toBe('obj={"k":1.0,"l":[2.0,3]}');
    expect(evaluate('convert(String, $variable.v)', { v: dec(20) })).toBe('20.0');
    expect(evaluate('convert(String, 20)', {})).toBe('20');
    expect(evaluate('convert(String, 20.5)', {})).toBe('20.5');
  });

  test('isNull and isUndefined see an integral decimal as a value', () => {
    expect(evaluate('isNull($variable.v) || isUndefined($variable.v)', { v: dec(0) })).toBe(false);
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

  test.each<[string, boolean]>([
    ['$variable.i != $variable.i', true], // the ISA alarm blueprint's test for an unset variable
    ['$variable.i == $variable.i', false],
    ['$variable.i != 7', true],
    ['$variable.i == 7', false],
    ['"true" != $variable.str', true],
    ['$variable.flag == true', false],
    ['$variable.i / 0 != 1', true], // an invalid operand counts as undefined
    ['$input.In.s == "ack" && $variable.str != "true"', false],
    ['$input.In.s == "offline" && $variable.str != "true"', true], // the detection sample's acknowledge transition
    ['!($variable.i == 7)', true],
  ])('with nothing set, %s is %p: == with an undefined operand is false, != true', (text, expected) => {
    expect(run(text, { variables: {} })).toBe(expected);
  });

  test.each(['<', '<=', '>', '>='])('%s with an undefined operand is undefined, so it never fires', (op) => {
    expect(run(`$input.In.a ${op} $variable.i`, { variables: {} })).toBeUndefined();
    expect(run(`$variable.i ${op} $input.In.a`, { variables: {} })).toBeUndefined();
    // the ISA alarm blueprint's abnormal condition, before its thresholds are set
    expect(run(`$input.In.a ${op} $variable.i || $input.In.a ${op} $variable.d`, { variables: {} })).toBe(false);
  });

  test.each([
    '$input.Other.x != $input.In.a', '$input.Other.x == $input.In.a', '$input.In.a != $input.Other.x',
    '$input.Other.x != 7', '$input.Other.x == $variable.i', '$variable.i != $input.Other.x',
  ])('%s reads another input than the message\'s, so it never fires (the guide\'s rule)', (text) => {
    expect(run(text, { variables: {} })).toBeUndefined();
    // a timer's evaluation processes no input
    expect(run(text, { variables: {}, inputName: undefined, triggerType: 'Timer' })).toBeUndefined();
  });

  test('== and != over the message\'s own input keep their rule for undefined operands', () => {
    expect(run('$input.Other.x != 7', { inputName: 'Other' })).toBe(true);
    expect(run('$input.Other.x == 7', { inputName: 'Other' })).toBe(false);
    // an attribute the message lacks is undefined
    expect(run('$input.In.b != 7', { payload: { a: 13 } })).toBe(true);
    expect(run('$input.In.b == $input.In.a', { payload: { a: 13 } })).toBe(false);
  });

  test('== and != of defined operands of different types stay invalid', () => {
    expect(run('$variable.str == $variable.i')).toBeUndefined();
    expect(run('$variable.str != $variable.i')).toBeUndefined();
    expect(run('$input.In.n != 1')).toBeUndefined(); // a JSON null is a value, not undefined data
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
    ['convert("Decimal", "3.5")', 3.5],
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
    ['timeout(1)', 9, 'timeout() needs a timer name (a string), got integer: write it as timeout("timerName")'],
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

describe('the developer guide\'s examples evaluate to the values it gives', () => {
  const greenhouse: CompileEnvironment = {
    inputs: new Map([['GreenhouseInput', new Set(['temperature', 'sensors', 'date'])], ['MyInput', new Set(['a', 'status', 'value1', 'value2'])]]),
    variables: new Set(['SensorID', 'TableName']),
    timers: new Set(),
  };
  const reading = { temperature: 10.01, sensors: [{ sensor1: 'Sensor_1' }], date: '2000-01-01' };
  const evaluate = (text: string, inputName: string, message: unknown, variables: Record<string, string | number | boolean> = {}) => {
    const out = compileExpression(text, greenhouse);
    expect(out.problems).toEqual([]);
    return out.evaluate({ inputName, payload: message, variables, triggerType: 'Message', timedOut: undefined });
  };

  test.each([
    ['\'${$input.GreenhouseInput.temperature * 9 / 5 + 32} in Fahrenheit\'', '50.018 in Fahrenheit'],
    ['\'{\\"sensor_id\\":\\"${$input.GreenhouseInput.sensors[0].sensor1}\\",\\"temperature\\":\\"${$input.GreenhouseInput.temperature*9/5+32}\\"}\'',
      '{"sensor_id":"Sensor_1","temperature":"50.018"}'],
    ['\'Greenhouse Temperature Table \' + $input.GreenhouseInput.date', 'Greenhouse Temperature Table 2000-01-01'],
    ['$input.GreenhouseInput.temperature', 10.01],
  ])('%s', (text, expected) => {
    expect(evaluate(text, 'GreenhouseInput', reading)).toBe(expected);
  });

  test('substitution templates over a variable set to 10', () => {
    const vars = { SensorID: 10 };
    expect(evaluate('\'${$variable.SensorID}\'', 'GreenhouseInput', reading, vars)).toBe('10');
    expect(evaluate('\'Sensor ${$variable.SensorID}\'', 'GreenhouseInput', reading, vars)).toBe('Sensor 10');
    expect(evaluate('\'Sensor \' + \'${$variable.SensorID + 1}\'', 'GreenhouseInput', reading, vars)).toBe('Sensor 11');
    expect(evaluate('"${$variable.SensorID / 4}, ${$variable.SensorID / 4.0}"', 'GreenhouseInput', reading, vars)).toBe('2, 2.5');
  });

  test('isNull and isUndefined of { "a": null }', () => {
    expect(evaluate('isNull($input.MyInput.a)', 'MyInput', { a: null })).toBe(true);
    expect(evaluate('isUndefined($input.MyInput.a)', 'MyInput', { a: null })).toBe(false);
  });

  test('string matching of { "status": "offline" }', () => {
    expect(evaluate('startsWith($input.MyInput.status, "off")', 'MyInput', { status: 'offline' })).toBe(true);
    expect(evaluate('endsWith($input.MyInput.status, "line")', 'MyInput', { status: 'offline' })).toBe(true);
    expect(evaluate('contains($input.MyInput.status, "fli")', 'MyInput', { status: 'offline' })).toBe(true);
  });

  test.each([
    ['bitor', 13], ['bitand', 5], ['bitxor', 8],
  ])('%s of { "value1": 13, "value2": 5 } is %d', (fn, expected) => {
    expect(evaluate(`${fn}($input.MyInput.value1, $input.MyInput.value2)`, 'MyInput', { value1: 13, value2: 5 })).toBe(expected);
  });
});

describe('numbers', () => {
  test.each([
    ['10 / 4', 2], // two integers: an integer, rounded toward zero (decided)
    ['-10 / 4', -2],
    ['10 / 4.0', 2.5], // a decimal operand: a decimal
    ['10.0 / 4', 2.5],
    ['0.1 + 0.2', 0.3], // decimals rounded to 15 significant digits (decided)
    ['78.8 * 3', 236.4],
    ['1.1 - 0.2', 0.9],
    ['1 / 3.0', 0.333333333333333],
    ['2e3 / 3', 666.666666666667], // an exponent makes a decimal
    ['5 - 7', -2],
    ['-(2 + 3)', -5],
    ['2 - -3', 5],
  ])('%s = %j', (text, expected) => {
    expect(run(text)).toBe(expected);
  });

  test('an undefined operand makes the result undefined', () => {
    expect(run('$variable.i + 1', { variables: {} })).toBeUndefined();
    expect(run('-$variable.i', { variables: {} })).toBeUndefined();
    expect(run('$input.In.a * 2', { inputName: 'Other' })).toBeUndefined();
    expect(run('$input.In.a > 1', { inputName: 'Other' })).toBeUndefined();
  });

  test('a number in a string is not converted', () => {
    expect(run('$variable.str + 1', { variables: { str: '1' } })).toBeUndefined();
    expect(run('convert(Decimal, $variable.str) + 1', { variables: { str: '1.5' } })).toBe(2.5);
  });
});

describe('integers are exact within ±(2^53 − 1), the documented limit; beyond they are rounded doubles', () => {
  test.each<[string, unknown]>([
    ['9007199254740991 - 1', 9007199254740990],
    ['-9007199254740991 + 1', -9007199254740990],
    ['bitxor(9007199254740991, 1)', 9007199254740990],
    ['bitnot(-9007199254740991)', 9007199254740990],
    ['9007199254740993', 9007199254740992],
    ['9223372036854775807', 2 ** 63],
    ['9223372036854775807 + 1', 2 ** 63], // no wrap at 2^63, as Java's long had
    ['9223372036854775807 == 9223372036854775806', true],
    ['bitand(9007199254740993, 1)', 0],
    ['convert(String, 9223372036854775807)', '9223372036854776000'],
  ])('%s is %p', (text, expected) => {
    expect(run(text)).toBe(expected);
  });
});

describe('the guide\'s incompatible pairs of types are problems when both are known', () => {
  const samples: Record<string, string> = { integer: '1', decimal: '1.5', string: '"a"', boolean: 'true' };
  const pairs: Array<[string, string]> = [['integer', 'string'], ['integer', 'boolean'], ['decimal', 'string'], ['decimal', 'boolean'], ['string', 'boolean']];
  test.each(pairs.flatMap(([a, b]) => [[a, b], [b, a]]).flatMap(([a, b]) => ['==', '!='].map((op) => [a, op, b])))(
    '%s %s %s', (a, op, b) => {
      const problems = problemsOf(`${samples[a]} ${op} ${samples[b]}`);
      expect(problems).toHaveLength(1);
      expect(problems[0].message).toBe(`incompatible operand types for '${op}': ${a} and ${b} (compare two numbers, two strings or two booleans)`);
    });

  test.each([['integer', 'decimal'], ['decimal', 'integer'], ['string', 'string'], ['boolean', 'boolean']])('%s == %s is compatible', (a, b) => {
    expect(problemsOf(`${samples[a]} == ${samples[b]}`)).toEqual([]);
  });
});

describe('near misses are suggested', () => {
  test.each([
    ['startswith($input.In.s, "a")', 1, 'unknown function \'startswith()\': did you mean startsWith()? IoT Events has timeout(), triggerType()'],
    ['isnull($input.In.n)', 1, 'did you mean isNull()?'],
    ['bitAnd(1, 2)', 1, 'did you mean bitand()?'],
    ['$variable.Str == "a"', 1, 'unknown variable \'Str\' in $variable.Str: did you mean $variable.str? no setVariable action sets it'],
    ['$variable.flg', 1, 'did you mean $variable.flag?'],
    ['timeout("t2")', 9, 'unknown timer \'t2\' in timeout(): did you mean timeout("t1")?'],
    ['$input.in.a > 1', 1, 'unknown input \'in\' in $input.in.a: did you mean \'In\'?'],
    ['currentInput("Othr")', 14, 'did you mean currentInput("Other")?'],
    ['$input.In.staus == "x"', 1, 'input \'In\' has no attribute \'staus\': did you mean $input.In.status?'],
    ['$input.In.my == "x"', 1, 'did you mean $input.In.`my field`? (names that do not match [a-zA-Z][a-zA-Z0-9_]* go in backticks)'],
    ['triggerType("Mesage")', 13, 'did you mean "Message"?'],
    ['convert(Integer, "1")', 9, 'did you mean Decimal?'],
    ['convert(decimal, "1")', 9, 'did you mean Decimal?'],
    ['TRUE', 1, 'unexpected word \'TRUE\': booleans are lowercase, write true'],
    ['not true', 1, 'syntax error: unexpected word \'not\': write \'!\''],
    ['not($variable.flag)', 1, 'unknown function \'not()\': write \'!\'; IoT Events has'],
  ])('%s: position %d, %s', (text, position, message) => {
    const problems = problemsOf(text);
    expect(problems[0]).toEqual({ position, message: expect.stringContaining(message) });
  });

  test('nothing is suggested when no name is close', () => {
    expect(problemsOf('abs(1)')[0].message).toBe('unknown function \'abs()\': IoT Events has timeout(), triggerType(), currentInput(), convert(), '
      + 'isNull(), isUndefined(), startsWith(), endsWith(), contains(), bitand(), bitor(), bitxor(), bitnot()');
    expect(problemsOf('$variable.zzzzzz')[0].message).toBe('unknown variable \'zzzzzz\' in $variable.zzzzzz: no setVariable action sets it '
      + '(the model sets d, flag, i, str, zero)');
  });

  test('a wrong number of arguments shows how to call the function, and its arguments are still checked', () => {
    expect(problemsOf('startsWith($variable.nope)')).toEqual([
      { position: 12, message: expect.stringContaining('unknown variable \'nope\'') },
      { position: 1, message: 'startsWith() takes 2 arguments, got 1: write it as startsWith($input.In.text, "prefix")' },
    ]);
    expect(problemsOf('bitnot(1, 2)')[0].message).toBe('bitnot() takes 1 argument, got 2: write it as bitnot($input.In.flags)');
  });
});

describe('text fields that are expressions are checked as expressions', () => {
  test.each([
    ['$variable.nmae', 1, 'unknown variable \'nmae\''],
    ['\'alarms/\' + $input.In.zz', 13, 'has no attribute \'zz\''],
    ['timestamp()', 1, 'unknown function \'timestamp()\''],
  ])('%s', (text, position, message) => {
    expect(compileTextField(text, env).problems[0]).toEqual({ position, message: expect.stringContaining(message) });
  });

  test('text with bare words stays text', () => {
    const c = ctx();
    expect(compileTextField('device-1', env).evaluate(c)).toBe('device-1');
    expect(compileTextField('hvac/${$variable.str}/on', env).evaluate(c)).toBe('hvac/abc/on');
    expect(compileTextField('convert(String, $variable.i)', env).evaluate(c)).toBe('7');
  });
});
