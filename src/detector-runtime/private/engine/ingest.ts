/**
 * Ingest routing: messages for inputs (BatchPutMessage, Kinesis exports, topic-rule queues, `iotEvents`
 * re-injection) → works for the detectors that read them → SQS FIFO SendMessageBatch.
 *
 * - A message goes to every model that reads its input (`compiled.inputNames`), to the detector of its key
 *   (`keyValueOf`); a model without a key has one detector (key value `""`).
 * - Works are grouped per detector and sorted by timestamp (stable: arrival order breaks ties), then packed:
 *   as many works per SQS message as fit in 256 KiB, so that one processor invocation evaluates many
 *   messages. MessageGroupId `<model>#<keyValue>`; MessageDeduplicationId = sha256 of the pack's work ids, so
 *   a retried ingest (within SQS' 5-minute deduplication interval) does not enqueue a pack twice.
 * - Entries go out in SendMessageBatch requests of at most 10 entries and 256 KiB; entries SQS refuses are
 *   sent again once, then reported as failures of their messages.
 */
import { SendMessageBatchCommand, SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { LoadedModel, ModelRegistry } from './models';
import { MAX_SQS_BATCH_ENTRIES, MAX_SQS_MESSAGE_BYTES, MessageWork, Work, WorkPack, deduplicationId, messageGroupId } from './work';
import { KEY_VALUE_PATTERN } from '../../../private/detector-engine/data-api-limits';
import { keyValueOf } from '../../../private/detector-engine/evaluator';

/** A message for an input. */
export interface InputMessage {
  /** Kinesis `<shardId>:<sequenceNumber>`, the SQS messageId, the Data API's messageId (unique within its request). */
  readonly messageId: string;
  /**
   * Unique per delivery, when `messageId` is not (the Data API: `<request id>:<entry index>`); the work's id, which
   * redelivery detection keys on, is built from it.
   */
  readonly deliveryId?: string;
  readonly inputName: string;
  /** The payload, JSON text. */
  readonly payload: string;
  readonly timestampMs: number;
}

/** Why a message was not enqueued, as the Data API reports it. */
export interface IngestError {
  readonly messageId: string;
  readonly errorCode: 'InvalidRequestException' | 'ResourceNotFoundException' | 'InternalFailureException' | 'ThrottlingException';
  readonly errorMessage: string;
}

/** Works for one detector, before packing. */
export interface DetectorWorks {
  readonly detectorModelName: string;
  readonly keyValue: string;
  readonly works: Work[];
  /** The message ids whose works these are (to report an SQS failure against them). */
  readonly sources: string[];
}

/** What a pack's JSON adds around its works, and the group/dedup ids in a batch request (generous). */
const PACK_OVERHEAD_BYTES = 1024;

/** Routes messages to detectors. Errors for messages that reach no detector. */
export function routeMessages(
  models: readonly LoadedModel[], inputNames: ReadonlySet<string>, messages: readonly InputMessage[],
): { detectors: DetectorWorks[]; errors: IngestError[] } {
  const errors: IngestError[] = [];
  const byDetector = new Map<string, DetectorWorks>();
  for (const m of messages) {
    if (!inputNames.has(m.inputName)) {
      errors.push({ messageId: m.messageId, errorCode: 'ResourceNotFoundException', errorMessage: `input '${m.inputName}' does not exist; the runtime has ${[...inputNames].join(', ') || 'no inputs'}` });
      continue;
    }
    let payload: unknown;
    try {
      // only the key is read here (an integral decimal key, 20.0, is "20" either way); the processor reads the
      // text again with parseJsonText
      payload = JSON.parse(m.payload);
    } catch (e) {
      errors.push({ messageId: m.messageId, errorCode: 'InvalidRequestException', errorMessage: `payload is not valid JSON (${(e as Error).message}): ${m.payload.slice(0, 80)}` });
      continue;
    }
    const work: MessageWork = {
      kind: 'message',
      messageId: m.messageId,
      ...(m.deliveryId !== undefined ? { deliveryId: m.deliveryId } : {}),
      inputName: m.inputName,
      payload: m.payload,
      timestampMs: m.timestampMs,
    };
    const problems: string[] = [];
    let routed = 0;
    for (const model of models) {
      if (!model.compiled.inputNames.has(m.inputName)) continue;
      let keyValue = '';
      if (model.compiled.key !== undefined) {
        const k = keyValueOf(model.compiled, m.inputName, payload);
        if (k === undefined || k.length > 128 || !KEY_VALUE_PATTERN.test(k)) {
          problems.push(k === undefined
            ? `the payload has no ${model.compiled.key}, the key of detector model '${model.name}'`
            : `key value ${JSON.stringify(k)} of detector model '${model.name}' is not 1-128 characters of letters, digits, '-', '_' and ':'`);
          continue;
        }
        keyValue = k;
      }
      const id = `${model.name}\u0000${keyValue}`;
      let d = byDetector.get(id);
      if (!d) {
        d = { detectorModelName: model.name, keyValue, works: [], sources: [] };
        byDetector.set(id, d);
      }
      d.works.push(work);
      d.sources.push(m.messageId);
      routed++;
    }
    if (routed === 0 && problems.length > 0) {
      errors.push({ messageId: m.messageId, errorCode: 'InvalidRequestException', errorMessage: problems.join('; ') });
    }
  }
  const detectors = [...byDetector.values()];
  for (const d of detectors) sortByTime(d);
  return { detectors, errors };
}

function sortByTime(d: DetectorWorks): void {
  const order = d.works.map((w, i) => ({ w, s: d.sources[i], i, t: w.kind === 'timer' ? w.dueAtMs : w.timestampMs }));
  order.sort((a, b) => a.t - b.t || a.i - b.i);
  d.works.splice(0, d.works.length, ...order.map((o) => o.w));
  d.sources.splice(0, d.sources.length, ...order.map((o) => o.s));
}

/** One SendMessageBatch entry and the messages in it. */
export interface PackEntry {
  readonly entry: SendMessageBatchRequestEntry;
  readonly sources: string[];
  readonly bytes: number;
}

/** Packs each detector's works into SQS messages of at most 256 KiB. */
export function packWorks(detectors: readonly DetectorWorks[]): PackEntry[] {
  const out: PackEntry[] = [];
  for (const d of detectors) {
    let works: Work[] = [];
    let sources: string[] = [];
    let bytes = PACK_OVERHEAD_BYTES;
    const flush = () => {
      if (works.length === 0) return;
      const body: WorkPack = { v: 1, detectorModelName: d.detectorModelName, keyValue: d.keyValue, work: works };
      const text = JSON.stringify(body);
      out.push({
        entry: {
          Id: `e${out.length}`,
          MessageBody: text,
          MessageGroupId: messageGroupId(d.detectorModelName, d.keyValue),
          MessageDeduplicationId: deduplicationId(d.detectorModelName, d.keyValue, works),
        },
        sources,
        bytes: Buffer.byteLength(text, 'utf8') + 300,
      });
      works = [];
      sources = [];
      bytes = PACK_OVERHEAD_BYTES;
    };
    d.works.forEach((w, i) => {
      const size = Buffer.byteLength(JSON.stringify(w), 'utf8') + 1;
      if (works.length > 0 && bytes + size > MAX_SQS_MESSAGE_BYTES) flush();
      works.push(w);
      sources.push(d.sources[i]);
      bytes += size;
    });
    flush();
  }
  return out;
}

/** Splits entries into SendMessageBatch requests (≤ 10 entries, ≤ 256 KiB). */
export function batchRequests(entries: readonly PackEntry[]): PackEntry[][] {
  const batches: PackEntry[][] = [];
  let current: PackEntry[] = [];
  let bytes = 0;
  for (const e of entries) {
    if (current.length === MAX_SQS_BATCH_ENTRIES || (current.length > 0 && bytes + e.bytes > MAX_SQS_MESSAGE_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += e.bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Routes, packs and sends messages (and other works) to the detector queue. */
export class Ingest {
  constructor(private readonly sqs: SQSClient, private readonly queueUrl: string, private readonly models: ModelRegistry) {}

  /** Sends messages to the detectors that read them; returns the messages that were not enqueued. */
  public async putMessages(messages: readonly InputMessage[]): Promise<IngestError[]> {
    const models = await this.models.all();
    const inputNames = new Set<string>();
    for (const m of models) for (const i of m.inputs) inputNames.add(i.inputName);
    const { detectors, errors } = routeMessages(models, inputNames, messages);
    const failed = await this.send(detectors);
    return [...errors, ...failed];
  }

  /** Sends works to detectors; returns the sources whose works were not enqueued. */
  public async send(detectors: readonly DetectorWorks[]): Promise<IngestError[]> {
    const errors: IngestError[] = [];
    const failedSources = new Map<string, string>();
    for (const batch of batchRequests(packWorks(detectors))) {
      let pending = batch;
      for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
        const byId = new Map(pending.map((p) => [p.entry.Id!, p]));
        try {
          const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending.map((p) => p.entry) }));
          const retry: PackEntry[] = [];
          for (const f of out.Failed ?? []) {
            const p = byId.get(f.Id!);
            if (!p) continue;
            if (!f.SenderFault && attempt === 0) retry.push(p);
            else for (const s of p.sources) failedSources.set(s, `${f.Code}: ${f.Message}`);
          }
          pending = retry;
        } catch (e) {
          if (attempt === 1) for (const p of pending) for (const s of p.sources) failedSources.set(s, (e as Error).message);
        }
      }
      if (pending.length > 0) for (const p of pending) for (const s of p.sources) if (!failedSources.has(s)) failedSources.set(s, 'SQS did not accept the message');
    }
    for (const [messageId, why] of failedSources) {
      errors.push({ messageId, errorCode: 'InternalFailureException', errorMessage: `the detector queue refused the message: ${why}` });
    }
    return errors;
  }
}
