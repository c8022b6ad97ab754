import { Duration, Token } from 'aws-cdk-lib';
import { DetectorModelDefinition } from './detector-model-definition';
import { InputDefinition } from './input-definition';
import { MAX_TIMER_SECONDS } from './private/model-quotas';
import { KEY_VALUE_PATTERN, MAX_TIMESTAMP_MS, MESSAGE_ID_PATTERN, MESSAGE_ID_WINDOW_MS, repeatedMessageId } from '../private/detector-engine/data-api-limits';
import {
  CompiledDetectorModel, DetectorInstance, EvaluationResult, TraceEntry, describeProblem, evaluateInput, fireTimer, keyValueOf,
} from '../private/detector-engine/evaluator';
import { DetectorModelShape } from '../private/detector-engine/evaluator/api-shapes';
import { IntegralDecimal, VariableValue, numberText } from '../private/detector-engine/expression/decimal';
import { parseJsonText, parseVariableText, plainJsonValue, variableText, writeJsonText } from '../private/detector-engine/json-text';
import { compileChecked } from '../private/detector-engine/model-validate';

/** The largest message payload IoT Events accepts (10 KB). */
const MAX_PAYLOAD_BYTES = 10 * 1024;
/** How many `iotEvents` re-injections one call may cause before the simulator stops a loop. */
const MAX_REINJECTIONS = 1000;

/**
 * Properties of a detector simulator.
 */
export interface DetectorSimulatorProps {
  /**
   * The detector models to run. Each is compiled (every expression parsed and checked against the inputs)
   * when the simulator is created.
   */
  readonly detectorModels: DetectorModelDefinition[];

  /**
   * The inputs messages are sent to.
   */
  readonly inputs: InputDefinition[];

  /**
   * The simulated time when the simulator starts.
   *
   * @default - 1970-01-01T00:00:00Z (time 0)
   */
  readonly startTime?: Date;
}

/** `TimestampValue` of the Data API. */
export interface TimestampValue {
  /**
   * Milliseconds since the epoch.
   *
   * @default - the simulator's current time
   */
  readonly timeInMillis?: number;
}

/** `Message` of the Data API. */
export interface Message {
  /**
   * The message ID (1-64 characters, `^[a-zA-Z0-9_-]+$`), unique within a batch. A message whose ID was sent
   * less than 5 minutes before (simulated time) is accepted and ignored, as IoT Events ignored it. The Data API
   * requires it; the simulator gives a message without one the ID `message-<n>`.
   */
  readonly messageId: string;
  /** The name of the input the message is sent to. */
  readonly inputName: string;
  /**
   * The payload: a JSON text, its UTF-8 bytes (`Uint8Array`/`Buffer`), or (a convenience of the
   * simulator) the parsed JSON value. At most 10 KB. A number written with a fraction or an exponent in the
   * text (`20.0`) is a decimal, as IoT Events read it; a parsed value cannot tell `20.0` from `20`, so send
   * the text when that matters.
   */
  readonly payload: any;
  /**
   * When the message was sent. The messages of one call are evaluated in timestamp order. A time later than the
   * simulator's clock moves the clock there first (timers due before it fire). The message is evaluated at this
   * time, or at its detector's last evaluation when that is later: each detector has its own clock, which never
   * goes back, as on the AWS runtime.
   *
   * @default - the simulator's current time (when the call is made)
   */
  readonly timestamp?: TimestampValue;
}

/** `BatchPutMessageRequest`. */
export interface BatchPutMessageRequest {
  /**
   * The messages, evaluated in timestamp order (a message without one at the time of the call; equal times in
   * request order), as the AWS runtime orders each detector's messages. IoT Events did not guarantee an order
   * within a batch.
   */
  readonly messages: Message[];
}

/** A per-entry error of the Data API's batch operations. */
export interface BatchErrorEntry {
  /** The ID of the entry that failed. */
  readonly messageId: string;
  /** `ResourceNotFoundException`, `InvalidRequestException`, ... */
  readonly errorCode: string;
  /** What is wrong. */
  readonly errorMessage: string;
}

/**
 * `BatchPutMessageResponse`. The Data API spells its member `BatchPutMessageErrorEntries` (capital B);
 * the returned object has that member too, holding the same list.
 */
export interface BatchPutMessageResponse {
  /** The messages that were not accepted, in the order of the request's messages. */
  readonly batchPutMessageErrorEntries: BatchErrorEntry[];
}

/** `VariableDefinition`. */
export interface VariableDefinition {
  /** The variable's name. */
  readonly name: string;
  /**
   * The value, as an expression literal: a number (`3`, `2.5`; `2.0` is a decimal), `true`/`false`, or a quoted
   * string (`"\"01\""`, as DescribeDetector reports it). Any other text is taken as the string it is (`on`).
   */
  readonly value: string;
}

/** `TimerDefinition`. */
export interface TimerDefinition {
  /** The timer's name. */
  readonly name: string;
  /** Seconds from now until it expires. */
  readonly seconds: number;
}

/** `DetectorStateDefinition`. */
export interface DetectorStateDefinition {
  /** The state to put the detector in. */
  readonly stateName: string;
  /** The detector's variables (replacing all of them). */
  readonly variables: VariableDefinition[];
  /** The detector's timers (replacing all of them). */
  readonly timers: TimerDefinition[];
}

/** `UpdateDetectorRequest`. */
export interface UpdateDetectorRequest {
  /** The ID of this entry. */
  readonly messageId: string;
  /** The detector model. */
  readonly detectorModelName: string;
  /**
   * The detector's key value.
   *
   * @default - the model has no key
   */
  readonly keyValue?: string;
  /** The new state. */
  readonly state: DetectorStateDefinition;
}

/** `BatchUpdateDetectorRequest`. */
export interface BatchUpdateDetectorRequest {
  /** The detectors to update. */
  readonly detectors: UpdateDetectorRequest[];
}

/** `BatchUpdateDetectorResponse`. */
export interface BatchUpdateDetectorResponse {
  /** The entries that failed, in the order of the request's entries. */
  readonly batchUpdateDetectorErrorEntries: BatchErrorEntry[];
}

/** `DeleteDetectorRequest`. */
export interface DeleteDetectorRequest {
  /** The ID of this entry. */
  readonly messageId: string;
  /** The detector model. */
  readonly detectorModelName: string;
  /**
   * The detector's key value.
   *
   * @default - the model has no key
   */
  readonly keyValue?: string;
}

/** `BatchDeleteDetectorRequest`. */
export interface BatchDeleteDetectorRequest {
  /** The detectors to delete. */
  readonly detectors: DeleteDetectorRequest[];
}

/** `BatchDeleteDetectorResponse`. */
export interface BatchDeleteDetectorResponse {
  /** The entries that failed, in the order of the request's entries. */
  readonly batchDeleteDetectorErrorEntries: BatchErrorEntry[];
}

/** `DescribeDetectorRequest`. */
export interface DescribeDetectorRequest {
  /** The detector model. */
  readonly detectorModelName: string;
  /**
   * The detector's key value.
   *
   * @default - the model has no key
   */
  readonly keyValue?: string;
}

/** `Variable`. */
export interface Variable {
  /** The name. */
  readonly name: string;
  /** The value as an expression literal: `"3"`, `"false"`, a string JSON-quoted (`"\"on\""`). */
  readonly value: string;
}

/** `Timer`. */
export interface Timer {
  /** The name. */
  readonly name: string;
  /** When it expires. */
  readonly timestamp: Date;
}

/** `DetectorState`. */
export interface DetectorState {
  /** The current state. */
  readonly stateName: string;
  /** The variables, by name. */
  readonly variables: Variable[];
  /** The running timers, by name. */
  readonly timers: Timer[];
}

/** `Detector`. */
export interface Detector {
  /** The detector model. */
  readonly detectorModelName: string;
  /**
   * The key value.
   *
   * @default - the model has no key
   */
  readonly keyValue?: string;
  /** Always `'1'` in the simulator. */
  readonly detectorModelVersion: string;
  /** The state. */
  readonly state: DetectorState;
  /** When the detector was created. */
  readonly creationTime: Date;
  /** When it last changed. */
  readonly lastUpdateTime: Date;
}

/** `DescribeDetectorResponse`. */
export interface DescribeDetectorResponse {
  /** The detector. */
  readonly detector: Detector;
}

/** `ListDetectorsRequest`. */
export interface ListDetectorsRequest {
  /** The detector model. */
  readonly detectorModelName: string;
  /**
   * Only detectors in this state.
   *
   * @default - all
   */
  readonly stateName?: string;
  /**
   * The token of the previous page.
   *
   * @default - the first page
   */
  readonly nextToken?: string;
  /**
   * The page size (1-250).
   *
   * @default 250
   */
  readonly maxResults?: number;
}

/** `DetectorStateSummary`. */
export interface DetectorStateSummary {
  /** The current state. */
  readonly stateName: string;
}

/** `DetectorSummary`. */
export interface DetectorSummary {
  /** The detector model. */
  readonly detectorModelName: string;
  /**
   * The key value.
   *
   * @default - the model has no key
   */
  readonly keyValue?: string;
  /** Always `'1'`. */
  readonly detectorModelVersion: string;
  /** The state. */
  readonly state: DetectorStateSummary;
  /** When the detector was created. */
  readonly creationTime: Date;
  /** When it last changed. */
  readonly lastUpdateTime: Date;
}

/** `ListDetectorsResponse`. */
export interface ListDetectorsResponse {
  /** The detectors, in creation order. */
  readonly detectorSummaries: DetectorSummary[];
  /**
   * The token of the next page.
   *
   * @default - this is the last page
   */
  readonly nextToken?: string;
}

/**
 * How much a trace entry deserves attention.
 */
export enum DetectorTraceLevel {
  /** A step of the simulation. */
  INFO = 'info',
  /**
   * Likely a mistake: a message that reached no detector (`dropped`), a message ignored because its messageId was
   * sent less than 5 minutes before (`duplicate`), an action that failed (`actionFailed`), a model read from JSON
   * whose key its inputs do not declare (`keyNotDeclared`) or that reads an attribute its input does not declare
   * (`attributeNotDeclared`).
   */
  WARNING = 'warning',
}

/**
 * One step of a simulation: a message evaluated, an event fired, a transition, a timer set, reset,
 * cleared or expired, a detector created, updated or deleted, or a message that reached no detector.
 */
export interface DetectorTraceEntry {
  /**
   * Simulated time, in milliseconds since the epoch: for a detector's steps, the time of its evaluation (its own
   * clock, which may be earlier than the simulator's); else the simulator's clock.
   */
  readonly timeInMillis: number;
  /** The detector model. */
  readonly detectorModelName: string;
  /**
   * The detector's key value.
   *
   * @default - the model has no key
   */
  readonly keyValue?: string;
  /**
   * What happened: `message` (a message reached the detector), `dropped` (it reached none: no key, a key
   * value IoT Events rejects, an `iotEvents` action to an unknown input), `duplicate` (a message ignored because
   * a message with its messageId was sent less than 5 minutes before; one entry per model that reads its
   * input), `updated` and `deleted`
   * (BatchUpdateDetector, BatchDeleteDetector), `keyNotDeclared` (when the simulator is created: a model read
   * from JSON keys on an attribute its inputs do not list), `attributeNotDeclared` (when the simulator is created:
   * a model read from JSON reads `$input.<Input>.<attribute>` where the input does not list the attribute; it is
   * read from the whole payload, one entry per reference), or the evaluator's steps: `detectorCreated`,
   * `eventFired`, `transition`, `variableSet`, `timerSet`, `timerReset`, `timerCleared`, `timerNotRunning`,
   * `timerExpired`, `action`, `actionFailed`.
   */
  readonly type: string;
  /**
   * How much the entry deserves attention: `WARNING` for `dropped`, `duplicate`, `actionFailed`, `keyNotDeclared` and
   * `attributeNotDeclared`, `INFO` for the others.
   */
  readonly level: DetectorTraceLevel;
  /** A one-line description. */
  readonly description: string;
  /**
   * The entry's fields as the evaluator reports them (event name, state, timer, values, ...).
   *
   * @default - none
   */
  readonly details?: any;
}

/**
 * An external action a detector took (never executed by the simulator; `iotEvents` actions are fed back
 * to their input, after every message of the `batchPutMessage` call).
 */
export interface SimulatedAction {
  /** The time of the evaluation that took it (its detector's clock), in milliseconds since the epoch. */
  readonly timeInMillis: number;
  /** The detector model. */
  readonly detectorModelName: string;
  /**
   * The detector's key value.
   *
   * @default - the model has no key
   */
  readonly keyValue?: string;
  /** `sns`, `iotTopicPublish`, `lambda`, `iotEvents`, `sqs`, `firehose`, `dynamoDB`, `dynamoDBv2` or `iotSiteWise`. */
  readonly type: string;
  /** The state the detector was in when it took the action. */
  readonly stateName: string;
  /** The event whose actions these are. */
  readonly eventName: string;
  /**
   * The action's configuration (its API shape without `payload`, e.g. `{ targetArn }`), text fields
   * such as `mqttTopic` or DynamoDB keys evaluated.
   */
  readonly configuration: any;
  /**
   * The evaluated payload: for a JSON payload (the default payload included) the parsed JSON value, for a
   * STRING payload the text.
   *
   * @default - undefined when the payload could not be evaluated (see `error`)
   */
  readonly payload?: any;
  /** `JSON` or `STRING`. */
  readonly payloadType: string;
  /**
   * Why IoT Events would have failed the action (a field or the payload could not be evaluated).
   *
   * @default - the action succeeded
   */
  readonly error?: string;
}

/** A detector's state and variables at one point of a simulation. */
export interface DetectorSnapshot {
  /** The time of the evaluation (the detector's clock), in milliseconds since the epoch. */
  readonly timeInMillis: number;
  /** The state, or `undefined` once the detector was deleted. */
  readonly stateName?: string;
  /** The variables, typed. */
  readonly variables: { [name: string]: any };
}

/** The history of one detector. */
export interface DetectorHistory {
  /** The detector model. */
  readonly detectorModelName: string;
  /**
   * The key value.
   *
   * @default - the model has no key
   */
  readonly keyValue?: string;
  /** The snapshots, oldest first: one when the detector was created and one after each evaluation. */
  readonly snapshots: DetectorSnapshot[];
}

interface ModelEntry {
  readonly name: string;
  readonly shape: DetectorModelShape;
  readonly compiled: CompiledDetectorModel;
  readonly inputNames: ReadonlySet<string>;
  readonly detectors: Map<string, DetectorEntry>;
}

interface DetectorEntry {
  /** Its place in the order of creation over all models (1, 2, ...): what a `listDetectors` nextToken resumes after. */
  readonly seq: number;
  readonly keyValue: string | undefined;
  instance: DetectorInstance;
  readonly creationTime: number;
  lastUpdateTime: number;
  /** The time of its last evaluation: its clock, which never goes back (the runtime's per-detector clock). */
  clockMs: number;
  readonly history: DetectorSnapshot[];
}

interface QueuedMessage {
  readonly inputName: string;
  readonly payload: unknown;
  readonly messageId: string;
  /** When it was sent; an `iotEvents` action's message gets its sender's clock (`source`) once the sender is done. */
  timestampMs?: number;
  /** The detector whose `iotEvents` action sent it. */
  readonly source?: DetectorEntry;
}

/** An error with the Data API's error name (`ResourceNotFoundException`, `InvalidRequestException`). */
class DataApiError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

const NO_KEY = '\u0000';

/** A `listDetectors` nextToken: opaque (base64url of JSON), naming the model and the `seq` the next page starts after. */
function listToken(detectorModelName: string, after: unknown): string {
  return Buffer.from(JSON.stringify({ detectorModelName, after }), 'utf8').toString('base64url');
}

/** The trace entries at `DetectorTraceLevel.WARNING`. */
const WARNING_TYPES = new Set(['dropped', 'duplicate', 'actionFailed', 'keyNotDeclared', 'attributeNotDeclared']);

/**
 * An in-memory, synchronous, deterministic AWS IoT Events runtime for tests: send messages with the Data
 * API's `batchPutMessage`, move time with `advanceTime`, and read detectors back with `describeDetector` and
 * `listDetectors`. It runs the same evaluator as the AWS runtime, executes no external action (they are
 * recorded in `actions` with their evaluated payloads) and feeds `iotEvents` actions back to their input,
 * after every message of the call that caused them, as the AWS runtime sends them after the pack it evaluated.
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/apireference/API_Operations_AWS_IoT_Events_Data.html
 */
export class DetectorSimulator {
  /** Everything that happened, in order. */
  public readonly trace: DetectorTraceEntry[] = [];

  /** The external actions detectors took, in order. */
  public readonly actions: SimulatedAction[] = [];

  private readonly models = new Map<string, ModelEntry>();
  private readonly inputNames: Set<string>;
  private nowMs: number;
  private messageCounter = 0;
  /** The `seq` of the last detector created. */
  private detectorCounter = 0;
  private readonly deletedHistories: DetectorHistory[] = [];
  /** The messageIds of the messages accepted in the last 5 minutes, with when they were sent. */
  private readonly sentIds = new Map<string, number>();

  constructor(props: DetectorSimulatorProps) {
    const inputs = props.inputs.map((i) => (i instanceof InputDefinition ? i : InputDefinition.fromJson(i)));
    this.inputNames = new Set(inputs.map((i) => i.inputName));
    if (this.inputNames.size !== inputs.length) {
      throw new Error(`two inputs have the same name (${inputs.map((i) => i.inputName).join(', ')}); input names must be unique`);
    }
    const inputShapes = inputs.map((i) => i._renderApi());
    let unnamed = 0;
    const warnings: Array<[string, string, string]> = [];
    for (const m of props.detectorModels) {
      const model = m instanceof DetectorModelDefinition ? m : DetectorModelDefinition.fromJson(m);
      const name = model.detectorModelName ?? (++unnamed === 1 ? 'DetectorModel' : `DetectorModel${unnamed}`);
      if (this.models.has(name)) throw new Error(`two detector models are named '${name}'; detector model names must be unique`);
      const shape = { ...model._renderApiFor([...this.inputNames]), detectorModelName: name };
      // an action's target may be a CDK attribute (a topic's ARN): reported as the token, not evaluated
      const compiled = compileChecked(shape, inputShapes, { ...model._compileOptions(), opaqueText: (t) => Token.isUnresolved(t) });
      const keyWarning = model._checkDetectorKey(shape, compiled.inputNames, inputShapes);
      if (keyWarning !== undefined) warnings.push([name, 'keyNotDeclared', keyWarning]);
      for (const u of compiled.undeclaredAttributes) warnings.push([name, 'attributeNotDeclared', `detector model '${name}' ${describeProblem(u)}`]);
      this.models.set(name, { name, shape, compiled, inputNames: compiled.inputNames, detectors: new Map() });
    }
    const start = props.startTime?.getTime() ?? 0;
    if (!Number.isFinite(start)) throw new Error(`startTime must be a valid date, got ${props.startTime}`);
    this.nowMs = start;
    for (const [name, type, warning] of warnings) this.log(name, undefined, type, warning);
  }

  /**
   * The simulated time: the latest message timestamp or `advanceTime` target so far. Timers fire from it; each
   * detector evaluates on its own clock, never later than this one.
   */
  public get currentTime(): Date {
    return new Date(this.nowMs);
  }

  /**
   * Sends messages to inputs (the Data API's `BatchPutMessage`). Each message is routed to every detector
   * model that reads its input, to the detector of its key value (created in the initial state, onEnter
   * run, when new), and evaluated before the next message, in timestamp order (a message without a timestamp
   * takes the time of the call; equal times keep the request's order), as the AWS runtime's ingest orders the
   * messages of each detector. The messages `iotEvents` actions send are evaluated after every message of the
   * call, as the runtime sends a pack's messages after the pack. A message that reaches no detector because of
   * its key (no key, or a key value IoT Events rejects, for every model that reads its input) is reported
   * as an `InvalidRequestException` entry, as the runtime's Data API reports it, and traced as `dropped`.
   * A message whose messageId was sent less than 5 minutes before (simulated time) by an accepted message
   * is accepted but ignored, as IoT Events ignored it: no error entry, no evaluation, traced as `duplicate`.
   * Error entries come in the order of the request's messages.
   */
  public batchPutMessage(request: BatchPutMessageRequest): BatchPutMessageResponse {
    // error entries in the order of the request's messages, whichever pass found them
    const failed: Array<{ index: number; entry: BatchErrorEntry }> = [];
    const seen = new Set<string>();
    const accepted: Array<{ index: number; message: Message; id: string; payload: unknown; timeInMillis: number | undefined }> = [];
    for (const [index, message] of (request.messages ?? []).entries()) {
      // A message without an ID gets one (the simulator's convenience; the Data API requires it).
      const id = message.messageId === undefined || message.messageId === null ? `message-${++this.messageCounter}` : message.messageId;
      const fail = (code: string, text: string) => failed.push({ index, entry: { messageId: String(id), errorCode: code, errorMessage: text } });
      if (typeof id !== 'string' || id.length < 1 || id.length > 64 || !MESSAGE_ID_PATTERN.test(id)) {
        fail('InvalidRequestException', `messageId must be 1-64 characters of letters, digits, '_' and '-', got ${JSON.stringify(id)}`);
        continue;
      }
      if (seen.has(id)) {
        fail('InvalidRequestException', repeatedMessageId(id));
        continue;
      }
      seen.add(id);
      if (!this.inputNames.has(message.inputName)) {
        fail('ResourceNotFoundException', `input '${message.inputName}' does not exist; the simulator has ${[...this.inputNames].join(', ') || 'no inputs'}`);
        continue;
      }
      const parsed = parsePayload(message.payload);
      if (parsed.error) {
        fail('InvalidRequestException', parsed.error);
        continue;
      }
      const t = message.timestamp?.timeInMillis ?? undefined;
      if (t !== undefined && (!Number.isInteger(t) || t < 1 || t > MAX_TIMESTAMP_MS)) {
        fail('InvalidRequestException', `timestamp.timeInMillis must be a positive integer (milliseconds since the epoch) up to ${MAX_TIMESTAMP_MS} `
          + `(${new Date(MAX_TIMESTAMP_MS).toISOString()}), got ${t}`);
        continue;
      }
      accepted.push({ index, message, id, payload: parsed.value, timeInMillis: t });
    }
    // in timestamp order, as the runtime's ingest sorts each detector's messages (stable: equal times keep the
    // request's order); a message without a timestamp takes the time of the call
    const callMs = this.nowMs;
    const inOrder = accepted.map((a) => ({ ...a, at: a.timeInMillis ?? callMs })).sort((a, b) => a.at - b.at);
    // messages of iotEvents actions: after every message of the call, as the runtime re-injects a pack's messages
    // after the pack
    const reinjected: QueuedMessage[] = [];
    for (const { index, message, id, payload, timeInMillis, at } of inOrder) {
      if (timeInMillis !== undefined && timeInMillis > this.nowMs) this.runTimersUntil(timeInMillis);
      const queued: QueuedMessage = { inputName: message.inputName, payload, messageId: id, timestampMs: at };
      if (this.isDuplicate(queued)) continue;
      // As the runtime's ingest does: a message that reaches no detector because of its key is reported.
      const dropped = this.deliver(queued, reinjected);
      if (dropped !== undefined) failed.push({ index, entry: { messageId: id, errorCode: 'InvalidRequestException', errorMessage: dropped } });
      else this.sentIds.set(id, this.nowMs);
    }
    // sent once the call's messages are evaluated: at the sender's clock then, as the runtime stamps them with the
    // time of the pack
    stampSent(reinjected, 0);
    this.drain(reinjected);
    // a message evaluated before the clock (an earlier timestamp) may have set a timer that is due already
    this.runTimersUntil(this.nowMs);
    const errors = failed.sort((a, b) => a.index - b.index).map((f) => f.entry);
    // The Data API's own (capitalized) member, beside the camelCase one jsii requires.
    return { batchPutMessageErrorEntries: errors, BatchPutMessageErrorEntries: errors } as BatchPutMessageResponse;
  }

  /**
   * Sets detectors' state, variables and timers directly (the Data API's `BatchUpdateDetector`). No event
   * runs: neither the old state's onExit nor the new state's onEnter; timers start from the current time.
   * A key value that has no detector gets one, created in the given state with the given variables and
   * timers, as the AWS runtime creates it (so that a deploy can seed detectors with `model.seed`). An entry
   * without `keyValue` for a model with a key names no detector: `ResourceNotFoundException`, as
   * `describeDetector` and `batchDeleteDetector` answer it. A messageId repeated within the request is an
   * `InvalidRequestException` entry at its repeat, as in `batchPutMessage`; the first entry is applied.
   */
  public batchUpdateDetector(request: BatchUpdateDetectorRequest): BatchUpdateDetectorResponse {
    const errors: BatchErrorEntry[] = [];
    const seen = new Set<string>();
    for (const d of request.detectors ?? []) {
      const fail = (code: string, text: string) => errors.push({ messageId: d.messageId, errorCode: code, errorMessage: text });
      if (seen.has(d.messageId)) {
        fail('InvalidRequestException', repeatedMessageId(d.messageId));
        continue;
      }
      seen.add(d.messageId);
      const model = this.model(d.detectorModelName);
      if (!model) {
        fail('ResourceNotFoundException', this.unknownModel(d.detectorModelName));
        continue;
      }
      // A model without a key has one detector: a key value given anyway is ignored.
      const keyValue = model.shape.key === undefined ? undefined : d.keyValue ?? undefined;
      if (model.shape.key !== undefined && (keyValue === undefined || keyValue === '')) {
        fail('ResourceNotFoundException', `detector model '${model.name}' has the key ${model.shape.key}; give keyValue`);
        continue;
      }
      if (keyValue !== undefined && (keyValue.length > 128 || !KEY_VALUE_PATTERN.test(keyValue))) {
        fail('InvalidRequestException', `keyValue ${JSON.stringify(keyValue)} is not 1-128 characters of letters, digits, '-', '_' and ':'`);
        continue;
      }
      const state = d.state;
      if (!state || !model.shape.detectorModelDefinition.states.some((s) => s.stateName === state.stateName)) {
        fail('InvalidRequestException', `state '${state?.stateName}' is not a state of '${model.name}' (${model.shape.detectorModelDefinition.states.map((s) => s.stateName).join(', ')})`);
        continue;
      }
      const badTimer = (state.timers ?? []).find((t) => !Number.isInteger(t.seconds) || t.seconds < 1 || t.seconds > MAX_TIMER_SECONDS);
      if (badTimer) {
        fail('InvalidRequestException', `timer '${badTimer.name}' seconds must be an integer from 1 to 31622400, got ${badTimer.seconds}`);
        continue;
      }
      const variables: Record<string, VariableValue> = {};
      for (const v of state.variables ?? []) variables[v.name] = parseVariableText(v.value);
      const timers: Record<string, { durationSeconds: number; dueAtMs: number }> = {};
      for (const t of state.timers ?? []) timers[t.name] = { durationSeconds: t.seconds, dueAtMs: this.nowMs + t.seconds * 1000 };
      const instance: DetectorInstance = { ...(keyValue !== undefined ? { keyValue } : {}), stateName: state.stateName, variables, timers };
      let detector = model.detectors.get(keyValue ?? NO_KEY);
      const created = detector === undefined;
      if (!detector) {
        const at = this.nowMs;
        detector = { seq: ++this.detectorCounter, keyValue, instance, creationTime: at, lastUpdateTime: at, clockMs: at, history: [] };
        model.detectors.set(keyValue ?? NO_KEY, detector);
      }
      detector.instance = instance;
      detector.lastUpdateTime = this.nowMs;
      detector.clockMs = this.nowMs;
      this.snapshot(detector);
      this.log(model.name, detector.keyValue, 'updated', created
        ? `BatchUpdateDetector created the detector in state ${state.stateName}`
        : `BatchUpdateDetector set state ${state.stateName}`, { state, created });
    }
    return { batchUpdateDetectorErrorEntries: errors };
  }

  /**
   * Deletes detectors (the Data API's `BatchDeleteDetector`); the next message with the same key value
   * creates a new one in the initial state. A messageId repeated within the request is an
   * `InvalidRequestException` entry at its repeat, as in `batchPutMessage`.
   */
  public batchDeleteDetector(request: BatchDeleteDetectorRequest): BatchDeleteDetectorResponse {
    const errors: BatchErrorEntry[] = [];
    const seen = new Set<string>();
    for (const d of request.detectors ?? []) {
      if (seen.has(d.messageId)) {
        errors.push({ messageId: d.messageId, errorCode: 'InvalidRequestException', errorMessage: repeatedMessageId(d.messageId) });
        continue;
      }
      seen.add(d.messageId);
      const found = this.find(d.detectorModelName, d.keyValue);
      if (typeof found === 'string') {
        errors.push({ messageId: d.messageId, errorCode: 'ResourceNotFoundException', errorMessage: found });
        continue;
      }
      found.model.detectors.delete(found.detector.keyValue ?? NO_KEY);
      found.detector.history.push({ timeInMillis: this.nowMs, stateName: undefined, variables: {} });
      this.deletedHistories.push({ detectorModelName: found.model.name, keyValue: found.detector.keyValue, snapshots: found.detector.history });
      this.log(found.model.name, found.detector.keyValue, 'deleted', 'BatchDeleteDetector deleted the detector');
    }
    return { batchDeleteDetectorErrorEntries: errors };
  }

  /**
   * Returns a detector (the Data API's `DescribeDetector`); variable values are reported as expression literals,
   * a string JSON-quoted (`"\"01\""`), as IoT Events reported them.
   *
   * @throws ResourceNotFoundException when the model or the detector does not exist
   */
  public describeDetector(request: DescribeDetectorRequest): DescribeDetectorResponse {
    const found = this.find(request.detectorModelName, request.keyValue);
    if (typeof found === 'string') throw new DataApiError('ResourceNotFoundException', found);
    const { model, detector } = found;
    const i = detector.instance;
    return {
      detector: {
        detectorModelName: model.name,
        ...(detector.keyValue !== undefined ? { keyValue: detector.keyValue } : {}),
        detectorModelVersion: '1',
        state: {
          stateName: i.stateName,
          variables: Object.keys(i.variables).sort().map((name) => ({ name, value: variableText(i.variables[name]) })),
          timers: Object.keys(i.timers).sort().map((name) => ({ name, timestamp: new Date(i.timers[name].dueAtMs) })),
        },
        creationTime: new Date(detector.creationTime),
        lastUpdateTime: new Date(detector.lastUpdateTime),
      },
    };
  }

  /**
   * Lists a model's detectors (the Data API's `ListDetectors`), in creation order. A `nextToken` is opaque and
   * belongs to its model: the next page starts after the last detector of the previous one, also when
   * detectors were deleted or created in between (an empty `nextToken` is the first page).
   *
   * @throws ResourceNotFoundException when the model does not exist
   * @throws InvalidRequestException for a `nextToken` that `listDetectors` did not return for this model
   */
  public listDetectors(request: ListDetectorsRequest): ListDetectorsResponse {
    const model = this.model(request.detectorModelName);
    if (!model) throw new DataApiError('ResourceNotFoundException', this.unknownModel(request.detectorModelName));
    const max = request.maxResults ?? 250;
    if (!Number.isInteger(max) || max < 1 || max > 250) {
      throw new DataApiError('InvalidRequestException', `maxResults must be an integer from 1 to 250, got ${max}`);
    }
    const after = request.nextToken === undefined || request.nextToken === '' ? 0 : this.pageStart(model, request.nextToken);
    // the models' Maps keep creation order, which is seq order
    const all = [...model.detectors.values()]
      .filter((d) => d.seq > after && (request.stateName === undefined || d.instance.stateName === request.stateName));
    const page = all.slice(0, max);
    return {
      detectorSummaries: page.map((d) => ({
        detectorModelName: model.name,
        ...(d.keyValue !== undefined ? { keyValue: d.keyValue } : {}),
        detectorModelVersion: '1',
        state: { stateName: d.instance.stateName },
        creationTime: new Date(d.creationTime),
        lastUpdateTime: new Date(d.lastUpdateTime),
      })),
      ...(all.length > max ? { nextToken: listToken(model.name, page[page.length - 1].seq) } : {}),
    };
  }

  /** The `seq` a `listDetectors` nextToken resumes after; throws for a token it did not return for this model. */
  private pageStart(model: ModelEntry, token: string): number {
    let parsed: any;
    try {
      parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const after = parsed?.after;
    if (listToken(model.name, after) !== token || !Number.isInteger(after) || after < 1 || after > this.detectorCounter) {
      throw new DataApiError('InvalidRequestException', `nextToken ${JSON.stringify(token)} was not returned by listDetectors for '${model.name}'`);
    }
    return after;
  }

  /**
   * Moves the simulated time forward, firing every timer that falls due on the way, in due order
   * (ties: model order, then detector creation order, then timer name).
   */
  public advanceTime(duration: Duration): void {
    if (duration.isUnresolved()) {
      throw new Error(`advanceTime duration must be known when the test runs, got the token ${duration.toHumanString()}; pass a Duration of a number, such as Duration.minutes(5)`);
    }
    const ms = duration.toMilliseconds({ integral: false });
    if (!Number.isInteger(ms)) {
      throw new Error(`advanceTime duration must be a whole number of milliseconds (the simulated clock's unit), got ${duration.toString()} (${ms} ms); `
        + `pass Duration.millis(${Math.ceil(ms)})`);
    }
    this.runTimersUntil(this.nowMs + ms);
  }

  /**
   * The history of every detector (current ones, then deleted ones): its state and variables after each
   * evaluation. `DetectorTimeline.renderSvg` draws it.
   */
  public histories(): DetectorHistory[] {
    const out: DetectorHistory[] = [];
    for (const model of this.models.values()) {
      for (const d of model.detectors.values()) out.push({ detectorModelName: model.name, keyValue: d.keyValue, snapshots: d.history });
    }
    return [...out, ...this.deletedHistories];
  }

  /** The names of the simulated detector models. */
  public get detectorModelNames(): string[] {
    return [...this.models.keys()];
  }

  /**
   * Whether a message with the same messageId was accepted less than 5 minutes before (IoT Events ignored such a
   * message); traces it as `duplicate` for each model that reads its input. Forgets the ids older than that.
   */
  private isDuplicate(message: QueuedMessage): boolean {
    for (const [id, sentMs] of this.sentIds) {
      // in the order they were sent: the first one still in the window ends the clean-up
      if (this.nowMs - sentMs < MESSAGE_ID_WINDOW_MS) break;
      this.sentIds.delete(id);
    }
    const sentMs = this.sentIds.get(message.messageId);
    if (sentMs === undefined) return false;
    for (const model of this.models.values()) {
      if (!model.inputNames.has(message.inputName)) continue;
      const keyValue = model.shape.key !== undefined ? keyValueOf(model.compiled, message.inputName, message.payload) : undefined;
      this.log(model.name, keyValue, 'duplicate', `message ${message.messageId} to ${message.inputName} ignored: a message with its ID was sent `
        + `${(this.nowMs - sentMs) / 1000} s before, and IoT Events ignores a messageId sent within the last 5 minutes; give each message a new ID`,
      { messageId: message.messageId, inputName: message.inputName, sentTimeInMillis: sentMs });
    }
    return true;
  }

  private runTimersUntil(targetMs: number): void {
    let guard = 0;
    for (;;) {
      let next: { model: ModelEntry; detector: DetectorEntry; timer: string; due: number } | undefined;
      for (const model of this.models.values()) {
        for (const detector of model.detectors.values()) {
          for (const [timer, t] of Object.entries(detector.instance.timers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
            if (t.dueAtMs <= targetMs && (!next || t.dueAtMs < next.due)) next = { model, detector, timer, due: t.dueAtMs };
          }
        }
      }
      if (!next) break;
      if (++guard > 1_000_000) throw new Error('more than 1000000 timers fired in one advanceTime; a timer keeps resetting itself to 0 seconds');
      this.nowMs = Math.max(this.nowMs, next.due);
      // at its due time: a timer a message evaluated before the clock set may be due before it
      const result = fireTimer(next.model.compiled, next.detector.instance, next.timer, next.due);
      const queue: QueuedMessage[] = [];
      this.apply(next.model, next.detector, result, queue, next.due);
      stampSent(queue, 0);
      this.drain(queue);
    }
    this.nowMs = Math.max(this.nowMs, targetMs);
  }

  /**
   * Delivers a message to every model that reads its input; the messages its `iotEvents` actions send go to
   * `reinjected`. Returns why the message reached no detector when every model that reads its input dropped it
   * for its key; `undefined` otherwise.
   */
  private deliver(message: QueuedMessage, reinjected: QueuedMessage[]): string | undefined {
    let routed = 0;
    const problems: string[] = [];
    for (const model of this.models.values()) {
      if (!model.inputNames.has(message.inputName)) continue;
      const problem = this.evaluate(model, message, reinjected);
      if (problem === undefined) routed++;
      else problems.push(problem);
    }
    return routed === 0 && problems.length > 0 ? problems.join('; ') : undefined;
  }

  /** Delivers re-injected messages, and the messages they cause, in the order they were sent. */
  private drain(queue: QueuedMessage[]): void {
    let count = 0;
    while (queue.length > 0) {
      const message = queue.shift()!;
      if (++count > MAX_REINJECTIONS) {
        throw new Error(`more than ${MAX_REINJECTIONS} messages were re-injected by iotEvents actions in one call; `
          + `the detector models send messages to each other in a loop (last: input '${message.inputName}')`);
      }
      const before = queue.length;
      this.deliver(message, queue);
      stampSent(queue, before);
    }
  }

  /** Evaluates the message in its detector; returns why it reached none (its key), else `undefined`. */
  private evaluate(model: ModelEntry, message: QueuedMessage, queue: QueuedMessage[]): string | undefined {
    let keyValue: string | undefined;
    if (model.shape.key !== undefined) {
      keyValue = keyValueOf(model.compiled, message.inputName, message.payload);
      if (keyValue === undefined || keyValue.length > 128 || !KEY_VALUE_PATTERN.test(keyValue)) {
        this.log(model.name, undefined, 'dropped', keyValue === undefined
          ? `message ${message.messageId} to ${message.inputName} has no key ${model.shape.key}; no detector evaluated it`
          : `message ${message.messageId} has key value ${JSON.stringify(keyValue)}, which is not 1-128 characters of letters, digits, '-', '_' and ':'; no detector evaluated it`,
        { messageId: message.messageId, inputName: message.inputName });
        // the texts of the runtime's ingest (BatchPutMessage reports them the same way on AWS)
        return keyValue === undefined
          ? `the payload has no ${model.shape.key}, the key of detector model '${model.name}'`
          : `key value ${JSON.stringify(keyValue)} of detector model '${model.name}' is not 1-128 characters of letters, digits, '-', '_' and ':'`;
      }
    }
    const existing = model.detectors.get(keyValue ?? NO_KEY);
    // on the detector's own clock, as the runtime evaluates it: at the message's time, unless the detector evaluated
    // something later already (its clock never goes back); the timers due by then fire first
    const atMs = Math.max(message.timestampMs ?? this.nowMs, existing?.clockMs ?? -Infinity);
    if (existing) this.fireDueTimers(model, existing, atMs, queue);
    this.log(model.name, keyValue, 'message', `message ${message.messageId} to ${message.inputName}`,
      { messageId: message.messageId, inputName: message.inputName, payload: plainJsonValue(message.payload) }, atMs);
    const result = evaluateInput(model.compiled, existing?.instance, {
      inputName: message.inputName, payload: message.payload, timestampMs: atMs, messageId: message.messageId,
    });
    let detector = existing;
    if (!detector) {
      const seq = ++this.detectorCounter;
      detector = { seq, keyValue, instance: result.instance, creationTime: atMs, lastUpdateTime: atMs, clockMs: atMs, history: [] };
      model.detectors.set(keyValue ?? NO_KEY, detector);
    }
    this.apply(model, detector, result, queue, atMs);
    return undefined;
  }

  /** Fires the detector's timers due at or before `untilMs`, in due order (ties by name), each at its due time. */
  private fireDueTimers(model: ModelEntry, detector: DetectorEntry, untilMs: number, queue: QueuedMessage[]): void {
    for (;;) {
      const due = Object.entries(detector.instance.timers)
        .filter(([, t]) => t.dueAtMs <= untilMs)
        .sort(([a, ta], [b, tb]) => ta.dueAtMs - tb.dueAtMs || (a < b ? -1 : a > b ? 1 : 0))[0];
      if (!due) return;
      const [timer, { dueAtMs }] = due;
      this.apply(model, detector, fireTimer(model.compiled, detector.instance, timer, dueAtMs), queue, dueAtMs);
    }
  }

  /** Takes an evaluation's result, made at `atMs` (the detector's clock from then on). */
  private apply(model: ModelEntry, detector: DetectorEntry, result: EvaluationResult, queue: QueuedMessage[], atMs: number): void {
    for (const t of result.trace) {
      const details = t.value instanceof IntegralDecimal ? { ...t, value: t.value.value } : t;
      this.log(model.name, detector.keyValue, t.kind, describeTrace(t), details, atMs);
    }
    for (const a of result.actions) {
      const payload = a.payloadType === 'JSON' && a.payload !== undefined ? parseJsonOr(a.payload, JSON.parse) : a.payload;
      this.actions.push({
        timeInMillis: atMs,
        detectorModelName: model.name,
        ...(detector.keyValue !== undefined ? { keyValue: detector.keyValue } : {}),
        type: a.type,
        stateName: a.stateName,
        eventName: a.eventName,
        configuration: a.config,
        payload,
        payloadType: a.payloadType,
        ...(a.error !== undefined ? { error: a.error } : {}),
      });
      if (a.type === 'iotEvents' && a.error === undefined) {
        const inputName = String(a.config.inputName);
        if (this.inputNames.has(inputName)) {
          // the input reads the payload's text, as a message's: 20.0 in it is a decimal
          const sent = a.payloadType === 'JSON' && a.payload !== undefined ? parseJsonOr(a.payload, parseJsonText) : payload;
          queue.push({ inputName, payload: sent, messageId: `iotEvents-${++this.messageCounter}`, source: detector });
        } else {
          this.log(model.name, detector.keyValue, 'dropped', `iotEvents action of '${a.eventName}' sent to input '${inputName}', which the simulator does not have`, undefined, atMs);
        }
      }
    }
    detector.instance = result.instance;
    detector.lastUpdateTime = atMs;
    detector.clockMs = atMs;
    this.snapshot(detector);
  }

  private snapshot(detector: DetectorEntry): void {
    // typed values; an integral decimal shows as its number
    const variables: Record<string, string | number | boolean> = {};
    const v = detector.instance.variables;
    for (const name of Object.keys(v)) variables[name] = plainJsonValue(v[name]) as string | number | boolean;
    detector.history.push({ timeInMillis: detector.lastUpdateTime, stateName: detector.instance.stateName, variables });
  }

  /** The model of that name; a missing name means the only model, when there is one (unnamed models). */
  private model(detectorModelName: string | undefined | null): ModelEntry | undefined {
    if ((detectorModelName === undefined || detectorModelName === null || detectorModelName === '') && this.models.size === 1) {
      return [...this.models.values()][0];
    }
    return this.models.get(detectorModelName as string);
  }

  private find(detectorModelName: string, keyValue: string | undefined): { model: ModelEntry; detector: DetectorEntry } | string {
    const model = this.model(detectorModelName);
    if (!model) return this.unknownModel(detectorModelName);
    // A model without a key has one detector: a key value given anyway is ignored.
    const detector = model.detectors.get(model.shape.key === undefined ? NO_KEY : keyValue ?? NO_KEY);
    if (!detector) {
      return keyValue === undefined && model.shape.key !== undefined
        ? `detector model '${model.name}' has the key ${model.shape.key}; give keyValue`
        : `detector model '${model.name}' has no detector${keyValue !== undefined && model.shape.key !== undefined ? ` for key value '${keyValue}'` : ''}`;
    }
    return { model, detector };
  }

  private unknownModel(name: string): string {
    return `detector model '${name}' does not exist; the simulator has ${[...this.models.keys()].join(', ')}`;
  }

  private log(detectorModelName: string, keyValue: string | undefined, type: string, description: string, details?: any, atMs = this.nowMs): void {
    this.trace.push({
      timeInMillis: atMs,
      detectorModelName,
      ...(keyValue !== undefined ? { keyValue } : {}),
      type,
      level: WARNING_TYPES.has(type) ? DetectorTraceLevel.WARNING : DetectorTraceLevel.INFO,
      description,
      ...(details !== undefined ? { details } : {}),
    });
  }
}

function parsePayload(payload: unknown): { value?: unknown; error?: string } {
  let text: string;
  if (typeof payload === 'string') {
    text = payload;
  } else if (payload instanceof Uint8Array) {
    text = Buffer.from(payload).toString('utf8');
  } else if (payload !== undefined && payload !== null && typeof payload === 'object') {
    text = writeJsonText(payload);
  } else {
    return { error: `payload must be a JSON text, its bytes or a JSON object, got ${JSON.stringify(payload)}` };
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) return { error: `payload is ${bytes} bytes; IoT Events accepts messages of at most 10 KB (${MAX_PAYLOAD_BYTES} bytes)` };
  try {
    return { value: parseJsonText(text) };
  } catch (e: any) {
    // The AWS CLI sends blobs base64-encoded: accept a base64 text of a JSON document too.
    if (typeof payload === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0) {
      try {
        return { value: parseJsonText(Buffer.from(text, 'base64').toString('utf8')) };
      } catch {
        // not base64 JSON either: report the JSON error
      }
    }
    return { error: `payload is not valid JSON (${e.message}): ${text.slice(0, 80)}` };
  }
}

function describeTrace(t: TraceEntry): string {
  const at = `in ${t.stateName}${t.lifecycle ? ` ${t.lifecycle}` : ''}`;
  switch (t.kind) {
    case 'detectorCreated': return `detector created in ${t.stateName}`;
    case 'eventFired': return `event '${t.eventName}' fired ${at}`;
    case 'transition': return `transition '${t.eventName}' from ${t.stateName} to ${t.nextState}`;
    case 'variableSet': return `variable ${t.variableName} = ${t.value instanceof IntegralDecimal ? numberText(t.value) : JSON.stringify(t.value)} (${t.eventName})`;
    case 'timerSet': return `timer ${t.timerName} set to ${t.durationSeconds} s (${t.eventName})`;
    case 'timerReset': return `timer ${t.timerName} reset to ${t.durationSeconds} s (${t.eventName})`;
    case 'timerCleared': return `timer ${t.timerName} cleared (${t.eventName})`;
    case 'timerExpired': return `timer ${t.timerName} expired ${at}`;
    case 'action': return `${t.actionType} action of '${t.eventName}' ${at}`;
    default: return `${t.kind}${t.eventName ? ` '${t.eventName}'` : ''} ${at}${t.message ? `: ${t.message}` : ''}`;
  }
}

/** Stamps the messages `iotEvents` actions sent, from `from` on, with their sender's clock (once the sender is done). */
function stampSent(queue: QueuedMessage[], from: number): void {
  for (let i = from; i < queue.length; i++) {
    const m = queue[i];
    if (m.timestampMs === undefined && m.source !== undefined) m.timestampMs = m.source.clockMs;
  }
}

function parseJsonOr(text: string, parse: (text: string) => unknown): unknown {
  try {
    return parse(text);
  } catch {
    return text;
  }
}

