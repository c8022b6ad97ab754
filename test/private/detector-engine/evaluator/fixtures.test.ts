import {
  DetectorInstance, InputShape, compileDetectorModel, evaluateInput, keyValueOf,
} from '../../../../src/private/detector-engine/evaluator';
import { Fixture, expectedApiJson, loadFixtures } from '../../../detector/fixtures';
import { describeWithShared } from '../../../shared-oracle';

// The published models of ../shared/fixtures/detector-models, normalized to the API's camelCase
// independently of the library's importers, run through the evaluator directly.
function inputsOf(f: Fixture): InputShape[] {
  return f.inputs.map((i) => ({ inputName: i.inputName, inputDefinition: { attributes: i.attributes.map((jsonPath) => ({ jsonPath })) } }));
}

describeWithShared('published detector models', () => {
  const fixtures = loadFixtures();

  test('all eleven are there', () => {
    expect(fixtures).toHaveLength(11);
  });

  test.each(fixtures.map((f) => [f.file, f] as const))('%s compiles', (_file, f) => {
    const c = compileDetectorModel(expectedApiJson(f), inputsOf(f));
    expect(c.stateNames.length).toBeGreaterThan(0);
    expect(c.inputNames.size).toBeGreaterThan(0);
    for (const name of c.inputNames) expect(f.inputs.map((i) => i.inputName)).toContain(name);
  });

  const scenarios = fixtures.flatMap((f) => f.scenarios.map((s, i) => [`${f.file} #${i + 1}`, f, s] as const));
  test.each(scenarios)('%s gives the expected states and variables', (_name, f, scenario) => {
    const c = compileDetectorModel(expectedApiJson(f), inputsOf(f));
    const detectors = new Map<string, DetectorInstance>();
    let t = 1_700_000_000_000;
    for (const m of scenario.messages) {
      const key = c.key === undefined ? '_' : keyValueOf(c, m.inputName, m.payload);
      expect(key).toBeDefined();
      const r = evaluateInput(c, detectors.get(key!), { inputName: m.inputName, payload: m.payload, timestampMs: m.timestamp ?? t++ });
      detectors.set(key!, r.instance);
    }
    const got: Record<string, { stateName: string; variables: Record<string, unknown> }> = {};
    for (const [k, d] of detectors) got[k] = { stateName: d.stateName, variables: { ...d.variables } };
    expect(got).toEqual(scenario.expect);
  });
});
