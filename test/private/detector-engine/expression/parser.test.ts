import { ExpressionNode, ExpressionSyntaxError, parseExpression, parseTextTemplate } from '../../../../src/private/detector-engine/expression';

/** A compact rendering of a tree, fully parenthesized, to assert grouping. */
function show(n: ExpressionNode): string {
  switch (n.kind) {
    case 'number': return n.decimal ? `${n.value}d` : `${n.value}`;
    case 'string': return JSON.stringify(n.value);
    case 'boolean': return String(n.value);
    case 'template': return `tpl[${n.parts.map((p) => (typeof p === 'string' ? JSON.stringify(p) : show(p))).join(',')}]`;
    case 'input': return `in:${n.inputName}:${n.path.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('/')}`;
    case 'variable': return `var:${n.name}`;
    case 'keyword': return `kw:${n.name}`;
    case 'unary': return `(${n.op}${show(n.operand)})`;
    case 'binary': return `(${show(n.left)} ${n.op} ${show(n.right)})`;
    case 'call': return `${n.name}(${n.args.map(show).join(',')})`;
  }
}

function syntaxError(text: string): ExpressionSyntaxError {
  try {
    parseExpression(text);
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected a syntax error for ${text}`);
}

describe('literals', () => {
  test.each([
    ['123', '123'],
    ['0', '0'],
    ['123.45', '123.45d'],
    ['1.0', '1d'],
    ['2e3', '2000d'],
    ['1.5E-2', '0.015d'],
    ['true', 'true'],
    ['false', 'false'],
    ['\'single\'', '"single"'],
    ['"double"', '"double"'],
    ['\'it\\\'s\'', '"it\'s"'],
    ['"say \\"hi\\""', '"say \\"hi\\""'],
    ['\'a"b\'', '"a\\"b"'],
    ['""', '""'],
  ])('%s', (text, expected) => {
    expect(show(parseExpression(text))).toBe(expected);
  });

  test('integer and decimal literals are kept apart', () => {
    expect(parseExpression('3')).toMatchObject({ kind: 'number', value: 3, decimal: false });
    expect(parseExpression('3.0')).toMatchObject({ kind: 'number', value: 3, decimal: true });
  });
});

describe('references', () => {
  test.each([
    ['$input.PressureInput.sensorData.pressure', 'in:PressureInput:sensorData/pressure'],
    ['$input.TemperatureInput.temperatures[2]', 'in:TemperatureInput:temperatures/[2]'],
    ['$input.In.a[0][1].b', 'in:In:a/[0]/[1]/b'],
    ['$input.MyInput.`_value`', 'in:MyInput:_value'],
    ['$input.MyInput.`my field`.x', 'in:MyInput:my field/x'],
    ['$input.`My-Input`.a', 'in:My-Input:a'],
    ['$variable.TechnicianID', 'var:TechnicianID'],
    ['$variable.`odd name`', 'var:odd name'],
  ])('%s', (text, expected) => {
    expect(show(parseExpression(text))).toBe(expected);
  });

  test('the attribute path drops array indexes and keeps backticks where needed', () => {
    expect(parseExpression('$input.In.a[3].`b c`.d')).toMatchObject({ attributePath: 'a.`b c`.d' });
  });

  test.each([
    ['$input.In', 1, 'needs an attribute path'],
    ['$input.In._value', 11, 'backticks'],
    ['$inputs.In.a', 1, 'unknown reference \'$inputs\''],
    ['$variable', 10, 'expected \'.\''],
    ['$input.In.a[x]', 12, 'array index'],
    ['$input.In.`a', 11, 'unterminated backtick'],
    ['$input.In.``', 11, 'empty backtick'],
  ])('fails on %s at position %d', (text, position, message) => {
    const e = syntaxError(text);
    expect(e.position).toBe(position);
    expect(e.message).toContain(message);
  });
});

describe('operators and precedence (Java order)', () => {
  test.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['10 - 4 - 3', '((10 - 4) - 3)'],
    ['8 / 4 / 2', '((8 / 4) / 2)'],
    ['a() || b() && c()', '(a() || (b() && c()))'],
    ['1 < 2 == true', '((1 < 2) == true)'],
    ['1 | 2 ^ 3 & 4', '(1 | (2 ^ (3 & 4)))'],
    ['1 & 2 == 2', '(1 & (2 == 2))'],
    ['1 + 2 < 4 && 3 >= 3', '(((1 + 2) < 4) && (3 >= 3))'],
    ['!$variable.a && $variable.b', '((!var:a) && var:b)'],
    ['-3 * 2', '((-3) * 2)'],
    ['~13', '(~13)'],
    ['!!true', '(!(!true))'],
    ['1 <= 2', '(1 <= 2)'],
    ['1 != 2', '(1 != 2)'],
    ['1>=2', '(1 >= 2)'],
    ['1-1', '(1 - 1)'],
    ['$variable.x+1', '(var:x + 1)'],
  ])('%s', (text, expected) => {
    expect(show(parseExpression(text))).toBe(expected);
  });

  test('&& and || are never read as & and |', () => {
    expect(show(parseExpression('true&&false||true'))).toBe('((true && false) || true)');
    expect(show(parseExpression('1&2|3'))).toBe('((1 & 2) | 3)');
  });
});

describe('function calls', () => {
  test.each([
    ['timeout("t")', 'timeout("t")'],
    ['timeout(\'t\')', 'timeout("t")'],
    ['convert(Decimal, $variable.x)', 'convert(kw:Decimal,var:x)'],
    ['bitor($input.In.a, 5)', 'bitor(in:In:a,5)'],
    ['f()', 'f()'],
    ['contains ( "abc" , "b" )', 'contains("abc","b")'],
  ])('%s', (text, expected) => {
    expect(show(parseExpression(text))).toBe(expected);
  });
});

describe('substitution templates', () => {
  test('a string literal with ${…} is a template of text and expressions', () => {
    expect(show(parseExpression('\'${$variable.t * 9 / 5 + 32} in Fahrenheit\'')))
      .toBe('tpl[(((var:t * 9) / 5) + 32)," in Fahrenheit"]');
  });

  test('quotes inside a substitution and escaped quotes around it', () => {
    expect(show(parseExpression('\'{\\"id\\":\\"${$input.In.sensors[0].id}\\",\\"s\\":\\"${"x" + \'y\'}\\"}\'')))
      .toBe('tpl["{\\"id\\":\\"",in:In:sensors/[0]/id,"\\",\\"s\\":\\"",("x" + "y"),"\\"}"]');
  });

  test('nested templates', () => {
    expect(show(parseExpression('"a${\'b${$variable.c}\'}"'))).toBe('tpl["a",tpl["b",var:c]]');
  });

  test('an escaped $ stays text', () => {
    expect(show(parseExpression('"cost \\${x}"'))).toBe('"cost ${x}"');
  });

  test('text templates (unquoted fields such as an MQTT topic)', () => {
    expect(show(parseTextTemplate('hvac/${$input.In.area}/on'))).toBe('tpl["hvac/",in:In:area,"/on"]');
    expect(show(parseTextTemplate('plain/topic'))).toBe('tpl["plain/topic"]');
    expect(show(parseTextTemplate(''))).toBe('tpl[""]');
  });

  test.each([
    ['\'${}\'', 2, 'empty substitution'],
    ['\'${1 + }\'', 8, 'unexpected \'}\''],
    ['\'${1\'', 5, 'expected \'}\''],
  ])('fails on %s at position %d', (text, position, message) => {
    const e = syntaxError(text);
    expect(e.position).toBe(position);
    expect(e.message).toContain(message);
  });
});

describe('syntax errors name the position', () => {
  test.each([
    ['', 1, 'empty'],
    ['   ', 1, 'empty'],
    ['1 +', 4, 'operand is missing'],
    ['(1 + 2', 7, 'expected \')\''],
    ['1 2', 3, 'after a complete expression'],
    ['\'abc', 1, 'unterminated string'],
    ['1 % 2', 3, 'no remainder operator'],
    ['a(1 2)', 5, 'expected \',\' or \')\''],
    ['12abc', 1, 'malformed number'],
    ['1.2.3', 1, 'malformed number'],
    ['1 = 2', 3, 'compare with \'==\''],
    ['#', 1, 'unexpected \'#\''],
    ['$variable.x ==', 15, 'operand is missing'],
  ])('%j at position %d', (text, position, message) => {
    const e = syntaxError(text);
    expect(e.position).toBe(position);
    expect(e.message).toContain(message);
  });
});

describe('the developer guide\'s expressions parse as the guide reads them', () => {
  test.each([
    // literals: integer, decimal, string (single or double quotes), boolean
    ['\'123\'', '"123"'],
    ['123.12', '123.12d'],
    ['\'my\' + \'string\'', '("my" + "string")'],
    // operators
    ['13 | 5', '(13 | 5)'],
    ['~13', '(~13)'],
    // functions and references
    ['currentInput("Command") && $input.Command.value == "Abort"', '(currentInput("Command") && (in:Command:value == "Abort"))'],
    ['startsWith($input.MyInput.status, "off")', 'startsWith(in:MyInput:status,"off")'],
    ['$input.TemperatureInput.temperatures[2]', 'in:TemperatureInput:temperatures/[2]'],
    ['$input.MyInput.`_value`', 'in:MyInput:_value'],
    ['$variable.testVariable + 1 == 2 && $variable.testVariable', '(((var:testVariable + 1) == 2) && var:testVariable)'],
    ['\'Greenhouse Temperature Table \' + $input.GreenhouseInput.date', '("Greenhouse Temperature Table " + in:GreenhouseInput:date)'],
    ['\'${$input.GreenhouseInput.temperature * 6 / 5 + 32} in Fahrenheit\'', 'tpl[(((in:GreenhouseInput:temperature * 6) / 5) + 32)," in Fahrenheit"]'],
  ])('%s', (text, expected) => {
    expect(show(parseExpression(text))).toBe(expected);
  });
});

describe('syntax errors say what to write instead', () => {
  test.each([
    ['1 + 2)', 6, 'unexpected \')\': no \'(\' is open; remove it or add the \'(\' it closes'],
    ['(1 + 2', 7, 'expected \')\' to close the parenthesis opened at position 1, found end of expression'],
    ['\'abc', 1, 'unterminated string: the \' opened at position 1 is never closed; end it with \''],
    ['"${$variable.a', 15, 'expected \'}\' to close the substitution opened at position 2, found end of expression'],
    ['\'${\'', 4, 'it starts inside the substitution opened at position 2, which needs its \'}\' first'],
    ['\'${}\'', 2, 'empty substitution \'${}\': put an expression inside'],
    ['\'${1 +}\'', 7, 'an operand is missing after \'+\''],
    ['1 === 1', 5, 'equality is \'==\' (there is no \'===\')'],
    ['1 <> 2', 4, 'write not-equal as \'!=\''],
    ['$variable.a > 1 and true', 17, 'unexpected \'and\': write \'&&\''],
    ['true or false', 6, 'unexpected \'or\': write \'||\''],
    ['1 ? 2 : 3', 3, 'no conditional operator'],
    ['.5 > 1', 1, 'write decimals with a leading digit, like 0.5'],
    ['5. > 1', 1, 'malformed number \'5.\': write a digit after the point, like 5.0'],
    ['12abc', 1, 'malformed number \'12abc\': write a number as digits'],
    ['1 +* 2', 4, 'an operand is missing after \'+\''],
    ['!', 2, 'an operand is missing after \'!\''],
    ['()', 2, 'an operand is missing after \'(\''],
    ['timeout("t",)', 13, 'expected an argument after \',\' in timeout(), found \')\': remove the trailing \',\''],
    ['contains("a" "b")', 14, 'expected \',\' or \')\' after argument 1 of contains() (opened at position 1), found \'"\''],
    ['timeout("t"', 12, 'found end of expression: close the call with \')\''],
    ['$Input.In.a', 1, 'unknown reference \'$Input\': did you mean \'$input\'?'],
    ['$var.a', 1, 'unknown reference \'$var\': did you mean \'$variable\'?'],
    ['$x.a', 1, 'unknown reference \'$x\': references are $input.<Input>.<path> and $variable.<name>'],
    ['$input.In.a b', 13, 'join expressions with an operator'],
  ])('%j at position %d', (text, position, message) => {
    const e = syntaxError(text);
    expect(e.position).toBe(position);
    expect(e.message).toContain(message);
  });

  test('a parse error inside a text template points into the text', () => {
    expect(() => parseTextTemplate('alarms/${$input.In.a +}/on')).toThrow(expect.objectContaining({ position: 23 }));
  });
});
