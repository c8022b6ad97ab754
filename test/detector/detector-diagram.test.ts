import { loadFixtures } from './fixtures';
import { DetectorDiagram, DetectorModelDefinition, Expression, State } from '../../src/detector';
import { describeWithShared } from '../shared-oracle';

describe('DetectorDiagram', () => {
  test('renders a Mermaid state diagram with the initial state, events and transitions', () => {
    const normal = new State({ stateName: 'Normal', onEnter: [{ eventName: 'init' }] });
    const dangerous = new State({ stateName: 'Too hot: #1', onInput: [{ eventName: 'count' }], onExit: [{ eventName: 'clear; all' }] });
    normal.transitionTo(dangerous, { eventName: 'Overheated', when: Expression.fromString('$input.In.t > 70 && "a" == "a"') });
    dangerous.transitionTo(normal, { eventName: 'Cooled', when: Expression.fromString('$input.In.t <= 70') });
    const model = new DetectorModelDefinition({ initialState: normal });
    expect(DetectorDiagram.renderMermaid(model)).toEqual([
      'stateDiagram-v2',
      '  state "Normal" as s0',
      '  s0 : onEnter init',
      '  state "Too hot#58; #35;1" as s1',
      '  s1 : onInput count',
      '  s1 : onExit clear#59; all',
      '  [*] --> s0',
      '  s0 --> s1 : Overheated [$input.In.t #gt; 70 && #quot;a#quot; == #quot;a#quot;]',
      '  s1 --> s0 : Cooled [$input.In.t #lt;= 70]',
      '',
    ].join('\n'));
    expect(DetectorDiagram.renderMermaid(model, { showConditions: false, showEvents: false })).toEqual([
      'stateDiagram-v2', '  state "Normal" as s0', '  state "Too hot#58; #35;1" as s1', '  [*] --> s0', '  s0 --> s1 : Overheated', '  s1 --> s0 : Cooled', '',
    ].join('\n'));
  });
});

describeWithShared('diagrams of the published models', () => {
  test.each(loadFixtures().map((f) => [f.file, f] as const))('%s: one node per state, one edge per transition', (_, f) => {
    const model = DetectorModelDefinition.fromJson(f.detectorModel);
    const text = DetectorDiagram.renderMermaid(model);
    const def = model.toJson().detectorModelDefinition;
    const transitions = def.states.flatMap((s: any) => s.onInput?.transitionEvents ?? []);
    expect(text.split('\n').filter((l) => /^ {2}state "/.test(l))).toHaveLength(def.states.length);
    expect(text.split('\n').filter((l) => / --> s\d+ : /.test(l))).toHaveLength(transitions.length);
    // Labels hold no character Mermaid would read as syntax.
    for (const line of text.split('\n').filter((l) => l.includes(' : '))) expect(line.split(' : ')[1].replace(/#\w+;/g, '')).not.toMatch(/[#;:<>"{}]/);
  });
});
