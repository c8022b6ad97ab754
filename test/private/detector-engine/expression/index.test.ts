import { CompileEnvironment, EvaluationContext, compileExpression, compileTextField } from '../../../../src/private/detector-engine/expression';

const env = { inputs: new Map([['In', new Set(['a'])]]) };

describe('compileExpression', () => {
  test('a syntax error in an expression copied with its HTML entities names them and what to write', () => {
    const [problem] = compileExpression('$input.In.a &gt; 1 &amp;&amp; true', env).problems;
    expect(problem.position).toBe(16);
    expect(problem.message).toBe("syntax error: unexpected ';' after a complete expression; the expression holds the HTML entities "
      + "'&gt;', '&amp;' (copied from a web page?): write '>', '&' instead");
  });

  test('a syntax error without HTML entities gets no such hint', () => {
    expect(compileExpression('$input.In.a > ', env).problems[0].message).not.toContain('HTML');
  });

  test('an HTML entity inside a string literal is text, not a problem', () => {
    const out = compileExpression("'a &gt; b'", env);
    expect(out.problems).toEqual([]);
    expect(out.evaluate({ inputName: 'In', payload: {}, variables: {}, triggerType: 'Message', timedOut: undefined })).toBe('a &gt; b');
  });
});

describe('compileTextField', () => {
  const message = (payload: unknown, inputName = 'In'): EvaluationContext => ({ inputName, payload, variables: {}, triggerType: 'Message', timedOut: undefined });
  const textOf = (text: string, environment: CompileEnvironment = env, ctx = message({ a: 'x' })) => {
    const out = compileTextField(text, environment);
    expect(out.problems).toEqual([]);
    return out.evaluate(ctx);
  };

  test('plain text with an HTML entity stays text', () => {
    expect(compileTextField('alerts/&amp;', env).problems).toEqual([]);
  });

  test.each([
    '2024/10', // was the topic 202
    '1-1', // was 0
    '10',
    '-5',
    '2.50',
    '1e3',
    '7 * 6',
    'true',
    '!false',
    '(3)',
    '1 == 1',
  ])('%s holds no reference, quoted string or call: it is that text', (text) => {
    expect(textOf(text)).toBe(text);
  });

  test.each<[string, string]>([
    ['$input.In.a', 'x'],
    ['\'sensors/\' + $input.In.a', 'sensors/x'],
    ['"sensors/2024/10"', 'sensors/2024/10'],
    ['\'${10 / 4}\'', '2'],
    ['convert(String, 2024 / 10)', '202'],
    ['sensors/${$input.In.a}/2024/10', 'sensors/x/2024/10'], // text with a substitution
  ])('%s holds a reference, a quoted string or a call: it is evaluated, to %s', (text, expected) => {
    expect(textOf(text)).toBe(expected);
  });

  describe('the API reference\'s examples of DynamoDBAction and IotSiteWiseAction fields', () => {
    const examples: CompileEnvironment = {
      inputs: new Map([
        ['GreenhouseInput', new Set(['name', 'temperature', 'date'])],
        ['TurbineInput', new Set(['assetId1'])],
        ['TemperatureInput', new Set(['sensorData.windfarmID', 'sensorData.turbineID', 'sensorData.temperature'])],
      ]),
      variables: new Set(['offline']),
    };
    const greenhouse = message({ name: 'gh-1', temperature: 10, date: '2000-01-01' }, 'GreenhouseInput');
    const turbine = message({ assetId1: 'a1b2' }, 'TurbineInput');
    const temperature = message({ sensorData: { windfarmID: 3, turbineID: 7, temperature: 20 } }, 'TemperatureInput');

    test.each<[string, string, EvaluationContext, unknown]>([
      ['dynamoDB.hashKeyType', '\'STRING\'', greenhouse, 'STRING'],
      ['dynamoDB.hashKeyField', '$input.GreenhouseInput.name', greenhouse, 'gh-1'],
      ['dynamoDB.hashKeyValue', '\'${$input.GreenhouseInput.temperature * 6 / 5 + 32} in Fahrenheit\'', greenhouse, '44 in Fahrenheit'],
      ['dynamoDB.tableName', '\'GreenhouseTemperatureTable \' + $input.GreenhouseInput.date', greenhouse, 'GreenhouseTemperatureTable 2000-01-01'],
      ['iotSiteWise.propertyAlias', '\'/company/windfarm/3/turbine/7/temperature\'', temperature, '/company/windfarm/3/turbine/7/temperature'],
      ['iotSiteWise.assetId', '$input.TurbineInput.assetId1', turbine, 'a1b2'],
      ['iotSiteWise.propertyAlias', '\'company/windfarm/${$input.TemperatureInput.sensorData.windfarmID}/turbine/ ${$input.TemperatureInput.sensorData.turbineID}/temperature\'',
        temperature, 'company/windfarm/3/turbine/ 7/temperature'],
      ['iotSiteWise.propertyValue.value.integerValue', '\'100\'', temperature, '100'],
      ['iotSiteWise.propertyValue.value.doubleValue', '\'${$input.TemperatureInput.sensorData.temperature * 6 / 5 + 32}\'', temperature, '56'],
      // the same fields written without quotes, as published models also write them: text
      ['dynamoDB.hashKeyType', 'STRING', greenhouse, 'STRING'],
      ['iotSiteWise.propertyAlias', '/company/windfarm/3/turbine/7/temperature', temperature, '/company/windfarm/3/turbine/7/temperature'],
      ['iotSiteWise.propertyAlias', 'company/windfarm/3/turbine/7/temperature', temperature, 'company/windfarm/3/turbine/7/temperature'],
      ['iotSiteWise.propertyValue.value.integerValue', '100', temperature, '100'],
      ['iotSiteWise.propertyValue.timestamp.timeInSeconds', '1586890893', temperature, '1586890893'],
    ])('%s %s', (_, text, ctx, expected) => {
      expect(textOf(text, examples, ctx)).toBe(expected);
    });
  });
});
