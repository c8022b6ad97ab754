import { CustomResource, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DetectorModel, DetectorSeedOptions } from './detector-model';
import { BATCH_PUT_MESSAGE, BATCH_UPDATE_DETECTOR, DataApiMethod } from './private/runtime-names';
import { SEED_RESOURCE_TYPE, SeedResourceProperties } from './private/seed/api';
import { seedProvider } from './private/seed-provider';
import type { Message, UpdateDetectorRequest } from '../detector/simulator';
import { CompiledDetectorModel, MAX_TIMER_SECONDS, keyValueOf } from '../private/detector-engine/evaluator';
import { didYouMean, nearMiss, quotedList } from '../private/near-miss';

/**
 * Properties of a detector seed.
 */
export interface DetectorSeedProps extends DetectorSeedOptions {
  /** The model seeded (its registration runs first). */
  readonly model: DetectorModel;
}

const MESSAGE_ID = /^[a-zA-Z0-9_-]{1,64}$/;
/** A detector key value, as the Data API and the runtime accept it. */
const KEY_VALUE = /^[a-zA-Z0-9\-_:]{1,128}$/;

/**
 * Calls the runtime's Data API during `cdk deploy`, after the model is registered: `BatchUpdateDetector` with
 * `detectors`, then `BatchPutMessage` with `messages`, on every Create and Update (in batches of 10; an entry
 * the API rejects fails the deployment with its error code), nothing on Delete. The deploy-time function may
 * invoke exactly those two methods (`execute-api:Invoke`).
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/apireference/API_iotevents-data_BatchPutMessage.html
 */
export class DetectorSeed extends Construct {
  constructor(scope: Construct, id: string, props: DetectorSeedProps) {
    super(scope, id);
    const model = props.model;
    const where = `DetectorSeed ${this.node.path}`;
    const messages = props.messages ?? [];
    const detectors = props.detectors ?? [];
    if (messages.length === 0 && detectors.length === 0) {
      throw new Error(`${where}: messages and detectors are both empty; give the messages to send or the detectors to set`);
    }
    for (const m of messages) checkMessage(where, model.detectorModelName, model._compiled, m);
    for (const d of detectors) {
      if (!MESSAGE_ID.test(d.messageId ?? '')) {
        throw new Error(`${where}: detector entry messageId '${d.messageId}' must be 1-64 characters of a-z, A-Z, 0-9, _ and -`);
      }
      if (d.detectorModelName !== model.detectorModelName) {
        throw new Error(`${where}: detector entry '${d.messageId}' has detectorModelName '${d.detectorModelName}'; a seed of model `
          + `'${model.detectorModelName}' updates its own detectors only: use '${model.detectorModelName}'`);
      }
      checkDetector(where, model.detectorModelName, model._compiled, d);
    }

    const runtime = model.runtime;
    const provider = seedProvider(this, runtime);
    const methods: DataApiMethod[] = [];
    if (messages.length > 0) methods.push(BATCH_PUT_MESSAGE);
    if (detectors.length > 0) methods.push(BATCH_UPDATE_DETECTOR);
    runtime._grantMethods(provider.onEventFunction, methods);

    const stack = Stack.of(this);
    const properties: SeedResourceProperties = {
      Endpoint: runtime.apiUrl,
      Region: stack.region,
      Messages: stack.toJsonString(messages.map((m) => ({ ...m, payload: typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload) }))),
      Detectors: stack.toJsonString(detectors),
      ModelVersion: model._version,
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: SEED_RESOURCE_TYPE,
      properties,
    });
    resource.node.addDependency(model.registration);
    // The endpoint refers to the deployed stage; the queue must be consumed before the seed's messages are sent.
    resource.node.addDependency(runtime.processorFunction);
  }
}

/**
 * What the Data API would refuse, or accept and drop, in a seed message, checked against the model at synth: the
 * input must be one the model reads, the payload JSON, and the model's key in it.
 */
function checkMessage(where: string, modelName: string, compiled: CompiledDetectorModel, m: Message): void {
  if (!MESSAGE_ID.test(m.messageId ?? '')) {
    throw new Error(`${where}: messageId '${m.messageId}' must be 1-64 characters of a-z, A-Z, 0-9, _ and -`);
  }
  const what = `message '${m.messageId}'`;
  if (Token.isUnresolved(m.inputName)) return;
  if (!compiled.inputNames.has(m.inputName)) {
    throw new Error(`${where}: ${what} is sent to input '${m.inputName}', which detector model '${modelName}' does not read, so it would reach `
      + `none of its detectors; ${didYouMean(m.inputName, compiled.inputNames)}use one of ${quotedList(compiled.inputNames)}`);
  }
  if (compiled.key === undefined || (typeof m.payload === 'string' && Token.isUnresolved(m.payload))) return;
  let payload: unknown = m.payload;
  if (typeof m.payload === 'string') {
    try {
      payload = JSON.parse(m.payload);
    } catch (e) {
      throw new Error(`${where}: ${what} has a payload that is not JSON (${(e as Error).message}): ${m.payload.slice(0, 80)}; `
        + 'give a JSON text or a JSON value');
    }
  }
  const keyValue = keyValueOf(compiled, m.inputName, payload);
  if (keyValue === undefined) {
    const steps = compiled.key.split('.');
    let parent: unknown = payload;
    for (const step of steps.slice(0, -1)) parent = parent && typeof parent === 'object' ? (parent as Record<string, unknown>)[step] : undefined;
    const present = parent && typeof parent === 'object' && !Array.isArray(parent) ? Object.keys(parent) : [];
    const near = nearMiss(steps[steps.length - 1], present);
    throw new Error(`${where}: ${what} has no ${compiled.key} in its payload, the key of detector model '${modelName}', so it would reach no `
      + `detector${near ? `; its attribute '${near}' looks like a misspelling of it` : ''}; add "${compiled.key}" (a string or a number) to the payload`);
  }
  if (!Token.isUnresolved(keyValue) && !KEY_VALUE.test(keyValue)) {
    throw new Error(`${where}: ${what} has ${compiled.key} ${JSON.stringify(keyValue)}, which is not a key value (1-128 characters of letters, `
      + "digits, '-', '_' and ':'); use such a value");
  }
}

/** What BatchUpdateDetector would refuse, or store and never use, in a seed detector entry, checked against the model at synth. */
function checkDetector(where: string, modelName: string, compiled: CompiledDetectorModel, d: UpdateDetectorRequest): void {
  const what = `detector entry '${d.messageId}'`;
  if (compiled.key !== undefined) {
    if (d.keyValue === undefined) {
      throw new Error(`${where}: ${what} has no keyValue, but detector model '${modelName}' has the key ${compiled.key}; give the keyValue of the detector to set`);
    }
    if (!Token.isUnresolved(d.keyValue) && !KEY_VALUE.test(d.keyValue)) {
      throw new Error(`${where}: ${what} has keyValue ${JSON.stringify(d.keyValue)}, which is not a key value (1-128 characters of letters, `
        + "digits, '-', '_' and ':'); use such a value");
    }
  }
  const state = d.state;
  if (!state || Token.isUnresolved(state.stateName)) return;
  if (!compiled.stateNames.includes(state.stateName)) {
    throw new Error(`${where}: ${what} sets state '${state.stateName}', which is not a state of detector model '${modelName}'`
      + `; ${didYouMean(state.stateName, compiled.stateNames)}use one of ${quotedList(compiled.stateNames)}`);
  }
  for (const v of state.variables ?? []) {
    if (Token.isUnresolved(v.name) || compiled.variableNames.has(v.name)) continue;
    throw new Error(`${where}: ${what} sets variable '${v.name}', which detector model '${modelName}' never sets or reads`
      + `; ${didYouMean(v.name, compiled.variableNames)}use one of its variables: ${quotedList(compiled.variableNames)}`);
  }
  for (const t of state.timers ?? []) {
    if (!Token.isUnresolved(t.name) && !compiled.timerNames.has(t.name)) {
      throw new Error(`${where}: ${what} sets timer '${t.name}', which detector model '${modelName}' never sets`
        + `; ${didYouMean(t.name, compiled.timerNames)}use one of its timers: ${quotedList(compiled.timerNames)}`);
    }
    if (!Token.isUnresolved(t.seconds) && (!Number.isInteger(t.seconds) || t.seconds < 1 || t.seconds > MAX_TIMER_SECONDS)) {
      throw new Error(`${where}: ${what} sets timer '${t.name}' to ${t.seconds} seconds; use a whole number from 1 to ${MAX_TIMER_SECONDS}`);
    }
  }
}
