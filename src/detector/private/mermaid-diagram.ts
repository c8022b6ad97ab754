import { DetectorModelShape } from '../../private/detector-engine/evaluator/api-shapes';

/** Escapes text for a Mermaid label: entity codes for the characters Mermaid reads as syntax (one pass). */
export function mermaidText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[#;"<>:{}]/g, (c) => ENTITIES[c]);
}

const ENTITIES: Record<string, string> = {
  '#': '#35;', ';': '#59;', '"': '#quot;', '<': '#lt;', '>': '#gt;', ':': '#58;', '{': '#123;', '}': '#125;',
};

/** Renders the state diagram (one renderer for the Mermaid format). */
export function renderMermaidStateDiagram(model: DetectorModelShape, options: { showConditions: boolean; showEvents: boolean }): string {
  const def = model.detectorModelDefinition;
  const ids = new Map<string, string>();
  def.states.forEach((s, i) => ids.set(s.stateName, `s${i}`));
  const lines = ['stateDiagram-v2'];
  for (const s of def.states) {
    const id = ids.get(s.stateName)!;
    lines.push(`  state "${mermaidText(s.stateName)}" as ${id}`);
    if (options.showEvents) {
      for (const [group, events] of [['onEnter', s.onEnter?.events], ['onInput', s.onInput?.events], ['onExit', s.onExit?.events]] as const) {
        for (const e of events ?? []) lines.push(`  ${id} : ${group} ${mermaidText(e.eventName)}`);
      }
    }
  }
  lines.push(`  [*] --> ${ids.get(def.initialStateName)}`);
  for (const s of def.states) {
    for (const t of s.onInput?.transitionEvents ?? []) {
      const label = options.showConditions ? `${t.eventName} [${t.condition}]` : t.eventName;
      lines.push(`  ${ids.get(s.stateName)} --> ${ids.get(t.nextState)} : ${mermaidText(label)}`);
    }
  }
  return lines.join('\n') + '\n';
}
