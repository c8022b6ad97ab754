import { InputShape } from '../../../src/private/detector-engine/evaluator/api-shapes';
import { continueProblem, detectorKeyProblem } from '../../../src/private/detector-engine/model-validate';

const input = (inputName: string, ...paths: string[]): InputShape => ({
  inputName,
  inputDefinition: { attributes: paths.map((jsonPath) => ({ jsonPath })) },
});
const model = (key: string | undefined) => ({
  detectorModelName: 'm',
  ...(key !== undefined ? { key } : {}),
  detectorModelDefinition: { initialStateName: 'A', states: [{ stateName: 'A' }] },
});

describe('detectorKeyProblem', () => {
  const telemetry = input('Telemetry', 'deviceId', 'temperature', 'payload', 'meta.site', '`serial-no`');

  test.each([
    ['the exact attribute', 'deviceId'],
    ['a path inside an attribute', 'payload.deviceId'],
    ['a path deep inside an attribute', 'payload.device.id'],
    ['a nested attribute', 'meta.site'],
    ['an attribute in backticks, written the same', '`serial-no`'],
    ['a plain segment written in backticks', '`deviceId`'],
  ])('accepts %s (%s)', (_, key) => {
    expect(detectorKeyProblem(model(key), ['Telemetry'], [telemetry])).toBeUndefined();
  });

  test('accepts a model without a key, and any key when no input is known', () => {
    expect(detectorKeyProblem(model(undefined), ['Telemetry'], [telemetry])).toBeUndefined();
    expect(detectorKeyProblem(model('anything'), [], [])).toBeUndefined();
  });

  test.each([
    ['a different case', 'deviceID', ": did you mean 'deviceId'?"],
    ['a typo', 'devceId', ": did you mean 'deviceId'?"],
    ['a nested typo', 'meta.sites', ": did you mean 'meta.site'?"],
    ['the attribute under a parent that is not declared', 'body.deviceId', ": did you mean 'deviceId'?"],
    ['an object holding a declared attribute', 'meta', "; it holds the attribute 'meta.site', and an object is no key value: did you mean 'meta.site'?"],
  ])('a mistake: %s (%s)', (_, key, hint) => {
    const problem = detectorKeyProblem(model(key), ['Telemetry'], [telemetry], 'detectorKey')!;
    expect(problem).toEqual({
      mistake: true,
      problem: `detector model 'm' detectorKey '${key}' is not an attribute, nor a path inside one, of the input it reads `
        + `(Telemetry: deviceId, temperature, payload, meta.site, \`serial-no\`)${hint}`,
      fix: `set detectorKey to one of these attributes or a path inside one, or add '${key}' to the attributeJsonPaths of the input whose messages carry it`,
    });
  });

  test('a key no attribute is close to is not called a mistake, and names the nearest attribute', () => {
    expect(detectorKeyProblem(model('temp'), ['Telemetry'], [telemetry])).toEqual({
      mistake: false,
      problem: "detector model 'm' key 'temp' is not an attribute, nor a path inside one, of the input it reads "
        + "(Telemetry: deviceId, temperature, payload, meta.site, `serial-no`); the nearest attribute is 'temperature'",
      fix: "set key to one of these attributes or a path inside one, or add 'temp' to the attributeJsonPaths of the input whose messages carry it",
    });
    expect(detectorKeyProblem(model('craneid'), ['Telemetry'], [input('Telemetry', 'pressure', 'temperature')])!.problem)
      .toMatch(/the nearest attribute is '(pressure|temperature)'$/);
  });

  test('only the inputs the model reads count: an attribute of another input is a mistake', () => {
    const other = input('Other', 'serial');
    expect(detectorKeyProblem(model('serial'), ['Telemetry'], [telemetry, other])).toEqual({
      mistake: true,
      problem: expect.stringMatching(/of the input it reads \(Telemetry: [^)]*\); it is an attribute of 'Other', which the model does not read$/),
      fix: expect.any(String),
    });
    expect(detectorKeyProblem(model('serial'), ['Telemetry', 'Other'], [telemetry, other])).toBeUndefined();
  });

  test('a model that reads none of the inputs is checked against all of them', () => {
    expect(detectorKeyProblem(model('serial'), [], [telemetry, input('Other', 'serial')])).toBeUndefined();
    expect(detectorKeyProblem(model('serialNo'), [], [telemetry, input('Other', 'serial')])!.problem)
      .toContain('of the inputs it reads (Telemetry: deviceId, temperature, payload, meta.site, `serial-no`; Other: serial)');
  });

  test('continueProblem continues after a question without a semicolon', () => {
    expect(continueProblem('is it?', 'fix it')).toBe('is it? fix it');
    expect(continueProblem('it is', 'fix it')).toBe('it is; fix it');
  });
});
