/**
 * Conformance: every published model loads, validates and renders back, and every scenario ends in the
 * states and variables the documentation implies, read back through the Data API's DescribeDetector
 * (which reports variable values as strings).
 */
import { expectedApiJson, loadFixtures } from './fixtures';
import { DetectorModelDefinition, DetectorSimulator, InputDefinition } from '../../src/detector';
import { describeWithShared } from '../shared-oracle';

describeWithShared('detector model conformance', () => {
  const fixtures = loadFixtures();

  test.each(fixtures.map((f) => [f.file, f] as const))('%s loads, validates and renders back', (_, f) => {
    const inputs = f.inputs.map((i) => InputDefinition.fromJson(i));
    const model = DetectorModelDefinition.fromJson(f.detectorModel);
    expect(() => new DetectorSimulator({ detectorModels: [model], inputs })).not.toThrow();
    expect(model._renderApiFor(inputs.map((i) => i.inputName)).detectorModelDefinition).toEqual(expectedApiJson(f).detectorModelDefinition);
  });

  const scenarios = fixtures.flatMap((f) => f.scenarios.map((s, i) => [`${f.file} #${i + 1}`, f, s] as const));
  test('there are ten scenarios', () => expect(scenarios).toHaveLength(10));

  test.each(scenarios)('%s', (_, f, scenario) => {
    const sim = new DetectorSimulator({
      detectorModels: [DetectorModelDefinition.fromJson(f.detectorModel)],
      inputs: f.inputs.map((i) => InputDefinition.fromJson(i)),
    });
    const [detectorModelName] = sim.detectorModelNames;
    scenario.messages.forEach((m, i) => {
      const response = sim.batchPutMessage({
        messages: [{
          messageId: `m${i}`,
          inputName: m.inputName,
          payload: JSON.stringify(m.payload),
          ...(m.timestamp !== null ? { timestamp: { timeInMillis: m.timestamp } } : {}),
        }],
      });
      expect(response.batchPutMessageErrorEntries).toEqual([]);
    });
    const keys = Object.keys(scenario.expect);
    const listed = sim.listDetectors({ detectorModelName }).detectorSummaries.map((d) => d.keyValue ?? '_');
    expect(listed.sort()).toEqual([...keys].sort());
    for (const key of keys) {
      const { detector } = sim.describeDetector({ detectorModelName, ...(key === '_' ? {} : { keyValue: key }) });
      const want = scenario.expect[key];
      expect({
        stateName: detector.state.stateName,
        variables: Object.fromEntries(detector.state.variables.map((v) => [v.name, v.value])),
      }).toEqual({
        stateName: want.stateName,
        variables: Object.fromEntries(Object.entries(want.variables).map(([k, v]) => [k, String(v)])),
      });
    }
  });
});
