/**
 * Conformance: every published model loads, validates and renders back, and every scenario ends in the
 * states and variables the documentation implies, read back through the Data API's DescribeDetector
 * (which reports variable values as strings).
 */
import { Duration } from 'aws-cdk-lib';
import { expectedApiJson, loadFixtures } from './fixtures';
import { DetectorModelDefinition, DetectorSimulator, InputDefinition } from '../../src/detector';
import { writeJsonText } from '../../src/private/detector-engine/json-text';
import { describeWithShared } from '../shared-oracle';

/**
 * A typed variable value as DescribeDetector reports it, an expression literal: a string JSON-quoted (the guide's
 * HVAC sample shows `"sensorId": "\"01\""`), a number or a boolean bare, an integral decimal as its integer.
 */
const reported = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

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
          // the payload's text as published: 20.0 stays a decimal
          payload: writeJsonText(m.payload),
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
        variables: Object.fromEntries(Object.entries(want.variables).map(([k, v]) => [k, reported(v)])),
      });
    }
  });

  test('blueprint-isa-alarm: the first reading sets the thresholds ($variable.lower_threshold != itself while unset) and the alarm runs its life cycle', () => {
    const f = fixtures.find((x) => x.file === 'blueprint-isa-alarm.json')!;
    const sim = new DetectorSimulator({
      detectorModels: [DetectorModelDefinition.fromJson(f.detectorModel)],
      inputs: f.inputs.map((i) => InputDefinition.fromJson(i)),
    });
    const send = (payload: object) => {
      const r = sim.batchPutMessage({
        messages: [{ messageId: `m${sim.trace.length}`, inputName: 'AWS_IoTEvents_Blueprints_ISA_Alarm_Input', payload: JSON.stringify({ alarmId: 'pump-7', ...payload }) }],
      });
      expect(r.batchPutMessageErrorEntries).toEqual([]);
    };
    const read = () => {
      const { state } = sim.describeDetector({ detectorModelName: 'AWS_IoTEvents_Blueprints_ISA_Alarm', keyValue: 'pump-7' }).detector;
      return { stateName: state.stateName, ...Object.fromEntries(state.variables.map((v) => [v.name, v.value])) };
    };
    // Normal's "Create Config variables" fires while lower_threshold is unset; abnormal_condition (`>` `<` against
    // the unset thresholds, joined by `||`) does not
    send({ value: 50, lower_threshold: 10, higher_threshold: 90 });
    expect(read()).toEqual({ stateName: 'Normal', state: '"normal"', lower_threshold: '10', higher_threshold: '90' });
    send({ value: 60, lower_threshold: 55, higher_threshold: 58 }); // set already: these thresholds are not taken
    expect(read()).toEqual({ stateName: 'Normal', state: '"normal"', lower_threshold: '10', higher_threshold: '90' });
    send({ value: 95 });
    expect(read()).toMatchObject({ stateName: 'Unacknowledged', state: '"unack"' });
    send({ command: 'acknowledge' });
    expect(read()).toMatchObject({ stateName: 'Acknowledged', state: '"ack"' });
    sim.advanceTime(Duration.seconds(60)); // re-alarm on timeout("snooze")
    expect(read()).toMatchObject({ stateName: 'Unacknowledged', state: '"unack"' });
    send({ value: 40 });
    expect(read()).toMatchObject({ stateName: 'RTN_Unacknowledged', state: '"rtnunack"' });
    send({ command: 'shelve' });
    expect(read()).toMatchObject({ stateName: 'Shelved', state: '"rtnunack"' });
    send({ command: 'unshelve' });
    expect(read()).toMatchObject({ stateName: 'RTN_Unacknowledged', state: '"rtnunack"' });
    send({ command: 'acknowledge' });
    expect(read()).toEqual({ stateName: 'Normal', state: '"normal"', lower_threshold: '10', higher_threshold: '90' });
    send({ value: 5 });
    expect(read()).toMatchObject({ stateName: 'Unacknowledged', state: '"unack"' });
  });

  test('blueprint-sensors-apps: a condition over two inputs never fires, since a message carries one (the guide\'s rule)', () => {
    const f = fixtures.find((x) => x.file === 'blueprint-sensors-apps.json')!;
    const sim = new DetectorSimulator({
      detectorModels: [DetectorModelDefinition.fromJson(f.detectorModel)],
      inputs: f.inputs.map((i) => InputDefinition.fromJson(i)),
    });
    const send = (input: 'DeviceInput' | 'UserInput', payload: object) => {
      const r = sim.batchPutMessage({
        messages: [{ messageId: `m${sim.trace.length}`, inputName: `AWS_IoTEvents_Blueprints_Tracking_${input}`, payload: JSON.stringify(payload) }],
      });
      expect(r.batchPutMessageErrorEntries).toEqual([]);
    };
    const state = () => sim.describeDetector({ detectorModelName: 'EventDetectionSensorsAndApplications' }).detector.state.stateName;
    send('DeviceInput', { device_id: 'd1', gps_position: 'a' });
    expect(state()).toBe('Device_idle');
    send('DeviceInput', { device_id: 'd1', gps_position: 'b' }); // To_in_use: the position changed
    expect(state()).toBe('Device_in_use');
    // To_exception compares UserInput.device_id with DeviceInput.device_id: neither message fires it
    send('DeviceInput', { device_id: 'd1', gps_position: 'c' });
    send('UserInput', { device_id: 'u9' });
    expect(state()).toBe('Device_in_use');
    expect(sim.trace.filter((t) => t.type === 'transition').map((t) => t.details.nextState)).toEqual(['Device_in_use']);
    expect(sim.trace.filter((t) => t.type === 'action')).toEqual([]); // Send_mqtt never ran
  });

  test('hvac-area: the guide\'s DescribeDetector sample: sensor "01" reading 15.72 after the seed reports sensorId "\\"01\\"" and averageTemperature 19.572', () => {
    const f = fixtures.find((x) => x.file === 'hvac-area.json')!;
    const sim = new DetectorSimulator({
      detectorModels: [DetectorModelDefinition.fromJson(f.detectorModel)],
      inputs: f.inputs.map((i) => InputDefinition.fromJson(i)),
    });
    const seed = f.scenarios[0].messages[0];
    const put = (inputName: string, payload: string) =>
      expect(sim.batchPutMessage({ messages: [{ messageId: `m${sim.trace.length}`, inputName, payload }] }).batchPutMessageErrorEntries).toEqual([]);
    put(seed.inputName, writeJsonText(seed.payload));
    put('temperatureInput', '{"sensorId": "01", "areaId": "Area51", "sensorData": {"temperature": 15.72} }');
    const { state } = sim.describeDetector({ detectorModelName: 'areaDetectorModel', keyValue: 'Area51' }).detector;
    expect(state.stateName).toBe('idle');
    // the guide's values, but for the integral decimals ("20.0" there: "20" here, decided) and the variables its run
    // had from another version of the model (enteringNewState, goodToGo)
    expect(Object.fromEntries(state.variables.map((v) => [v.name, v.value]))).toEqual({
      resetMe: 'false',
      rangeLow: '15',
      noDelay: 'false',
      desiredTemperature: '20',
      anomalousLow: '0',
      sensorId: '"01"',
      sensorCount: '10',
      rangeHigh: '30',
      averageTemperature: '19.572',
      allowedError: '0.7',
      anomalousHigh: '60',
      reportedTemperature: '15.72',
    });

    // the guide's areaDM.BUD.json: numbers bare, "1.0" a decimal; then a string written as the describe output writes it
    const r = sim.batchUpdateDetector({
      detectors: [{
        messageId: '0001',
        detectorModelName: 'areaDetectorModel',
        keyValue: 'Area51',
        state: {
          stateName: 'start',
          variables: [
            ['desiredTemperature', '22'], ['averageTemperature', '22'], ['allowedError', '1.0'], ['rangeHigh', '30.0'], ['rangeLow', '15.0'],
            ['anomalousHigh', '60.0'], ['anomalousLow', '0.0'], ['sensorCount', '12'], ['noDelay', 'true'], ['goodToGo', 'true'],
            ['sensorId', '"07"'], ['reportedTemperature', '0.1'], ['resetMe', 'true'],
          ].map(([name, value]) => ({ name, value })),
          timers: [],
        },
      }],
    });
    expect(r.batchUpdateDetectorErrorEntries).toEqual([]);
    const updated = sim.describeDetector({ detectorModelName: 'areaDetectorModel', keyValue: 'Area51' }).detector.state;
    expect(Object.fromEntries(updated.variables.map((v) => [v.name, v.value]))).toMatchObject({
      desiredTemperature: '22', allowedError: '1', noDelay: 'true', sensorId: '"07"', sensorCount: '12',
    });
    // "22" and "12" are integers: the 'reset' transition (resetMe is true, 35 is not anomalous) averages
    // (22 * 11 + 35) / 12 by integer division, 23 (a decimal would give 23.0833…, a string no value at all)
    put('temperatureInput', '{"sensorId": "05", "areaId": "Area51", "sensorData": {"temperature": 35}}');
    const after = sim.describeDetector({ detectorModelName: 'areaDetectorModel', keyValue: 'Area51' }).detector.state;
    expect(after.stateName).toBe('idle');
    expect(after.variables.find((v) => v.name === 'averageTemperature')!.value).toBe('23');
  });

  test('hvac-area: after the published seed (desiredTemperature 20.0), integral readings average as decimals', () => {
    const f = fixtures.find((x) => x.file === 'hvac-area.json')!;
    const sim = new DetectorSimulator({
      detectorModels: [DetectorModelDefinition.fromJson(f.detectorModel)],
      inputs: f.inputs.map((i) => InputDefinition.fromJson(i)),
    });
    const seed = f.scenarios[0].messages[0];
    expect(writeJsonText(seed.payload)).toContain('"desiredTemperature":20.0');
    const send = (id: string, inputName: string, payload: string) =>
      expect(sim.batchPutMessage({ messages: [{ messageId: id, inputName, payload }] }).batchPutMessageErrorEntries).toEqual([]);
    const read = () => {
      const { state } = sim.describeDetector({ detectorModelName: 'areaDetectorModel', keyValue: 'Area51' }).detector;
      return { stateName: state.stateName, averageTemperature: state.variables.find((v) => v.name === 'averageTemperature')!.value };
    };
    send('seed', seed.inputName, writeJsonText(seed.payload));
    expect(read()).toEqual({ stateName: 'idle', averageTemperature: '20' });
    // one of ten sensors reads 28: (20.0 * 9 + 28) / 10 = 20.8 > 20.0 + 0.7, so the area cools (integer
    // division would give 20 and leave it idle)
    send('r1', 'temperatureInput', '{"sensorId":"01","areaId":"Area51","sensorData":{"temperature":28}}');
    expect(read()).toEqual({ stateName: 'cooling', averageTemperature: '20.8' });
    send('r2', 'temperatureInput', '{"sensorId":"02","areaId":"Area51","sensorData":{"temperature":28}}');
    expect(read()).toEqual({ stateName: 'cooling', averageTemperature: '21.52' });
  });
});
