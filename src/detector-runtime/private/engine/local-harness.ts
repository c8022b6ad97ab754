/**
 * Runs the detector runtime's engine on one machine, for the end-to-end test and the bench: a real
 * DynamoDB (`dynalite`, in memory, on a random port) holds the state and the models; the SQS FIFO queue
 * and EventBridge Scheduler are in-memory fakes behind the real SDK clients (a middleware answers their
 * commands, so the runtime's code runs unchanged and every request is counted); external actions are
 * recorded. Messages arrive as Kinesis events (a Stream Manager export) in batching windows; the ingest
 * and processor handlers' bodies (`handleIngestEvent`, `createProcessorHandler`) run on them as Lambda
 * would, FIFO group order and partial batch failures included. Time is simulated: schedules fire when the
 * clock passes their `at(...)` time.
 *
 * Test and bench code only: never bundled into a handler (dynalite is a dev dependency).
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { IoTSiteWiseClient } from '@aws-sdk/client-iotsitewise';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ConflictException, ResourceNotFoundException, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { KinesisStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { handleIngestEvent } from './ingest-events';
import { ModelDefinition, modelPk } from './models';
import { createProcessorHandler } from './processor';
import { RequestCounter } from './request-counter';
import { DetectorRuntimeParts, RuntimeClients, RuntimeEnv, createRuntime } from './runtime';

/** A message sent by a device. */
export interface LocalMessage {
  readonly inputName: string;
  /** A JSON value or its text. */
  readonly payload: unknown;
  readonly timestampMs: number;
}

export interface LocalRunOptions {
  /** The models (`{ detectorModel, inputs }`, names in `detectorModel.detectorModelName`). */
  readonly models: ModelDefinition[];
  /** The messages, in any order (sorted by time). */
  readonly messages: LocalMessage[];
  /** The Kinesis event source's batching window (ms). @default 10000 */
  readonly batchWindowMs?: number;
  /** The Kinesis event source's batch size. @default 10000 */
  readonly batchSize?: number;
  /** Run timers until this time (ms) after the last message. @default the last message's time */
  readonly untilMs?: number;
  /** Keep dynalite running after the run (call `close()`). @default false */
  readonly keepOpen?: boolean;
}

/** What a local run did. */
export interface LocalRunResult {
  readonly counter: RequestCounter;
  readonly invocations: { readonly ingest: number; readonly processor: number };
  /** Metrics the processor published, summed. */
  readonly metrics: Record<string, number>;
  /** External actions, as the commands sent (`{ service, operation, input }`). */
  readonly actions: Array<{ service: string; operation: string; input: any }>;
  /** Schedules that fired (EventBridge Scheduler invocations). */
  readonly scheduleFirings: number;
  /** Packs that went to the dead-letter queue. */
  readonly deadLetters: number;
  readonly runtime: DetectorRuntimeParts;
  /** The simulated time at the end. */
  readonly nowMs: number;
  /** Processes what the queue holds (after a Data API call on `runtime.backend`). */
  drain(): Promise<void>;
  /** Moves the clock to `t` (epoch ms), firing the schedules due on the way. */
  advanceTo(t: number): Promise<void>;
  close(): Promise<void>;
}

const TABLE = 'detector-runtime-local';
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/local-detector-events.fifo';
/** One Kinesis stream per input (a Stream Manager export each). */
const streamArn = (inputName: string) => `arn:aws:kinesis:us-east-1:123456789012:stream/${inputName}`;
const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

type Handler = (input: any) => any | Promise<any>;

/** Answers a client's commands in memory (before anything is sent) for the commands in `handlers`. */
function intercept<T extends { middlewareStack: { add: (...a: any[]) => void } }>(client: T, handlers: Record<string, Handler>): T {
  client.middlewareStack.add((next: any, context: any) => async (args: any) => {
    const h = handlers[String(context.commandName).replace(/Command$/, '')];
    if (!h) return next(args);
    return { output: { $metadata: {}, ...(await h(args.input)) }, response: {} };
  }, { step: 'initialize', priority: 'low', name: 'localIntercept' });
  return client;
}

interface QueuedMessage {
  readonly id: string;
  readonly body: string;
  readonly groupId: string;
  receives: number;
}

/** A FIFO queue: per-group order, one batch in flight, deduplication ids remembered. */
class FifoQueue {
  private readonly groups = new Map<string, QueuedMessage[]>();
  private readonly dedup = new Set<string>();
  private counter = 0;

  public send(body: string, groupId: string, dedupId: string): string {
    const id = `m${++this.counter}`;
    if (this.dedup.has(dedupId)) return id;
    this.dedup.add(dedupId);
    const g = this.groups.get(groupId) ?? [];
    g.push({ id, body, groupId, receives: 0 });
    this.groups.set(groupId, g);
    return id;
  }

  /** Up to 10 messages, groups in order, each group's messages in order. */
  public receive(max = 10): QueuedMessage[] {
    const out: QueuedMessage[] = [];
    for (const [, g] of this.groups) {
      for (const m of g) {
        if (out.length === max) return out;
        out.push(m);
      }
    }
    return out;
  }

  public delete(m: QueuedMessage): void {
    const g = this.groups.get(m.groupId)!;
    g.splice(g.indexOf(m), 1);
    if (g.length === 0) this.groups.delete(m.groupId);
  }

  public get size(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.length;
    return n;
  }
}

/** Starts dynalite on a random port of 127.0.0.1. */
export async function startDynalite(): Promise<{ endpoint: string; close: () => Promise<void> }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite');
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Creates the detector table as the DetectorRuntime construct does (pk, GSI byModel). */
export async function createDetectorTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'detectorModelName', AttributeType: 'S' },
      { AttributeName: 'keyValue', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{
      IndexName: 'byModel',
      KeySchema: [{ AttributeName: 'detectorModelName', KeyType: 'HASH' }, { AttributeName: 'keyValue', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
  }));
}

/** Runs messages through the engine (see the file header). */
export async function runEngineLocally(opts: LocalRunOptions): Promise<LocalRunResult> {
  const db = await startDynalite();
  const counter = new RequestCounter();
  let nowMs = 0;
  const now = () => nowMs;
  const queue = new FifoQueue();
  const schedules = new Map<string, { input: any; atMs: number }>();
  const actions: Array<{ service: string; operation: string; input: any }> = [];
  const record = (service: string, operation: string) => (input: any) => {
    actions.push({ service, operation, input });
    return {};
  };

  const dynamodb = counter.attach(new DynamoDBClient({ ...LOCAL, endpoint: db.endpoint }), 'DynamoDB');
  const sqs = intercept(counter.attach(new SQSClient({ ...LOCAL, md5: false }), 'SQS'), {
    SendMessageBatch: (input) => {
      if (input.QueueUrl !== QUEUE_URL) throw new Error(`local harness: SendMessageBatch to ${input.QueueUrl}`);
      const Successful = input.Entries.map((e: any) => ({
        Id: e.Id,
        MessageId: queue.send(e.MessageBody, e.MessageGroupId, e.MessageDeduplicationId),
      }));
      return { Successful, Failed: [] };
    },
    SendMessage: (input) => {
      if (input.QueueUrl === QUEUE_URL) return { MessageId: queue.send(input.MessageBody, input.MessageGroupId, input.MessageDeduplicationId) };
      return record('SQS', 'SendMessage')(input);
    },
  });
  const scheduler = intercept(counter.attach(new SchedulerClient(LOCAL), 'Scheduler'), {
    CreateSchedule: (input) => {
      if (schedules.has(input.Name)) throw new ConflictException({ message: `schedule ${input.Name} exists`, Message: `schedule ${input.Name} exists`, $metadata: {} });
      schedules.set(input.Name, { input, atMs: atMs(input.ScheduleExpression) });
      return { ScheduleArn: `arn:aws:scheduler:us-east-1:123456789012:schedule/${input.GroupName}/${input.Name}` };
    },
    UpdateSchedule: (input) => {
      if (!schedules.has(input.Name)) throw new ResourceNotFoundException({ message: `schedule ${input.Name} does not exist`, Message: `schedule ${input.Name} does not exist`, $metadata: {} });
      schedules.set(input.Name, { input, atMs: atMs(input.ScheduleExpression) });
      return { ScheduleArn: `arn:aws:scheduler:us-east-1:123456789012:schedule/${input.GroupName}/${input.Name}` };
    },
    DeleteSchedule: (input) => {
      if (!schedules.delete(input.Name)) throw new ResourceNotFoundException({ message: `schedule ${input.Name} does not exist`, Message: `schedule ${input.Name} does not exist`, $metadata: {} });
      return {};
    },
  });
  const clients: RuntimeClients = {
    dynamodb,
    sqs,
    scheduler,
    sns: intercept(counter.attach(new SNSClient(LOCAL), 'SNS'), { Publish: record('SNS', 'Publish') }),
    lambda: intercept(counter.attach(new LambdaClient(LOCAL), 'Lambda'), { Invoke: record('Lambda', 'Invoke') }),
    iotData: intercept(counter.attach(new IoTDataPlaneClient(LOCAL), 'IoTDataPlane'), { Publish: record('IoTDataPlane', 'Publish') }),
    firehose: intercept(counter.attach(new FirehoseClient(LOCAL), 'Firehose'), { PutRecord: record('Firehose', 'PutRecord') }),
    sitewise: intercept(counter.attach(new IoTSiteWiseClient(LOCAL), 'IoTSiteWise'), {
      BatchPutAssetPropertyValue: (input) => ({ ...record('IoTSiteWise', 'BatchPutAssetPropertyValue')(input), errorEntries: [] }),
    }),
  };

  await createDetectorTable(dynamodb, TABLE);
  const doc = DynamoDBDocumentClient.from(dynamodb);
  for (const m of opts.models) {
    await doc.send(new PutCommand({
      TableName: TABLE,
      Item: { pk: modelPk(m.detectorModel.detectorModelName), definition: JSON.stringify(m), version: '1' },
    }));
  }
  const inputNames = [...new Set(opts.models.flatMap((m) => m.inputs.map((i) => i.inputName)))];
  const env: RuntimeEnv = {
    tableName: TABLE,
    queueUrl: QUEUE_URL,
    queueArn: 'arn:aws:sqs:us-east-1:123456789012:local-detector-events.fifo',
    modelNames: opts.models.map((m) => m.detectorModel.detectorModelName),
    scheduleGroup: 'detectors',
    schedulerRoleArn: 'arn:aws:iam::123456789012:role/scheduler',
    kinesisInputs: Object.fromEntries(inputNames.map((n) => [streamArn(n), n])),
    queueInputs: {},
  };
  const runtime = createRuntime(env, clients, now);
  const metrics: Record<string, number> = {};
  const processor = createProcessorHandler(runtime.processDeps, { warn: () => undefined, error: () => undefined }, {
    addMetric: (name: string, _unit: unknown, value: number) => {
      metrics[name] = (metrics[name] ?? 0) + value;
    },
    publishStoredMetrics: () => undefined,
  });
  const invocations = { ingest: 0, processor: 0 };
  let deadLetters = 0;
  let scheduleFirings = 0;
  let seq = 0;

  const drain = async () => {
    while (queue.size > 0) {
      const batch = queue.receive(10);
      const event: SQSEvent = { Records: batch.map((m) => sqsRecord(m, nowMs)) };
      invocations.processor++;
      const res = await processor(event, {} as any);
      const failed = new Set(res.batchItemFailures.map((f) => f.itemIdentifier));
      for (const m of batch) {
        m.receives++;
        if (!failed.has(m.id)) {queue.delete(m);} else if (m.receives >= 5) {
          queue.delete(m);
          deadLetters++;
        }
      }
    }
  };
  // Schedules due in the same second are enqueued together (as Scheduler fires them), then drained.
  const fireSchedulesUntil = async (t: number) => {
    for (;;) {
      const first = Math.min(...[...schedules.values()].map((s) => s.atMs));
      if (!Number.isFinite(first) || first > t) return;
      nowMs = Math.max(nowMs, first);
      for (const [name, s] of [...schedules.entries()].filter(([, x]) => x.atMs < first + 1000).sort(([, a], [, b]) => a.atMs - b.atMs)) {
        schedules.delete(name); // ActionAfterCompletion: DELETE
        scheduleFirings++;
        // content-based deduplication (the queue setting Scheduler needs)
        queue.send(s.input.Target.Input, s.input.Target.SqsParameters.MessageGroupId, createHash('sha256').update(s.input.Target.Input).digest('hex'));
      }
      await drain();
    }
  };

  const messages = [...opts.messages].sort((a, b) => a.timestampMs - b.timestampMs);
  const window = opts.batchWindowMs ?? 10_000;
  const size = opts.batchSize ?? 10_000;
  for (let i = 0; i < messages.length;) {
    const start = messages[i].timestampMs;
    const batch: LocalMessage[] = [];
    while (i < messages.length && batch.length < size && messages[i].timestampMs < start + window) batch.push(messages[i++]);
    const arrival = Math.max(batch[batch.length - 1].timestampMs, start + window);
    await fireSchedulesUntil(start);
    nowMs = Math.max(nowMs, arrival);
    const event: KinesisStreamEvent = {
      Records: batch.map((m) => {
        const s = String(++seq).padStart(20, '0');
        return {
          eventID: `shardId-000000000000:${s}`,
          eventSource: 'aws:kinesis',
          eventSourceARN: streamArn(m.inputName),
          eventName: 'aws:kinesis:record',
          eventVersion: '1.0',
          awsRegion: 'us-east-1',
          invokeIdentityArn: 'arn:aws:iam::123456789012:role/ingest',
          kinesis: {
            kinesisSchemaVersion: '1.0',
            // Stream Manager gives every record a random partition key
            partitionKey: createHash('sha256').update(s).digest('hex').slice(0, 16),
            sequenceNumber: s,
            data: Buffer.from(typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload)).toString('base64'),
            approximateArrivalTimestamp: m.timestampMs / 1000,
          },
        };
      }),
    };
    invocations.ingest++;
    await handleIngestEvent(event, runtime.ingest, { kinesis: env.kinesisInputs, queues: {} }, { warn: () => undefined });
    await drain();
  }
  await fireSchedulesUntil(opts.untilMs ?? nowMs);
  nowMs = Math.max(nowMs, opts.untilMs ?? nowMs);

  const close = async () => {
    dynamodb.destroy();
    await db.close();
  };
  if (!opts.keepOpen) await close();
  return {
    counter,
    invocations,
    metrics,
    actions,
    runtime,
    close,
    drain,
    get scheduleFirings() {
      return scheduleFirings;
    },
    get deadLetters() {
      return deadLetters;
    },
    get nowMs() {
      return nowMs;
    },
    advanceTo: async (t: number) => {
      await fireSchedulesUntil(t);
      nowMs = Math.max(nowMs, t);
    },
  };
}

function atMs(expression: string): number {
  const m = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  if (!m) throw new Error(`local harness: not a one-time schedule expression: ${expression}`);
  return Date.parse(`${m[1]}Z`);
}

function sqsRecord(m: QueuedMessage, nowMs: number): SQSRecord {
  return {
    messageId: m.id,
    receiptHandle: m.id,
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receives + 1),
      SentTimestamp: String(nowMs),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(nowMs),
      MessageGroupId: m.groupId,
      MessageDeduplicationId: m.id,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:local-detector-events.fifo',
    awsRegion: 'us-east-1',
  };
}
