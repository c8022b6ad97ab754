/**
 * The example app's detector model, tested the way the README shows: a jest test that runs the alarm
 * logic in a DetectorSimulator.
 */
import { Duration } from 'aws-cdk-lib';
import { lineOverheatDetector, lineTelemetryInput } from '../../examples/line-telemetry-detector';
import { DetectorDiagram, DetectorSimulator } from '../../src';

describe('example: line-1 overheat detector', () => {
  let sim: DetectorSimulator;
  let n = 0;
  const read = (deviceId: string, temperature: number) => sim.batchPutMessage({
    messages: [{ messageId: `m${++n}`, inputName: 'LineTelemetry', payload: JSON.stringify({ deviceId, temperature, timestamp: 0 }) }],
  });
  const state = (deviceId: string) => sim.describeDetector({ detectorModelName: 'line-1-overheat', keyValue: deviceId }).detector.state;

  beforeEach(() => {
    sim = new DetectorSimulator({ detectorModels: [lineOverheatDetector()], inputs: [lineTelemetryInput] });
  });

  test('three hot readings raise one alert; three cool ones clear it', () => {
    read('sensor-1', 85);
    read('sensor-1', 86);
    expect(state('sensor-1').stateName).toBe('Normal');
    read('sensor-1', 90);
    expect(state('sensor-1').stateName).toBe('Overheated');
    expect(sim.actions.map((a) => [a.configuration.mqttTopic, a.payload])).toEqual([
      ['factory/line-1/alerts/sensor-1', { alert: 'overheated', deviceId: 'sensor-1', temperature: 90 }],
    ]);
    read('sensor-1', 70);
    read('sensor-1', 78); // not cool enough: the count starts again
    read('sensor-1', 70);
    read('sensor-1', 70);
    expect(state('sensor-1').stateName).toBe('Overheated');
    read('sensor-1', 70);
    expect(state('sensor-1')).toEqual(expect.objectContaining({ stateName: 'Normal' }));
    expect(sim.actions.map((a) => a.payload.alert)).toEqual(['overheated', 'cleared']);
  });

  test('a sensor that stays silent for 10 minutes goes Silent; its next reading brings it back', () => {
    read('sensor-2', 20);
    sim.advanceTime(Duration.minutes(9));
    read('sensor-2', 21); // restarts the 10 minutes
    sim.advanceTime(Duration.minutes(9));
    expect(state('sensor-2').stateName).toBe('Normal');
    sim.advanceTime(Duration.minutes(1));
    expect(state('sensor-2')).toEqual({ stateName: 'Silent', variables: [{ name: 'hotReadings', value: '0' }], timers: [] });
    expect(sim.actions.map((a) => [a.timeInMillis, a.configuration.mqttTopic])).toEqual([[19 * 60_000, 'factory/line-1/alerts/silent']]);
    read('sensor-2', 22);
    expect(state('sensor-2').stateName).toBe('Normal');
  });

  test('the state diagram', () => {
    expect(DetectorDiagram.renderMermaid(lineOverheatDetector(), { showConditions: false, showEvents: false })).toEqual([
      'stateDiagram-v2',
      '  state "Normal" as s0',
      '  state "Overheated" as s1',
      '  state "Silent" as s2',
      '  [*] --> s0',
      '  s0 --> s1 : Overheating',
      '  s0 --> s2 : Normal_silent',
      '  s1 --> s0 : CooledDown',
      '  s1 --> s2 : Overheated_silent',
      '  s2 --> s0 : Back',
      '',
    ].join('\n'));
  });

  test('the README example', () => {
    sim = new DetectorSimulator({ detectorModels: [lineOverheatDetector()], inputs: [lineTelemetryInput] });
    const readme = (id: string, temperature: number) => sim.batchPutMessage({
      messages: [{ messageId: `${id}-${temperature}`, inputName: 'LineTelemetry', payload: JSON.stringify({ deviceId: id, temperature }) }],
    });
    readme('sensor-1', 85); readme('sensor-1', 86); readme('sensor-1', 90);
    expect(sim.describeDetector({ detectorModelName: 'line-1-overheat', keyValue: 'sensor-1' }).detector.state.stateName).toBe('Overheated');
    expect(sim.actions[0].payload).toEqual({ alert: 'overheated', deviceId: 'sensor-1', temperature: 90 });

    sim.advanceTime(Duration.minutes(10));
    expect(sim.describeDetector({ detectorModelName: 'line-1-overheat', keyValue: 'sensor-1' }).detector.state).toEqual({
      stateName: 'Silent', variables: [{ name: 'coolReadings', value: '0' }, { name: 'hotReadings', value: '3' }], timers: [],
    });
  });
});
