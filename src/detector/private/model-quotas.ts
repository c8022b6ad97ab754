/**
 * IoT Events' rules on detector models and inputs, checked at synth: the service model's `min`, `max` and
 * `pattern` on each shape (`iotevents.service-2.json`, 2018-07-27) and the service quotas of the AWS
 * IoT Events developer guide (definition size 512 KB, 20 trigger expressions per state, 50 state
 * variables per definition, 5 timers per detector). Tokens are skipped.
 */
import { Token } from 'aws-cdk-lib';
import { isIntrinsic } from './model-json';
import { ActionShape, DetectorModelShape, EventShape, InputShape } from '../../private/detector-engine/evaluator/api-shapes';
import { didYouMean } from '../../private/near-miss';

/** `InputName`, `VariableName`. */
export const NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]*$/;
/** `DetectorModelName`. */
export const DETECTOR_MODEL_NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;
/** `AttributeJsonPath` (also the detector model key). */
export const JSON_PATH_PATTERN = /^((`[\w\- ]+`)|([\w\-]+))(\.((`[\w- ]+`)|([\w\-]+)))*$/;

export const MAX_DEFINITION_BYTES = 512 * 1024;
export const MAX_TRIGGER_EXPRESSIONS_PER_STATE = 20;
export const MAX_VARIABLES = 50;
export const MAX_TIMERS = 5;
export const MAX_CONDITION_LENGTH = 512;
export const MAX_VALUE_LENGTH = 1024;
export const MAX_CONTENT_EXPRESSION_LENGTH = 1024;
export const MIN_TIMER_SECONDS = 1;
export const MAX_TIMER_SECONDS = 31_622_400;
const FIREHOSE_SEPARATORS = ['\n', '\t', '\r\n', ','];
const ACTION_TYPES = ['setVariable', 'sns', 'iotTopicPublish', 'setTimer', 'clearTimer', 'resetTimer', 'lambda',
  'iotEvents', 'sqs', 'firehose', 'dynamoDB', 'dynamoDBv2', 'iotSiteWise'];

const literal = (v: unknown): v is string => typeof v === 'string' && !Token.isUnresolved(v);

function checkString(problems: string[], where: string, value: unknown, min: number, max: number, pattern?: RegExp, fix?: string) {
  // a CloudFormation intrinsic kept from an imported template (an action's target) is known only at deployment
  if (value === undefined || isIntrinsic(value)) return;
  if (typeof value !== 'string') {
    problems.push(`${where} must be a string, got ${JSON.stringify(value)}`);
    return;
  }
  if (!literal(value)) return;
  if (value.length < min || value.length > max) {
    problems.push(`${where} must be ${min === 0 ? 'at most' : `${min} to`} ${max} characters long, got ${value.length} (${JSON.stringify(value.length > 80 ? value.slice(0, 80) + '…' : value)})${fix ? `; ${fix}` : ''}`);
  } else if (pattern && !pattern.test(value)) {
    problems.push(`${where} ${JSON.stringify(value)} does not match ${pattern.source}${fix ? `; ${fix}` : ''}`);
  }
}

/** Throws one error listing every problem, if any. */
export function throwProblems(what: string, problems: string[]): void {
  if (problems.length === 0) return;
  const shown = problems.slice(0, 20).map((p) => `  - ${p}`).join('\n');
  const more = problems.length > 20 ? `\n  (${problems.length - 20} more)` : '';
  throw new Error(`${what} is not accepted by AWS IoT Events:\n${shown}${more}`);
}

/** Checks an input. */
export function checkInput(input: InputShape, description?: string): void {
  const problems: string[] = [];
  const where = `input '${input.inputName}'`;
  checkString(problems, `${where} inputName`, input.inputName, 1, 128, NAME_PATTERN,
    'start with a letter and use only letters, digits and underscores');
  checkString(problems, `${where} description`, description, 0, 1024);
  const attrs = input.inputDefinition.attributes;
  if (attrs.length < 1 || attrs.length > 200) {
    problems.push(`${where} must have 1 to 200 attributes, got ${attrs.length}; list the payload fields detector models read`);
  }
  const seen = new Set<string>();
  for (const a of attrs) {
    checkString(problems, `${where} attribute`, a.jsonPath, 1, 128, JSON_PATH_PATTERN,
      'write <field>.<field>..., a field with spaces or other characters in backticks (`motor pressure`)');
    if (seen.has(a.jsonPath)) problems.push(`${where} lists attribute ${JSON.stringify(a.jsonPath)} twice; remove one`);
    seen.add(a.jsonPath);
  }
  throwProblems(where, problems);
}

/** Checks a detector model: shapes, patterns and quotas. */
export function checkDetectorModel(model: DetectorModelShape, description?: string): void {
  const problems: string[] = [];
  const name = model.detectorModelName;
  const where = name ? `detector model '${name}'` : 'detector model';
  checkString(problems, `${where} detectorModelName`, name, 1, 128, DETECTOR_MODEL_NAME_PATTERN,
    'use only letters, digits, \'_\' and \'-\'');
  checkString(problems, `${where} description`, description, 0, 1024);
  checkString(problems, `${where} key`, model.key, 1, 128, JSON_PATH_PATTERN,
    'give the JSON path of the payload field that identifies a device, such as \'motorid\' or \'payload.deviceId\'');
  if (model.evaluationMethod !== undefined && !['BATCH', 'SERIAL'].includes(model.evaluationMethod)) {
    problems.push(`${where} evaluationMethod must be BATCH or SERIAL, got ${JSON.stringify(model.evaluationMethod)}`);
  }
  const def = model.detectorModelDefinition;
  const states = def.states ?? [];
  if (states.length === 0) problems.push(`${where} must have at least one state`);
  const stateNames = new Set<string>();
  for (const s of states) {
    if (stateNames.has(s.stateName)) problems.push(`${where} has two states named '${s.stateName}'; state names must be unique`);
    stateNames.add(s.stateName);
  }
  if (!stateNames.has(def.initialStateName)) {
    problems.push(`${where} initialStateName '${def.initialStateName}' is not one of its states (${[...stateNames].join(', ')})`);
  }
  const variables = new Set<string>();
  const timers = new Set<string>();
  for (const s of states) {
    const sw = `state '${s.stateName}'`;
    checkString(problems, `${sw} stateName`, s.stateName, 1, 128);
    let triggers = 0;
    const groups: Array<[string, EventShape[] | undefined]> = [
      ['onEnter', s.onEnter?.events], ['onInput', s.onInput?.events], ['onInput transition', s.onInput?.transitionEvents], ['onExit', s.onExit?.events],
    ];
    for (const [group, events] of groups) {
      for (const e of events ?? []) {
        const ew = `${sw} ${group} event '${e.eventName}'`;
        checkString(problems, `${ew} eventName`, e.eventName, 0, 128);
        if (e.condition !== undefined) {
          triggers++;
          checkString(problems, `${ew} condition`, e.condition, 0, MAX_CONDITION_LENGTH, undefined,
            'split the logic over variables set by earlier events');
        }
        const next = (e as any).nextState;
        if (group === 'onInput transition') {
          if (e.condition === undefined) problems.push(`${ew} has no condition; a transition event needs one (use 'true' to always move)`);
          if (typeof next === 'string' && literal(next) && !stateNames.has(next)) {
            problems.push(`${ew} nextState '${next}' is not one of the states (${[...stateNames].join(', ')})`);
          }
        }
        (e.actions ?? []).forEach((a, i) => checkAction(problems, `${ew} action ${i}`, a, variables, timers));
      }
    }
    if (triggers > MAX_TRIGGER_EXPRESSIONS_PER_STATE) {
      problems.push(`${sw} has ${triggers} conditions; IoT Events allows ${MAX_TRIGGER_EXPRESSIONS_PER_STATE} trigger expressions per state. Move events into another state`);
    }
  }
  if (variables.size > MAX_VARIABLES) {
    problems.push(`${where} sets ${variables.size} variables; IoT Events allows ${MAX_VARIABLES} state variables per detector model definition`);
  }
  if (timers.size > MAX_TIMERS) {
    problems.push(`${where} sets ${timers.size} timers (${[...timers].join(', ')}); IoT Events schedules at most ${MAX_TIMERS} timers per detector. Reuse timer names`);
  }
  const json = JSON.stringify(def);
  if (!Token.isUnresolved(json)) {
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > MAX_DEFINITION_BYTES) {
      problems.push(`${where} definition is ${bytes} bytes; IoT Events accepts at most 512 KB (${MAX_DEFINITION_BYTES} bytes). Split it into several detector models`);
    }
  }
  throwProblems(where, problems);
}

function checkAction(problems: string[], where: string, action: ActionShape, variables: Set<string>, timers: Set<string>) {
  const keys = Object.keys(action ?? {}).filter((k) => (action as any)[k] !== undefined);
  const unknown = keys.filter((k) => !ACTION_TYPES.includes(k));
  if (unknown.length > 0) {
    // an action type IoT Events does not have (a typo, another service's name): say which, and the nearest
    problems.push(`${where} has ${unknown.map((k) => `'${k}'`).join(', ')}, which ${unknown.length > 1 ? 'are no action types' : 'is no action type'}: `
      + `${didYouMean(unknown[0], ACTION_TYPES)}the types are ${ACTION_TYPES.join(', ')}`);
    return;
  }
  if (keys.length !== 1) {
    problems.push(`${where} must have exactly one of ${ACTION_TYPES.join(', ')}, got ${keys.length ? keys.join(', ') : 'none'}; put each action in its own object`);
    return;
  }
  const type = keys[0];
  const a: any = (action as any)[type];
  const required = (field: string) => {
    if (a[field] === undefined) problems.push(`${where} ${type} needs ${field}`);
  };
  const payload = () => {
    if (a.payload === undefined) return;
    if (!['STRING', 'JSON'].includes(a.payload.type)) {
      problems.push(`${where} ${type} payload type must be STRING or JSON, got ${JSON.stringify(a.payload.type)}`);
    }
    checkString(problems, `${where} ${type} payload contentExpression`, a.payload.contentExpression, 1, MAX_CONTENT_EXPRESSION_LENGTH, undefined,
      'keep content expressions within 1 KB (IoT Events\' limit); send the large parts as separate actions');
  };
  switch (type) {
    case 'setVariable':
      required('variableName'); required('value');
      checkString(problems, `${where} setVariable variableName`, a.variableName, 1, 128, NAME_PATTERN,
        'start with a letter and use only letters, digits and underscores');
      checkString(problems, `${where} setVariable value`, a.value, 1, MAX_VALUE_LENGTH);
      if (typeof a.variableName === 'string') variables.add(a.variableName);
      break;
    case 'setTimer':
      required('timerName');
      if (a.seconds === undefined && a.durationExpression === undefined) {
        problems.push(`${where} setTimer '${a.timerName}' needs durationExpression (or the deprecated seconds)`);
      }
      if (a.seconds !== undefined && a.durationExpression !== undefined) {
        problems.push(`${where} setTimer '${a.timerName}' has both seconds (${JSON.stringify(a.seconds)}) and durationExpression `
          + `(${JSON.stringify(a.durationExpression)}), which IoT Events rejects (InvalidRequestException); keep one: durationExpression, `
          + 'as seconds is deprecated');
      }
      if (a.seconds !== undefined && !Token.isUnresolved(a.seconds)
        && (!Number.isInteger(a.seconds) || a.seconds < MIN_TIMER_SECONDS || a.seconds > MAX_TIMER_SECONDS)) {
        problems.push(`${where} setTimer '${a.timerName}' seconds must be an integer from 1 to 31622400, got ${JSON.stringify(a.seconds)}`
          + (typeof a.seconds === 'string' ? '; the API takes a JSON number here (write 60, not "60"), or a string in durationExpression' : ''));
      }
      checkString(problems, `${where} setTimer durationExpression`, a.durationExpression, 1, MAX_VALUE_LENGTH);
      if (literal(a.durationExpression) && /^\s*-?\d+(\.\d+)?\s*$/.test(a.durationExpression)) {
        const n = Math.floor(Number(a.durationExpression));
        if (n < MIN_TIMER_SECONDS || n > MAX_TIMER_SECONDS) {
          problems.push(`${where} setTimer '${a.timerName}' duration must be 1 to 31622400 seconds, got ${a.durationExpression}`);
        }
      }
      checkString(problems, `${where} setTimer timerName`, a.timerName, 1, 128);
      if (typeof a.timerName === 'string') timers.add(a.timerName);
      break;
    case 'resetTimer':
    case 'clearTimer':
      required('timerName');
      checkString(problems, `${where} ${type} timerName`, a.timerName, 1, 128);
      if (typeof a.timerName === 'string') timers.add(a.timerName);
      break;
    case 'sns':
      required('targetArn'); checkString(problems, `${where} sns targetArn`, a.targetArn, 1, 2048); payload(); break;
    case 'lambda':
      required('functionArn'); checkString(problems, `${where} lambda functionArn`, a.functionArn, 1, 2048); payload(); break;
    case 'iotTopicPublish':
      required('mqttTopic'); checkString(problems, `${where} iotTopicPublish mqttTopic`, a.mqttTopic, 1, 128); payload(); break;
    case 'iotEvents':
      required('inputName');
      checkString(problems, `${where} iotEvents inputName`, a.inputName, 1, 128, NAME_PATTERN,
        'name an input (start with a letter; letters, digits, underscores)');
      payload(); break;
    case 'sqs':
      required('queueUrl');
      if (a.useBase64 !== undefined && typeof a.useBase64 !== 'boolean' && !isIntrinsic(a.useBase64)) problems.push(`${where} sqs useBase64 must be a boolean, got ${JSON.stringify(a.useBase64)}`);
      payload(); break;
    case 'firehose':
      required('deliveryStreamName');
      if (a.separator !== undefined && !isIntrinsic(a.separator) && !FIREHOSE_SEPARATORS.includes(a.separator)) {
        problems.push(`${where} firehose separator must be one of '\\n', '\\t', '\\r\\n', ',', got ${JSON.stringify(a.separator)}`);
      }
      payload(); break;
    case 'dynamoDB':
      required('hashKeyField'); required('hashKeyValue'); required('tableName'); payload();
      break;
    case 'dynamoDBv2':
      required('tableName'); payload();
      if (a.payload !== undefined && a.payload.type !== 'JSON') {
        problems.push(`${where} dynamoDBv2 payload type must be JSON (each attribute becomes a column), got ${JSON.stringify(a.payload.type)}`);
      }
      break;
    case 'iotSiteWise': {
      if (a.propertyAlias === undefined && (a.assetId === undefined || a.propertyId === undefined)) {
        problems.push(`${where} iotSiteWise needs a propertyAlias, or both assetId and propertyId`);
      }
      const value = a.propertyValue?.value;
      const variants = value ? Object.keys(value).filter((k) => value[k] !== undefined) : [];
      if (a.propertyValue === undefined || variants.length !== 1) {
        problems.push(`${where} iotSiteWise propertyValue.value must have exactly one of stringValue, integerValue, doubleValue, booleanValue, got ${variants.length ? variants.join(', ') : 'none'}`);
      }
      break;
    }
  }
}
