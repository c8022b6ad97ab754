/**
 * The runtime's parts wired from the environment the constructs set (runtime contract):
 * `DETECTOR_TABLE_NAME`, `DETECTOR_QUEUE_URL` (and optionally `DETECTOR_QUEUE_ARN`), `DETECTOR_MODEL_NAMES`,
 * `DETECTOR_SCHEDULE_GROUP`, `DETECTOR_SCHEDULER_ROLE_ARN`, `DETECTOR_IOT_DATA_ENDPOINT` (optional),
 * `DETECTOR_KINESIS_INPUTS`, `DETECTOR_QUEUE_INPUTS`. Clients can be passed in (tests, the local harness).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { IoTSiteWiseClient } from '@aws-sdk/client-iotsitewise';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ActionClients, executeAction } from './actions';
import { AwsDetectorBackend } from './aws-backend';
import { Ingest } from './ingest';
import { ModelRegistry, TableModelSource } from './models';
import { ProcessDeps } from './process';
import { DetectorStateStore } from './state-store';
import { TimerScheduler, queueArnFromUrl } from './timers';

/** The AWS clients the runtime uses. */
export interface RuntimeClients extends ActionClients {
  readonly scheduler: SchedulerClient;
}

/** Everything the handlers need. */
export interface DetectorRuntimeParts {
  readonly env: RuntimeEnv;
  readonly clients: RuntimeClients;
  readonly store: DetectorStateStore;
  readonly models: ModelRegistry;
  readonly ingest: Ingest;
  readonly timers: TimerScheduler;
  readonly backend: AwsDetectorBackend;
  readonly processDeps: ProcessDeps;
}

/** The environment, read and checked. */
export interface RuntimeEnv {
  readonly tableName: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly modelNames: string[];
  readonly scheduleGroup: string;
  readonly schedulerRoleArn: string;
  readonly iotDataEndpoint?: string;
  /** Stream ARN → input name. */
  readonly kinesisInputs: Record<string, string>;
  /** Queue ARN → input name. */
  readonly queueInputs: Record<string, string>;
}

export function readRuntimeEnv(env: NodeJS.ProcessEnv): RuntimeEnv {
  const need = (name: string): string => {
    const v = env[name];
    if (v === undefined || v === '') throw new Error(`environment variable ${name} is not set; the DetectorRuntime construct sets it on every runtime function`);
    return v;
  };
  const json = (name: string): Record<string, string> => {
    const v = env[name];
    if (v === undefined || v === '') return {};
    try {
      return JSON.parse(v);
    } catch (e) {
      throw new Error(`environment variable ${name} must be a JSON object of ARN to input name, got ${v.slice(0, 80)} (${(e as Error).message})`);
    }
  };
  const queueUrl = need('DETECTOR_QUEUE_URL');
  return {
    tableName: need('DETECTOR_TABLE_NAME'),
    queueUrl,
    queueArn: env.DETECTOR_QUEUE_ARN || queueArnFromUrl(queueUrl),
    modelNames: (env.DETECTOR_MODEL_NAMES ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    scheduleGroup: env.DETECTOR_SCHEDULE_GROUP ?? 'default',
    schedulerRoleArn: env.DETECTOR_SCHEDULER_ROLE_ARN ?? '',
    ...(env.DETECTOR_IOT_DATA_ENDPOINT ? { iotDataEndpoint: env.DETECTOR_IOT_DATA_ENDPOINT } : {}),
    kinesisInputs: json('DETECTOR_KINESIS_INPUTS'),
    queueInputs: json('DETECTOR_QUEUE_INPUTS'),
  };
}

export function defaultClients(env: RuntimeEnv): RuntimeClients {
  const endpoint = env.iotDataEndpoint ? (env.iotDataEndpoint.startsWith('https://') ? env.iotDataEndpoint : `https://${env.iotDataEndpoint}`) : undefined;
  return {
    dynamodb: new DynamoDBClient({}),
    sqs: new SQSClient({}),
    scheduler: new SchedulerClient({}),
    sns: new SNSClient({}),
    lambda: new LambdaClient({}),
    iotData: new IoTDataPlaneClient(endpoint ? { endpoint } : {}),
    firehose: new FirehoseClient({}),
    sitewise: new IoTSiteWiseClient({}),
  };
}

export function createRuntime(env: RuntimeEnv, clients: RuntimeClients = defaultClients(env), now: () => number = Date.now): DetectorRuntimeParts {
  const doc = DynamoDBDocumentClient.from(clients.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const store = new DetectorStateStore(doc, env.tableName);
  const models = new ModelRegistry(new TableModelSource(doc, env.tableName), env.modelNames, 60_000, now);
  const ingest = new Ingest(clients.sqs, env.queueUrl, models);
  const timers = new TimerScheduler({
    client: clients.scheduler, groupName: env.scheduleGroup, queueArn: env.queueArn, roleArn: env.schedulerRoleArn, now,
  });
  const backend = new AwsDetectorBackend({ store, models, ingest, now });
  const processDeps: ProcessDeps = {
    store,
    models,
    timers,
    now,
    execute: (entry, ctx) => executeAction(entry, clients, {
      ...ctx,
      reinject: async (inputName, messageId, payload, timestampMs) => {
        // a message that reaches no detector (no key, unknown input) is dropped, as IoT Events drops it;
        // only a queue failure fails the action (and so retries the pack)
        const failed = (await ingest.putMessages([{ messageId, inputName, payload, timestampMs }]))
          .filter((f) => f.errorCode === 'InternalFailureException' || f.errorCode === 'ThrottlingException');
        if (failed.length > 0) throw new Error(`iotEvents action to input '${inputName}': ${failed.map((f) => `${f.errorCode}: ${f.errorMessage}`).join('; ')}`);
      },
    }),
  };
  return { env, clients, store, models, ingest, timers, backend, processDeps };
}
