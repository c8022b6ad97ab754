import { Duration } from 'aws-cdk-lib';
import { DetectorModelDefinition, DetectorSimulator, DetectorTimeline, Expression, InputDefinition, SetVariableAction, State } from '../../src/detector';

const input = new InputDefinition({ inputName: 'In', attributeJsonPaths: ['id', 't', 'mode'] });

function simulate() {
  const cool = new State({ stateName: 'Cool', onInput: [{ eventName: 'read', actions: [new SetVariableAction('t', Expression.fromString('$input.In.t')), new SetVariableAction('mode', Expression.fromString('$input.In.mode'))] }] });
  const hot = new State({ stateName: 'Hot' });
  cool.transitionTo(hot, { when: Expression.fromString('$input.In.t > 30') });
  hot.transitionTo(cool, { when: Expression.fromString('$input.In.t <= 30') });
  const sim = new DetectorSimulator({ detectorModels: [new DetectorModelDefinition({ detectorModelName: 'temp', detectorKey: 'id', initialState: cool })], inputs: [input] });
  const send = (id: string, t: number, mode: string) => sim.batchPutMessage({ messages: [{ messageId: `m${sim.trace.length}`, inputName: 'In', payload: JSON.stringify({ id, t, mode }) }] });
  send('a', 20, 'auto');
  sim.advanceTime(Duration.minutes(1));
  send('a', 35, 'auto');
  send('b', 10, 'manual');
  sim.advanceTime(Duration.minutes(1));
  send('a', 25, 'auto');
  sim.advanceTime(Duration.seconds(30));
  send('a', 22, 'eco <1>');
  sim.advanceTime(Duration.seconds(30));
  return sim;
}

describe('DetectorTimeline', () => {
  test('draws each detector\'s states and variables over time', () => {
    const svg = DetectorTimeline.renderSvg(simulate(), { title: 'Temps & <modes>' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="800"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Temps &amp; &lt;modes&gt;');
    expect(svg).toContain('2 detectors, 3 min simulated');
    expect(svg.match(/<g class="detector" /g)).toHaveLength(2);
    // Detector a: Cool, Hot (from minute 1), Cool (from minute 2).
    const a = /<g class="detector" data-model="temp" data-key="a">([\s\S]*?)<\/g>/.exec(svg)![1];
    expect([...a.matchAll(/<rect class="state" data-state="(\w+)"/g)].map((m) => m[1])).toEqual(['Cool', 'Hot', 'Cool']);
    // t is numeric: a step line; mode is text: its value at each change, escaped.
    expect(a).toMatch(/<polyline class="variable" data-variable="t" [^>]*points="[0-9., ]+"/);
    expect([...a.matchAll(/class="variable-change" data-variable="mode"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['auto', 'eco &lt;1&gt;']);
  });

  test('filters by model and key value', () => {
    const svg = DetectorTimeline.renderSvg(simulate(), { keyValues: ['b'], width: 640 });
    expect(svg).toContain('width="640"');
    expect(svg.match(/<g class="detector" /g)).toHaveLength(1);
    expect(svg).toContain('data-key="b"');
  });

  test('fails on a width out of range', () => {
    expect(() => DetectorTimeline.renderSvg(simulate(), { width: 100 })).toThrow(/timeline width must be an integer between 320 and 4000 pixels, got 100/);
  });
});
