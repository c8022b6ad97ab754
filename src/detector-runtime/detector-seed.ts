import { CustomResource, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DetectorModel, DetectorSeedOptions } from './detector-model';
import { BATCH_PUT_MESSAGE, BATCH_UPDATE_DETECTOR, DataApiMethod } from './private/runtime-names';
import { SEED_RESOURCE_TYPE, SeedResourceProperties } from './private/seed/api';
import { seedProvider } from './private/seed-provider';

/**
 * Properties of a detector seed.
 */
export interface DetectorSeedProps extends DetectorSeedOptions {
  /** The model seeded (its registration runs first). */
  readonly model: DetectorModel;
}

const MESSAGE_ID = /^[a-zA-Z0-9_-]{1,64}$/;

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
    const inputNames = model.inputs.map((i) => i.inputName);
    for (const m of messages) {
      if (!MESSAGE_ID.test(m.messageId ?? '')) {
        throw new Error(`${where}: messageId '${m.messageId}' must be 1-64 characters of a-z, A-Z, 0-9, _ and -`);
      }
      if (!inputNames.includes(m.inputName)) {
        throw new Error(`${where}: message '${m.messageId}' is sent to input '${m.inputName}', which model '${model.detectorModelName}' does not read; `
          + `use one of ${inputNames.map((n) => `'${n}'`).join(', ')}`);
      }
    }
    for (const d of detectors) {
      if (!MESSAGE_ID.test(d.messageId ?? '')) {
        throw new Error(`${where}: detector entry messageId '${d.messageId}' must be 1-64 characters of a-z, A-Z, 0-9, _ and -`);
      }
      if (d.detectorModelName !== model.detectorModelName) {
        throw new Error(`${where}: detector entry '${d.messageId}' has detectorModelName '${d.detectorModelName}'; a seed of model `
          + `'${model.detectorModelName}' updates its own detectors only: use '${model.detectorModelName}'`);
      }
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
