/**
 * The detector model evaluator: one pure, synchronous, deterministic implementation of AWS IoT Events'
 * detector semantics, shared by the offline `DetectorSimulator` and the AWS runtime (issue 12).
 * No CDK import: bundled into Lambda handlers.
 *
 * ## Contract
 * - `compileDetectorModel(model, inputs)` parses and checks every expression once (conditions,
 *   `setVariable` values, timer durations, payload content expressions, action text fields) and throws
 *   `DetectorModelProblems` whose `.problems` list `{ state, event, field, position, message }`:
 *   syntax errors, unknown inputs / input attributes / variables / timers, wrong function arguments,
 *   incompatible literal types, unknown `nextState` / `initialStateName`, actions with no or several types.
 *   `position` is 1-based in the expression text. `compiled.warnings` lists what AWS accepts but the
 *   guide advises against (timer durations under 60 s).
 * - `evaluateInput(model, instance, message, options?)` runs one message through one detector and returns the
 *   new instance (the argument is never mutated), the external actions with their evaluated payloads, in
 *   order, and a trace (empty with `{ trace: false }`: the runtime needs none, the simulator shows it). `instance` undefined = a new key value: the detector is created in the initial
 *   state, that state's onEnter runs, then the message goes through onInput.
 *   `evaluateInput` does not fire timers: the caller fires every timer with `dueAtMs <= message time`
 *   first (`fireTimer`, in due order), as `DetectorSimulator.advanceTime` does.
 * - `fireTimer(model, instance, timerName, nowMs, options?)` expires a running timer (pass its `dueAtMs` as `nowMs`):
 *   the timer is removed, then the current state's onInput runs with `triggerType("Timer")` true,
 *   `timeout("<timerName>")` true, every `$input…` undefined and every `currentInput(…)` false.
 * - `keyValueOf(model, inputName, payload)` is the detector key's value in a message: the value at the key's
 *   JSON path as a string (numbers and booleans as their text); `undefined` when the model has no key
 *   (`model.key === undefined`) or when the payload lacks it (an error for the caller to report).
 * - `model.inputNames` are the inputs the model's expressions read (`$input.X…`, `currentInput("X")`):
 *   IoT Events routes an input's messages only to the models that read it.
 *
 * ## Semantics (developer guide) and the decisions where it is silent
 * - Groups: onEnter events; onInput events with the transition events; onExit events. In BATCH (the
 *   default) every condition of a group sees the variables as they were when the group began; the actions
 *   of the events that fired then run in definition order (each action sees the variables as earlier
 *   actions left them). In SERIAL each event's condition is evaluated and its actions run before the next
 *   event's condition, in definition order (onInput: events first, then transition events).
 * - An event without a condition, or with an empty one (`''`), always fires; so does a transition with an empty
 *   condition. A condition fires only when it evaluates to `true`; an
 *   undefined or invalid one (another input's attribute, a type mismatch, a failed `convert`) does not. But
 *   `!=` with an undefined operand is `true` (and `==` `false`), as IoT Events evaluated them (`compiler.ts`).
 * - Transitions: at most one per message or timer. When several transition conditions are true, the first
 *   in definition order fires. The old state's onInput events that fired run before it (they belong to the
 *   same group). A firing transition runs its actions, then the old state's onExit, then the new state's
 *   onEnter (also when the next state is the current one). The new state's onInput does not see the same
 *   message again.
 * - Variables: a `setVariable` whose value is undefined or invalid leaves the variable as it was (a variable
 *   cannot be unset) and is traced as `actionFailed`. A variable keeps the kind of its value: set to a
 *   decimal whose value is integral (`20.0` from a payload parsed with `parseJsonText`, `5.0`, `20.5 + 0.5`),
 *   it holds an `IntegralDecimal`, and arithmetic on it is decimal in later messages too.
 * - Timers: `setTimer` takes `seconds`, or `durationExpression` rounded down (both is a problem, as IoT Events
 *   rejected it); outside 1–31 622 400 s the
 *   action fails (traced, no timer). The guide's 60-second accuracy floor: AWS fires shorter timers late by
 *   up to a minute; the evaluator fires every timer exactly at `set time + duration` (deterministic), and
 *   `compileDetectorModel` warns about literal durations under 60 s. `setTimer` on a running timer restarts
 *   it with the new duration. `resetTimer` restarts a running timer with its last duration (not re-evaluated),
 *   and so does it in the evaluation the timer's own expiry starts, unless a `clearTimer` or `setTimer` of it ran
 *   before (a periodic timer: aws-samples' IoT Events accelerator counts a pump's operation minutes with
 *   `timeout('t')` → `resetTimer t`); on a timer that is not running otherwise (cleared, expired earlier, never
 *   set) it does nothing (traced as `timerNotRunning`). `clearTimer` deletes it.
 *   `timeout("t")` is true for every condition of the evaluation that `fireTimer(…, "t", …)` starts and
 *   false in any other evaluation, so it is true once per expiry.
 * - External actions are returned, never executed: `{ type, config, payload, stateName, eventName }` where
 *   `config` is the action's configuration with its text fields evaluated (`${…}` substituted) and
 *   `payload` the evaluated content expression, or IoT Events' default JSON payload when none is given
 *   (its variables with integral decimals written `20.0`, as the guide's sample SNS messages show them).
 */
import {
  ActionShape, DetectorModelShape, EXTERNAL_ACTION_TYPES, EventShape, ExternalActionType, InputShape, PayloadShape,
  StateShape, TransitionEventShape,
} from './api-shapes';
import {
  CompileEnvironment, CompiledExpression, EvaluationContext, ExpressionReferences, IntegralDecimal, UndeclaredAttribute, VariableValue,
  attributePathSteps, compileExpression, compileTextField, didYouMean, normalizeAttributePath, numericValue, valueToText,
} from '../expression';
import { writeJsonText } from '../json-text';

export * from './api-shapes';

/** Timer limits (`SetTimerAction`): 1 to 31 622 400 seconds; durations under 60 s are not accurate on AWS. */
export const MIN_TIMER_SECONDS = 1;
export const MAX_TIMER_SECONDS = 31_622_400;
export const ACCURATE_TIMER_SECONDS = 60;

/** One problem in a detector model: where it is and what is wrong. */
export interface DetectorModelProblem {
  /** The state's name, when the problem is inside a state. */
  readonly state?: string;
  /** The event's name, when the problem is inside an event. */
  readonly event?: string;
  /** The field, such as `onInput condition` or `actions[0].setVariable.value`. */
  readonly field?: string;
  /** 1-based position in the expression, when the problem is inside one. */
  readonly position?: number;
  readonly message: string;
}

/** Thrown by `compileDetectorModel`: every problem found, not just the first. */
export class DetectorModelProblems extends Error {
  constructor(public readonly problems: DetectorModelProblem[], modelName: string) {
    super(`detector model '${modelName}' has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n`
      + problems.map((p) => `  - ${describeProblem(p)}`).join('\n'));
    this.name = 'DetectorModelProblems';
  }
}

/** `state 'S', event 'E', <field>, at position N: <message>`. */
export function describeProblem(p: DetectorModelProblem): string {
  const where = [
    p.state !== undefined ? `state '${p.state}'` : undefined,
    p.event !== undefined ? `event '${p.event}'` : undefined,
    p.field,
    p.position !== undefined ? `at position ${p.position}` : undefined,
  ].filter((x) => x !== undefined).join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}

/** A detector: one instance of a model, for one key value. Plain JSON data. */
export interface DetectorInstance {
  /** The key value (absent when the model has no key). */
  readonly keyValue?: string;
  readonly stateName: string;
  /** An integral decimal (`20.0`) is an `IntegralDecimal`; store it with `writeJsonText` to keep it. */
  readonly variables: Readonly<Record<string, VariableValue>>;
  /** Running timers: duration (for `resetTimer`) and due time (epoch milliseconds). */
  readonly timers: Readonly<Record<string, { readonly durationSeconds: number; readonly dueAtMs: number }>>;
}

/** A message as the evaluator sees it. */
export interface DetectorMessage {
  readonly inputName: string;
  /** The parsed JSON payload (`parseJsonText`, so that `20.0` is a decimal). */
  readonly payload: unknown;
  /** Epoch milliseconds (timers are set relative to it). */
  readonly timestampMs: number;
  readonly messageId?: string;
}

/** An external action the detector took (returned, never executed). */
export interface EvaluatedAction {
  readonly type: ExternalActionType;
  /** The action's configuration from the model, text fields evaluated, without `payload`. */
  readonly config: Record<string, unknown>;
  /** The evaluated payload: the content expression's result, or the default JSON payload. */
  readonly payload: string | undefined;
  /** `JSON` or `STRING` (the default payload is `JSON`). */
  readonly payloadType: 'JSON' | 'STRING';
  readonly stateName: string;
  readonly eventName: string;
  /** Set when a field or the payload could not be evaluated (IoT Events would fail the action). */
  readonly error?: string;
}

export type TraceKind =
  | 'detectorCreated' | 'timerExpired' | 'eventFired' | 'transition' | 'variableSet'
  | 'timerSet' | 'timerReset' | 'timerCleared' | 'timerNotRunning' | 'action' | 'actionFailed';

/** One step of an evaluation. */
export interface TraceEntry {
  readonly kind: TraceKind;
  /** The state the step happened in (for `transition`, the state left). */
  readonly stateName: string;
  readonly lifecycle?: 'onEnter' | 'onInput' | 'onExit';
  readonly eventName?: string;
  /** `transition`: the state entered. */
  readonly nextState?: string;
  readonly variableName?: string;
  readonly value?: VariableValue;
  readonly timerName?: string;
  readonly durationSeconds?: number;
  readonly dueAtMs?: number;
  /** `action`: the action type. */
  readonly actionType?: ExternalActionType;
  /** `actionFailed`: why. */
  readonly message?: string;
}

export interface EvaluationResult {
  /** The detector after the evaluation. */
  readonly instance: DetectorInstance;
  readonly actions: readonly EvaluatedAction[];
  /** Empty when the evaluation ran with `trace: false`. */
  readonly trace: readonly TraceEntry[];
}

type CompiledAction =
  | { readonly kind: 'setVariable'; readonly name: string; readonly value: CompiledExpression }
  | { readonly kind: 'setTimer'; readonly name: string; readonly seconds?: number; readonly duration?: CompiledExpression }
  | { readonly kind: 'resetTimer'; readonly name: string }
  | { readonly kind: 'clearTimer'; readonly name: string }
  | {
    readonly kind: 'external';
    readonly type: ExternalActionType;
    /** The configuration without `payload`; text fields are replaced by their values when the action runs. */
    readonly config: Record<string, unknown>;
    readonly fields: ReadonlyArray<{ readonly path: readonly string[]; readonly evaluate: CompiledExpression }>;
    readonly payload?: { readonly evaluate: CompiledExpression; readonly type: 'JSON' | 'STRING' };
  };

interface CompiledEvent {
  readonly name: string;
  readonly condition: CompiledExpression | undefined;
  readonly actions: readonly CompiledAction[];
}

interface CompiledTransition extends CompiledEvent {
  readonly condition: CompiledExpression;
  readonly nextState: string;
}

interface CompiledState {
  readonly name: string;
  readonly onEnter: readonly CompiledEvent[];
  readonly onInput: readonly CompiledEvent[];
  readonly transitions: readonly CompiledTransition[];
  readonly onExit: readonly CompiledEvent[];
}

/** A detector model ready to run. Treat as opaque apart from the documented fields. */
export interface CompiledDetectorModel {
  readonly detectorModelName: string;
  readonly key: string | undefined;
  readonly evaluationMethod: 'BATCH' | 'SERIAL';
  readonly initialStateName: string;
  readonly stateNames: readonly string[];
  /** The inputs the model's expressions read. */
  readonly inputNames: ReadonlySet<string>;
  /** The variables `setVariable` actions set. */
  readonly variableNames: ReadonlySet<string>;
  /** The timers `setTimer` actions set. */
  readonly timerNames: ReadonlySet<string>;
  /** What AWS accepts but the guide advises against. */
  readonly warnings: readonly DetectorModelProblem[];
  /**
   * The `$input` references to attributes their inputs do not declare, accepted with
   * `CompileOptions.acceptUndeclaredAttributes` (read from the whole payload, as IoT Events read them).
   */
  readonly undeclaredAttributes: readonly DetectorModelProblem[];
  /** @internal */
  readonly _states: ReadonlyMap<string, CompiledState>;
  /** @internal */
  readonly _keySteps: readonly string[] | undefined;
}

/**
 * `true` for a CloudFormation intrinsic (`{ "Ref": ... }`, `{ "Fn::GetAtt": ... }`, ...): a model read from a
 * template keeps one in an action's target field (a function ARN, a topic ARN) when its value is known only at
 * deployment. It is not evaluated: the action reports it as written.
 */
export function isCloudFormationIntrinsic(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** The config fields that are not text to evaluate. */
const NON_TEXT_FIELDS = new Set(['payload', 'useBase64', 'separator']);

/** How `compileDetectorModel` reads the model. */
export interface CompileOptions {
  /**
   * Text of an external action's field (not its payload) that is not evaluated but reported as written: the
   * simulator passes CDK tokens here (a topic ARN known only at deployment).
   * @default - every text field is evaluated
   */
  readonly opaqueText?: (text: string) => boolean;

  /**
   * Accept an `$input` reference to an attribute its input does not declare, unless it is a near miss of a declared
   * one (`temprature` for `temperature`): IoT Events accepted such models and read the attribute from the whole
   * payload, and published models do it (aws-samples' freezer monitor reads `temp`, which its input does not list).
   * Accepted references are listed in `undeclaredAttributes`. For models read from JSON, and for the runtime,
   * whose models were checked at synth.
   *
   * @default false - such a reference is a problem
   */
  readonly acceptUndeclaredAttributes?: boolean;
}

/**
 * Parses and checks every expression of the model once.
 *
 * @throws DetectorModelProblems listing every problem
 */
export function compileDetectorModel(model: DetectorModelShape, inputs: InputShape[], options: CompileOptions = {}): CompiledDetectorModel {
  const problems: DetectorModelProblem[] = [];
  const warnings: DetectorModelProblem[] = [];
  const definition = model.detectorModelDefinition;
  const states = definition?.states ?? [];

  const inputMap = new Map<string, Set<string>>();
  for (const input of inputs) {
    inputMap.set(input.inputName, new Set((input.inputDefinition?.attributes ?? []).map((a) => normalizeAttributePath(a.jsonPath))));
  }

  // The variables and timers the model sets, so references to others are problems.
  const variables = new Set<string>();
  const timers = new Set<string>();
  const forEachAction = (f: (a: ActionShape) => void) => {
    for (const s of states) {
      for (const e of [...s.onEnter?.events ?? [], ...s.onInput?.events ?? [], ...s.onInput?.transitionEvents ?? [], ...s.onExit?.events ?? []]) {
        for (const a of e.actions ?? []) f(a);
      }
    }
  };
  forEachAction((a) => {
    if (a.setVariable?.variableName !== undefined) variables.add(a.setVariable.variableName);
    if (a.setTimer?.timerName !== undefined) timers.add(a.setTimer.timerName);
  });

  const undeclared: UndeclaredAttribute[] | undefined = options.acceptUndeclaredAttributes ? [] : undefined;
  const undeclaredAttributes: DetectorModelProblem[] = [];
  const env: CompileEnvironment = { inputs: inputMap, variables, timers, undeclaredAttributes: undeclared };
  const refs: ExpressionReferences = { inputs: new Set(), variables: new Set(), timers: new Set() };
  const stateNames = new Set(states.map((s) => s.stateName));

  if (!stateNames.has(definition?.initialStateName)) {
    problems.push({
      field: 'initialStateName',
      message: `initial state '${definition?.initialStateName}' is not one of the states (${[...stateNames].join(', ') || 'none'})`,
    });
  }

  const expr = (text: string | undefined, where: Omit<DetectorModelProblem, 'message' | 'position'>, textField = false): CompiledExpression => {
    if (typeof text !== 'string') {
      problems.push({ ...where, message: `expected an expression string, got ${JSON.stringify(text)}` });
      return () => undefined;
    }
    const before = undeclared?.length ?? 0;
    const out = textField ? compileTextField(text, env, refs) : compileExpression(text, env, refs);
    for (const p of out.problems) problems.push({ ...where, position: p.position, message: `${p.message} in '${text}'` });
    for (const u of undeclared?.slice(before) ?? []) {
      undeclaredAttributes.push({
        ...where,
        position: u.position,
        message: `input '${u.inputName}' does not declare the attribute '${u.path}' read in '${text}' (its attributes are `
          + `${u.attributes.join(', ') || 'none'}): it is read from the whole payload, as IoT Events read it; to declare it, add `
          + `'${u.path}' to the attributes of input '${u.inputName}'`,
      });
    }
    return out.evaluate;
  };

  const compileAction = (a: ActionShape, where: { state: string; event: string }, field: string): CompiledAction | undefined => {
    const kinds = Object.keys(a ?? {}).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    if (kinds.length !== 1) {
      problems.push({ ...where, field, message: `an action has exactly one type (setVariable, setTimer, sns, …), got ${kinds.length ? kinds.join(', ') : 'none'}` });
      return undefined;
    }
    const kind = kinds[0];
    const f = `${field}.${kind}`;
    if (a.setVariable) {
      return { kind: 'setVariable', name: a.setVariable.variableName, value: expr(a.setVariable.value, { ...where, field: `${f}.value` }) };
    }
    if (a.setTimer) {
      const t = a.setTimer;
      if (t.seconds === undefined && t.durationExpression === undefined) {
        problems.push({ ...where, field: f, message: `setTimer '${t.timerName}' needs seconds or durationExpression` });
        return undefined;
      }
      if (t.seconds !== undefined && t.durationExpression !== undefined) {
        problems.push({
          ...where,
          field: f,
          message: `setTimer '${t.timerName}' has both seconds and durationExpression, which IoT Events rejects (InvalidRequestException); keep one`,
        });
        return undefined;
      }
      const literal = t.durationExpression !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(t.durationExpression)
        ? Math.floor(Number(t.durationExpression)) : t.seconds;
      if (literal !== undefined) {
        if (literal < MIN_TIMER_SECONDS || literal > MAX_TIMER_SECONDS) {
          problems.push({ ...where, field: f, message: `timer '${t.timerName}' duration ${literal} s is outside ${MIN_TIMER_SECONDS}-${MAX_TIMER_SECONDS} s` });
        } else if (literal < ACCURATE_TIMER_SECONDS) {
          warnings.push({ ...where, field: f, message: `timer '${t.timerName}' duration ${literal} s is under ${ACCURATE_TIMER_SECONDS} s: AWS IoT Events may fire it up to a minute late (the simulator fires it on time)` });
        }
      }
      if (t.durationExpression !== undefined) {
        return { kind: 'setTimer', name: t.timerName, duration: expr(t.durationExpression, { ...where, field: `${f}.durationExpression` }) };
      }
      return { kind: 'setTimer', name: t.timerName, seconds: t.seconds };
    }
    if (a.resetTimer || a.clearTimer) {
      const name = (a.resetTimer ?? a.clearTimer)!.timerName;
      if (!timers.has(name)) {
        problems.push({
          ...where,
          field: f,
          message: `unknown timer '${name}': ${didYouMean(timers, name)}no setTimer action sets it`
            + (timers.size ? ` (the model's timers are ${[...timers].sort().join(', ')})` : ''),
        });
      }
      return a.resetTimer ? { kind: 'resetTimer', name } : { kind: 'clearTimer', name };
    }
    const type = kind as ExternalActionType;
    if (!EXTERNAL_ACTION_TYPES.includes(type)) {
      problems.push({ ...where, field: f, message: `unknown action type '${kind}'` });
      return undefined;
    }
    const config = (a as Record<string, unknown>)[kind] as Record<string, unknown>;
    const fields: Array<{ path: string[]; evaluate: CompiledExpression }> = [];
    const walk = (o: Record<string, unknown>, path: string[]) => {
      for (const [k, v] of Object.entries(o)) {
        if (path.length === 0 && NON_TEXT_FIELDS.has(k)) continue;
        if (typeof v === 'string' && options.opaqueText?.(v)) continue;
        if (typeof v === 'string') fields.push({ path: [...path, k], evaluate: expr(v, { ...where, field: `${f}.${[...path, k].join('.')}` }, true) });
        else if (v !== null && typeof v === 'object' && !Array.isArray(v) && !isCloudFormationIntrinsic(v)) walk(v as Record<string, unknown>, [...path, k]);
      }
    };
    walk(config, []);
    const p = config.payload as PayloadShape | undefined;
    let payload: { evaluate: CompiledExpression; type: 'JSON' | 'STRING' } | undefined;
    if (p !== undefined) {
      const first = problems.length;
      payload = { evaluate: expr(p.contentExpression, { ...where, field: `${f}.payload.contentExpression` }), type: p.type === 'STRING' ? 'STRING' : 'JSON' };
      rawJsonHint(p.contentExpression, problems, first);
    }
    const base: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(config)) if (k !== 'payload') base[k] = v;
    return { kind: 'external', type, config: base, fields, payload };
  };

  /**
   * A content expression written as raw JSON (`{"t": 1}`, as `Payload.json('{"t": 1}')` gives it) fails to parse at
   * its first character, with the parser's generic advice: say instead that it is a string expression, with the
   * quoted form of the same text and a `${…}` example from the model's own inputs (an attribute other than the key
   * when there is one) or variables.
   */
  const rawJsonHint = (text: unknown, found: DetectorModelProblem[], first: number) => {
    if (typeof text !== 'string' || !/^\s*[{[]/.test(text)) return;
    const i = found.findIndex((x, n) => n >= first && x.message.startsWith('syntax error: unexpected'));
    if (i < 0) return;
    const json = text.trim();
    const quoted = `'${json.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    let example = { key: 'value', ref: '$input.MyInput.value' };
    const keyPath = model.key !== undefined ? normalizeAttributePath(model.key) : undefined;
    const candidates = [...inputMap].flatMap(([inputName, paths]) => [...paths].map((path) => ({ inputName, path })));
    const attribute = candidates.find((c) => c.path !== keyPath) ?? candidates[0];
    if (attribute !== undefined) {
      example = { key: attributePathSteps(attribute.path).at(-1) ?? 'value', ref: `$input.${attribute.inputName}.${attribute.path}` };
    } else if (variables.size > 0) {
      const name = [...variables].sort()[0];
      example = { key: name, ref: `$variable.${name}` };
    }
    found[i] = {
      ...found[i],
      message: `syntax error: unexpected '${json[0]}' in '${text}': a content expression is a string expression, not JSON text; `
        + `write the JSON text as a string literal, in single quotes: ${quoted}, and put values in it with \${…}, `
        + `as in '{"${example.key}": \${${example.ref}}}'`,
    };
  };

  const compileEvents = (state: string, lifecycle: string, events: EventShape[] | undefined): CompiledEvent[] =>
    (events ?? []).map((e, i) => {
      const where = { state, event: e.eventName };
      // an empty condition is true, as an absent one (the API allows '', the guide says it is equivalent to true)
      const condition = e.condition === undefined || (typeof e.condition === 'string' && e.condition.trim() === '')
        ? undefined : expr(e.condition, { ...where, field: `${lifecycle} condition` });
      const actions = (e.actions ?? []).map((a, j) => compileAction(a, where, `${lifecycle} actions[${j}]`))
        .filter((a): a is CompiledAction => a !== undefined);
      if (typeof e.eventName !== 'string') problems.push({ state, field: `${lifecycle} events[${i}]`, message: 'an event needs an eventName' });
      return { name: e.eventName, condition, actions };
    });

  const compiledStates = new Map<string, CompiledState>();
  for (const s of states as StateShape[]) {
    // compiled in definition order, so problems are listed in the order they appear
    const onEnter = compileEvents(s.stateName, 'onEnter', s.onEnter?.events);
    const onInput = compileEvents(s.stateName, 'onInput', s.onInput?.events);
    const transitions = (s.onInput?.transitionEvents ?? []).map((t: TransitionEventShape) => {
      const [ev] = compileEvents(s.stateName, 'onInput transition', [t]);
      if (t.condition === undefined) problems.push({ state: s.stateName, event: t.eventName, field: 'onInput transition condition', message: 'a transition event needs a condition' });
      if (!stateNames.has(t.nextState)) {
        problems.push({
          state: s.stateName,
          event: t.eventName,
          field: 'nextState',
          message: `next state '${t.nextState}' is not one of the states (${[...stateNames].join(', ')})`,
        });
      }
      const always = typeof t.condition === 'string' && t.condition.trim() === '';
      return { name: ev.name, condition: ev.condition ?? (always ? () => true : () => undefined), actions: ev.actions, nextState: t.nextState };
    });
    const onExit = compileEvents(s.stateName, 'onExit', s.onExit?.events);
    if (compiledStates.has(s.stateName)) problems.push({ state: s.stateName, message: `state name '${s.stateName}' is used twice` });
    compiledStates.set(s.stateName, { name: s.stateName, onEnter, onInput, transitions, onExit });
  }

  if (problems.length > 0) throw new DetectorModelProblems(problems, model.detectorModelName);

  const method = model.evaluationMethod ?? 'BATCH';
  return {
    detectorModelName: model.detectorModelName,
    key: model.key ?? undefined,
    evaluationMethod: method === 'SERIAL' ? 'SERIAL' : 'BATCH',
    initialStateName: definition.initialStateName,
    stateNames: states.map((s) => s.stateName),
    inputNames: refs.inputs,
    variableNames: variables,
    timerNames: timers,
    warnings,
    undeclaredAttributes,
    _states: compiledStates,
    _keySteps: model.key ? attributePathSteps(model.key) : undefined,
  };
}

/**
 * The detector key's value in a message: the value at the key's JSON path as text; `undefined` when the
 * model has no key or the payload lacks it (check `model.key` to tell the two apart).
 */
export function keyValueOf(model: CompiledDetectorModel, _inputName: string, payload: unknown): string | undefined {
  const steps = model._keySteps;
  if (!steps) return undefined;
  let v: unknown = payload;
  for (const s of steps) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  if (typeof v === 'string') return v;
  // an integral decimal key reads as its integer ("20"), as before decimals were told apart
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof IntegralDecimal) return String(v);
  return undefined;
}

/** How an evaluation runs. */
export interface EvaluationOptions {
  /**
   * Records the steps of the evaluation in `EvaluationResult.trace`, as the simulator shows them. The
   * runtime reads only the instance and the actions and turns it off; the trace is then empty.
   * @default true
   */
  readonly trace?: boolean;
}

/** Runs one message through one detector (see the file header). */
export function evaluateInput(
  model: CompiledDetectorModel, instance: DetectorInstance | undefined, message: DetectorMessage, options?: EvaluationOptions,
): EvaluationResult {
  const run = Run.begin(model, message.timestampMs, message.inputName, message.payload, 'Message', undefined, message.messageId, options?.trace !== false);
  try {
    if (instance === undefined) {
      run.create(keyValueOf(model, message.inputName, message.payload));
    } else {
      run.load(instance);
    }
    run.input();
    return run.result();
  } finally {
    run.end();
  }
}

/** Expires a running timer of a detector and runs the current state's onInput for it (see the file header). */
export function fireTimer(
  model: CompiledDetectorModel, instance: DetectorInstance, timerName: string, nowMs: number, options?: EvaluationOptions,
): EvaluationResult {
  const run = Run.begin(model, nowMs, undefined, undefined, 'Timer', timerName, undefined, options?.trace !== false);
  try {
    run.load(instance);
    if (!(timerName in run.timers)) {
      run.trace?.push({ kind: 'timerNotRunning', stateName: run.stateName, timerName, message: `timer '${timerName}' is not running` });
      return run.result();
    }
    run.writeTimers();
    run.expired = { name: timerName, durationSeconds: run.timers[timerName].durationSeconds };
    delete run.timers[timerName];
    run.trace?.push({ kind: 'timerExpired', stateName: run.stateName, timerName });
    run.input();
    return run.result();
  } finally {
    run.end();
  }
}

const NONE: readonly never[] = Object.freeze([]);

type Lifecycle = 'onEnter' | 'onInput' | 'onExit';
type Variables = Record<string, VariableValue>;
type Timers = Record<string, { durationSeconds: number; dueAtMs: number }>;
const EMPTY_VARIABLES: Variables = Object.freeze({}) as Variables;
const EMPTY_TIMERS: Timers = Object.freeze({}) as Timers;

/**
 * The events of one group whose conditions were true, in BATCH evaluation: filled, then run, before the next
 * group is evaluated (groups never nest, and an evaluation runs to its end before another starts).
 */
const FIRED: Array<CompiledEvent | undefined> = [];

/**
 * One evaluation. It is also the context its expressions read (`EvaluationContext`): `variables` is the
 * detector's variables as the running action or condition sees them, and is copied before the first write
 * (copy on write), so the instance passed in is never changed. Evaluations are synchronous and never
 * nest, so one `Run` serves them all (`begin` … `end`); a nested call would get a fresh one.
 */
class Run implements EvaluationContext {
  /** A run for one evaluation: the inputs set, the state as `end` (or a new run) left it. */
  public static begin(
    model: CompiledDetectorModel, nowMs: number, inputName: string | undefined, payload: unknown,
    triggerType: 'Message' | 'Timer', timedOut: string | undefined, messageId: string | undefined, trace: boolean,
  ): Run {
    const run = Run.spare ?? new Run();
    Run.spare = undefined;
    run.model = model;
    run.batch = model.evaluationMethod === 'BATCH';
    run.nowMs = nowMs;
    run.inputName = inputName;
    run.payload = payload;
    run.triggerType = triggerType;
    run.timedOut = timedOut;
    run.messageId = messageId;
    if (trace) run.trace = [];
    return run;
  }

  private static spare: Run | undefined = undefined;

  // EvaluationContext
  public inputName: string | undefined = undefined;
  public payload: unknown = undefined;
  public variables: Variables = EMPTY_VARIABLES;
  public triggerType: 'Message' | 'Timer' = 'Message';
  public timedOut: string | undefined = undefined;

  public keyValue: string | undefined = undefined;
  public stateName = '';
  public timers: Timers = EMPTY_TIMERS;
  /**
   * The timer whose expiry this evaluation processes, with its duration: a `resetTimer` of it in this evaluation
   * restarts it (a periodic timer), unless a `clearTimer` or `setTimer` of it ran before.
   */
  public expired: { readonly name: string; readonly durationSeconds: number } | undefined = undefined;
  /** Undefined when the caller turned the trace off. */
  public trace: TraceEntry[] | undefined = undefined;
  private actions: EvaluatedAction[] | undefined = undefined;
  private state: CompiledState | undefined = undefined;
  private varsOwned = false;
  private timersOwned = false;
  private model: CompiledDetectorModel = undefined as unknown as CompiledDetectorModel;
  private batch = true;
  private nowMs = 0;
  private messageId: string | undefined = undefined;

  /** Drops what the evaluation referred to, resets its state and makes the run available again. */
  public end(): void {
    this.model = undefined as unknown as CompiledDetectorModel;
    this.payload = undefined;
    this.keyValue = undefined;
    this.stateName = '';
    this.state = undefined;
    this.variables = EMPTY_VARIABLES;
    this.varsOwned = false;
    this.timers = EMPTY_TIMERS;
    this.timersOwned = false;
    this.expired = undefined;
    this.trace = undefined;
    this.actions = undefined;
    Run.spare = this;
  }

  /** A new detector: created in the initial state, whose onEnter runs. */
  public create(keyValue: string | undefined): void {
    this.keyValue = keyValue;
    this.enter(this.model.initialStateName);
    this.variables = {};
    this.varsOwned = true;
    this.timers = {};
    this.timersOwned = true;
    this.trace?.push({ kind: 'detectorCreated', stateName: this.stateName });
    this.runEvents(this.state!.onEnter, 'onEnter');
  }

  public load(instance: DetectorInstance): void {
    this.keyValue = instance.keyValue;
    this.variables = instance.variables as Variables;
    this.timers = instance.timers as Timers;
    const state = this.model._states.get(instance.stateName);
    if (state === undefined) {
      throw new Error(`detector${this.keyValue !== undefined ? ` '${this.keyValue}'` : ''} is in state '${instance.stateName}', which detector model '${this.model.detectorModelName}' does not have (states: ${this.model.stateNames.join(', ')})`);
    }
    this.stateName = instance.stateName;
    this.state = state;
  }

  public result(): EvaluationResult {
    const instance: DetectorInstance = this.keyValue === undefined
      ? { stateName: this.stateName, variables: this.variables, timers: this.timers }
      : { keyValue: this.keyValue, stateName: this.stateName, variables: this.variables, timers: this.timers };
    return { instance, actions: this.actions ?? NONE, trace: this.trace ?? NONE };
  }

  public writeTimers(): void {
    if (!this.timersOwned) {
      this.timers = { ...this.timers };
      this.timersOwned = true;
    }
  }

  /** The current state's onInput group: its events, then at most one transition. */
  public input(): void {
    const state = this.state!;
    let transition: CompiledTransition | undefined;
    const transitions = state.transitions;
    if (this.batch) {
      // every condition of the group is evaluated before any action runs: they all see the same variables
      const n = this.evaluateConditions(state.onInput);
      for (let i = 0; i < transitions.length; i++) {
        const t = transitions[i];
        if (t.condition(this) === true) { transition = t; break; }
      }
      this.fireAll(n, 'onInput');
    } else {
      this.runEvents(state.onInput, 'onInput');
      for (let i = 0; i < transitions.length; i++) {
        const t = transitions[i];
        if (t.condition(this) === true) { transition = t; break; }
      }
    }
    if (!transition) return;
    this.trace?.push({ kind: 'transition', stateName: this.stateName, lifecycle: 'onInput', eventName: transition.name, nextState: transition.nextState });
    this.runActions(transition, 'onInput');
    this.runEvents(state.onExit, 'onExit');
    this.enter(transition.nextState);
    this.runEvents(this.state!.onEnter, 'onEnter');
  }

  private enter(stateName: string): void {
    this.stateName = stateName;
    this.state = this.model._states.get(stateName)!;
  }

  /** One group of plain events (onEnter, onInput events in SERIAL, onExit). */
  private runEvents(events: readonly CompiledEvent[], lifecycle: Lifecycle): void {
    if (events.length === 0) return;
    if (this.batch) {
      this.fireAll(this.evaluateConditions(events), lifecycle);
    } else {
      for (let i = 0; i < events.length; i++) {
        const e = events[i];
        if (e.condition === undefined || e.condition(this) === true) this.fire(e, lifecycle);
      }
    }
  }

  /** BATCH: puts the events whose conditions are true in `FIRED`; returns how many. */
  private evaluateConditions(events: readonly CompiledEvent[]): number {
    let n = 0;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (e.condition === undefined || e.condition(this) === true) FIRED[n++] = e;
    }
    return n;
  }

  /** BATCH: runs the first `n` events of `FIRED`, in order. */
  private fireAll(n: number, lifecycle: Lifecycle): void {
    for (let i = 0; i < n; i++) {
      const e = FIRED[i]!;
      FIRED[i] = undefined;
      this.fire(e, lifecycle);
    }
  }

  private fire(e: CompiledEvent, lifecycle: Lifecycle): void {
    this.trace?.push({ kind: 'eventFired', stateName: this.stateName, lifecycle, eventName: e.name });
    this.runActions(e, lifecycle);
  }

  // each action's expressions see the variables as the earlier actions left them
  private runActions(e: CompiledEvent, lifecycle: Lifecycle): void {
    const actions = e.actions;
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i];
      switch (a.kind) {
        case 'setVariable': {
          const v = a.value(this);
          if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v instanceof IntegralDecimal) {
            if (typeof v === 'number' && !Number.isFinite(v)) {
              this.fail(e, lifecycle, `setVariable '${a.name}': the value is not a finite number`);
              break;
            }
            if (!this.varsOwned) {
              this.variables = { ...this.variables };
              this.varsOwned = true;
            }
            this.variables[a.name] = v;
            this.trace?.push({ kind: 'variableSet', stateName: this.stateName, lifecycle, eventName: e.name, variableName: a.name, value: v });
          } else {
            this.fail(e, lifecycle, `setVariable '${a.name}': the value is ${v === null ? 'null' : 'undefined or invalid'}; the variable keeps its value`);
          }
          break;
        }
        case 'setTimer': {
          let seconds: number | undefined = a.seconds;
          if (a.duration) {
            const v = a.duration(this);
            const n = numericValue(v);
            seconds = n !== undefined ? Math.floor(n) : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Math.floor(Number(v)) : undefined;
          }
          if (seconds === undefined || !(seconds >= MIN_TIMER_SECONDS && seconds <= MAX_TIMER_SECONDS)) {
            this.fail(e, lifecycle, `setTimer '${a.name}': the duration ${seconds === undefined ? 'is undefined or not a number' : `${seconds} s is outside ${MIN_TIMER_SECONDS}-${MAX_TIMER_SECONDS} s`}; no timer set`);
            break;
          }
          this.writeTimers();
          const dueAtMs = this.nowMs + seconds * 1000;
          this.timers[a.name] = { durationSeconds: seconds, dueAtMs };
          if (this.expired?.name === a.name) this.expired = undefined;
          this.trace?.push({ kind: 'timerSet', stateName: this.stateName, lifecycle, eventName: e.name, timerName: a.name, durationSeconds: seconds, dueAtMs });
          break;
        }
        case 'resetTimer': {
          // a timer resets while it runs, and in the evaluation its own expiry starts (a periodic timer)
          const t = this.timers[a.name] ?? (this.expired?.name === a.name ? this.expired : undefined);
          if (!t) {
            this.trace?.push({ kind: 'timerNotRunning', stateName: this.stateName, lifecycle, eventName: e.name, timerName: a.name, message: `resetTimer '${a.name}': the timer is not running; nothing reset` });
            break;
          }
          this.writeTimers();
          const dueAtMs = this.nowMs + t.durationSeconds * 1000;
          this.timers[a.name] = { durationSeconds: t.durationSeconds, dueAtMs };
          this.trace?.push({ kind: 'timerReset', stateName: this.stateName, lifecycle, eventName: e.name, timerName: a.name, durationSeconds: t.durationSeconds, dueAtMs });
          break;
        }
        case 'clearTimer': {
          if (this.expired?.name === a.name) this.expired = undefined;
          if (a.name in this.timers) {
            this.writeTimers();
            delete this.timers[a.name];
          }
          this.trace?.push({ kind: 'timerCleared', stateName: this.stateName, lifecycle, eventName: e.name, timerName: a.name });
          break;
        }
        case 'external':
          this.external(a, e, lifecycle);
          break;
      }
    }
  }

  private fail(e: CompiledEvent, lifecycle: Lifecycle, message: string): void {
    this.trace?.push({ kind: 'actionFailed', stateName: this.stateName, lifecycle, eventName: e.name, message });
  }

  private external(a: Extract<CompiledAction, { kind: 'external' }>, e: CompiledEvent, lifecycle: Lifecycle): void {
    let error: string | undefined;
    const config: Record<string, unknown> = { ...a.config };
    const fields = a.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      const text = valueToText(f.evaluate(this));
      if (text === undefined) error ??= `${f.path.join('.')} could not be evaluated`;
      setPath(config, f.path, text);
    }
    let action: { -readonly [K in keyof EvaluatedAction]: EvaluatedAction[K] };
    if (a.payload) {
      const payload = valueToText(a.payload.evaluate(this));
      if (payload === undefined) error ??= 'the payload content expression could not be evaluated';
      action = { type: a.type, config, payload, payloadType: a.payload.type, stateName: this.stateName, eventName: e.name };
    } else {
      // the default payload is JSON text of the detector's state: built when first read
      const build = this.defaultPayload(e.name);
      let text: string | undefined;
      action = { type: a.type, config, get payload() { return (text ??= build()); }, payloadType: 'JSON', stateName: this.stateName, eventName: e.name };
    }
    if (error !== undefined) action.error = error;
    (this.actions ??= []).push(action);
    this.trace?.push(error === undefined
      ? { kind: 'action', stateName: this.stateName, lifecycle, eventName: e.name, actionType: a.type }
      : { kind: 'actionFailed', stateName: this.stateName, lifecycle, eventName: e.name, actionType: a.type, message: error });
  }

  /**
   * IoT Events' default action payload: the event, the detector, what triggered it and the detector's
   * state at this point. Returns a builder; the variables and timers it reads are frozen here (the next
   * write copies them instead of changing them in place).
   */
  private defaultPayload(eventName: string): () => string {
    this.varsOwned = false;
    this.timersOwned = false;
    const vars = this.variables;
    const timerState = this.timers;
    const stateName = this.stateName;
    const eventTime = this.nowMs;
    const actionExecutionId = `${this.messageId ?? this.nowMs}-${this.actions?.length ?? 0}`;
    const keyValue = this.keyValue;
    const modelName = this.model.detectorModelName;
    const inputName = this.inputName;
    const messageId = this.messageId;
    const triggerType = this.triggerType;
    return () => {
      const timers: Record<string, unknown> = {};
      for (const [name, t] of Object.entries(timerState)) timers[name] = { durationSeconds: t.durationSeconds, dueAtMs: t.dueAtMs };
      // integral decimals written 20.0, as the guide's sample SNS messages show them
      return writeJsonText({
        eventTime,
        payload: {
          actionExecutionId,
          detector: { detectorModelName: modelName, ...(keyValue !== undefined ? { keyValue } : {}), detectorModelVersion: '1' },
          eventTriggerDetails: {
            ...(inputName !== undefined ? { inputName } : {}),
            ...(messageId !== undefined ? { messageId } : {}),
            triggerType,
          },
          state: { stateName, variables: vars, timers },
        },
        eventName,
      });
    };
  }
}

function setPath(o: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = o;
  for (let i = 0; i < path.length - 1; i++) {
    const next = cur[path[i]];
    const copy = { ...(next as Record<string, unknown>) };
    cur[path[i]] = copy;
    cur = copy;
  }
  cur[path[path.length - 1]] = value;
}
