import { ActionShape, DetectorModelDefinitionShape, EventShape, StateShape } from '../../private/detector-engine/evaluator/api-shapes';
import { ActionConfig, IAction } from '../action';
import { Event } from '../event';
import { Expression } from '../expression';
import { State } from '../state';
import { isObject } from './model-json';

/** An action read from JSON: renders back exactly what was read. */
export class ImportedAction implements IAction {
  constructor(private readonly config: ActionShape) {}
  public renderActionConfig(): ActionConfig {
    return { configuration: this.config };
  }
}

/**
 * Builds the typed states of a normalized (camelCase) definition, in the order given, keeping the
 * presence of each list so that rendering gives the same JSON back.
 */
export function importStates(def: DetectorModelDefinitionShape, where: string): { states: State[]; initial: State } {
  if (!isObject(def)) throw new Error(`${where}: detectorModelDefinition must be an object, got ${JSON.stringify(def)}`);
  if (!Array.isArray(def.states) || def.states.length === 0) {
    throw new Error(`${where}: detectorModelDefinition.states must be a non-empty list of states`);
  }
  if (typeof def.initialStateName !== 'string') {
    const names = def.states.map((s: StateShape) => (isObject(s) ? s.stateName : undefined)).filter((n) => typeof n === 'string');
    throw new Error(`${where}: detectorModelDefinition.initialStateName must name one of the states, got ${JSON.stringify(def.initialStateName)}; `
      + `set it to the state new detectors start in (${names.join(', ') || 'no state has a stateName'})`);
  }
  const byName = new Map<string, State>();
  const states = def.states.map((s: StateShape, i: number) => {
    if (!isObject(s) || typeof s.stateName !== 'string') {
      throw new Error(`${where}: states[${i}] needs a stateName, got ${JSON.stringify(s).slice(0, 200)}`);
    }
    const sw = `${where}: state '${s.stateName}'`;
    const state = new State({
      stateName: s.stateName,
      onEnter: s.onEnter?.events ? importEvents(s.onEnter.events, `${sw} onEnter`) : undefined,
      onInput: s.onInput?.events ? importEvents(s.onInput.events, `${sw} onInput`) : undefined,
      onExit: s.onExit?.events ? importEvents(s.onExit.events, `${sw} onExit`) : undefined,
    });
    state._setLayout({
      onEnter: s.onEnter !== undefined,
      onEnterEvents: s.onEnter?.events !== undefined,
      onInput: s.onInput !== undefined,
      onInputEvents: s.onInput?.events !== undefined,
      onInputTransitions: s.onInput?.transitionEvents !== undefined,
      onExit: s.onExit !== undefined,
      onExitEvents: s.onExit?.events !== undefined,
    });
    if (byName.has(s.stateName)) throw new Error(`${where}: two states are named '${s.stateName}'; state names must be unique`);
    byName.set(s.stateName, state);
    return state;
  });
  def.states.forEach((s: StateShape, i: number) => {
    const transitions = s.onInput?.transitionEvents ?? [];
    if (!Array.isArray(transitions)) throw new Error(`${where}: state '${s.stateName}' onInput.transitionEvents must be a list`);
    for (const t of transitions) {
      const tw = `${where}: state '${s.stateName}' transition '${t.eventName}'`;
      const target = byName.get(t.nextState);
      if (t.nextState === undefined || t.nextState === null) {
        throw new Error(`${tw} has no nextState; set it to the state the transition goes to (${[...byName.keys()].join(', ')})`);
      }
      if (!target) {
        throw new Error(`${tw} goes to '${t.nextState}', which is not a state of the model (${[...byName.keys()].join(', ')}); fix nextState`);
      }
      if (typeof t.condition !== 'string') throw new Error(`${tw} needs a condition (a string expression; 'true' to always move)`);
      states[i].transitionTo(target, {
        eventName: t.eventName,
        when: Expression.fromString(t.condition),
        executing: t.actions !== undefined ? importActions(t.actions, tw) : undefined,
      });
    }
  });
  const initial = byName.get(def.initialStateName);
  if (!initial) {
    throw new Error(`${where}: initialStateName '${def.initialStateName}' is not one of the states (${[...byName.keys()].join(', ')})`);
  }
  return { states, initial };
}

function importEvents(events: EventShape[], where: string): Event[] {
  if (!Array.isArray(events)) throw new Error(`${where}.events must be a list, got ${JSON.stringify(events)}`);
  return events.map((e, i) => {
    if (!isObject(e) || typeof e.eventName !== 'string') {
      throw new Error(`${where} events[${i}] needs an eventName, got ${JSON.stringify(e).slice(0, 200)}`);
    }
    if (e.condition !== undefined && typeof e.condition !== 'string') {
      throw new Error(`${where} event '${e.eventName}' condition must be a string expression, got ${JSON.stringify(e.condition)}`);
    }
    return {
      eventName: e.eventName,
      condition: e.condition !== undefined ? Expression.fromString(e.condition) : undefined,
      actions: e.actions !== undefined ? importActions(e.actions, `${where} event '${e.eventName}'`) : undefined,
    };
  });
}

function importActions(actions: ActionShape[], where: string): IAction[] {
  if (!Array.isArray(actions)) throw new Error(`${where} actions must be a list, got ${JSON.stringify(actions)}`);
  return actions.map((a) => new ImportedAction(a));
}
