/**
 * The detector runtime's queue message: a pack of works for one detector (one detector model and key value),
 * sent to the SQS FIFO queue with MessageGroupId `<model>#<keyValue>`, so that the works of one detector are
 * processed one pack at a time, in order (docs/MAINTAINERS.md, "Detector runtime engine").
 */
import { createHash } from 'node:crypto';

/** A message for an input (BatchPutMessage, a Kinesis or topic-rule feed, an `iotEvents` action). */
export interface MessageWork {
  readonly kind: 'message';
  /**
   * The message's id as its source gives it: `<shardId>:<sequenceNumber>` (Kinesis), the SQS messageId, the Data
   * API's messageId (unique only within one request: callers reuse it across requests). The evaluator reports it
   * (`eventTriggerDetails.messageId`).
   */
  readonly messageId: string;
  /**
   * Unique per delivery, when `messageId` is not: the Data API's `<request id>:<entry index>`. The work's id
   * (redelivery detection) is built from it, else from `messageId`. Its presence marks `messageId` as the caller's:
   * the processor ignores the message when the detector evaluated that messageId less than 5 minutes before.
   */
  readonly deliveryId?: string;
  readonly inputName: string;
  /** The payload, the JSON text as sent. */
  readonly payload: string;
  /** When the message was sent (epoch ms): the evaluation's time. */
  readonly timestampMs: number;
}

/** A timer expiry, sent by the EventBridge Scheduler schedule of the timer. */
export interface TimerWork {
  readonly kind: 'timer';
  readonly timerName: string;
  /** The due time the schedule was created for; a firing whose due time differs from the stored one is stale. */
  readonly dueAtMs: number;
}

/** BatchUpdateDetector: the new state, variables (text values) and timers (seconds from `timestampMs`). */
export interface UpdateWork {
  readonly kind: 'update';
  readonly messageId: string;
  /** `<request id>:<entry index>` (see `MessageWork.deliveryId`). */
  readonly deliveryId?: string;
  readonly stateName: string;
  readonly variables: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly timers: ReadonlyArray<{ readonly name: string; readonly seconds: number }>;
  /** When the request was received (epoch ms). */
  readonly timestampMs: number;
}

/** BatchDeleteDetector. */
export interface DeleteWork {
  readonly kind: 'delete';
  readonly messageId: string;
  /** `<request id>:<entry index>` (see `MessageWork.deliveryId`). */
  readonly deliveryId?: string;
  readonly timestampMs: number;
}

export type Work = MessageWork | TimerWork | UpdateWork | DeleteWork;

/** The body of one SQS message of the detector queue (JSON). */
export interface WorkPack {
  readonly v: 1;
  readonly detectorModelName: string;
  /** `""` for a model without a key. */
  readonly keyValue: string;
  readonly work: Work[];
}

/** The largest SQS message (256 KiB), and the largest SendMessageBatch request (the sum of its entries). */
export const MAX_SQS_MESSAGE_BYTES = 256 * 1024;
/** SendMessageBatch takes at most 10 entries. */
export const MAX_SQS_BATCH_ENTRIES = 10;

/**
 * The id of a work: unique per delivery, the same on a redelivery (dedup id, `seen`, the actions' idempotency keys).
 * Never the Data API's messageId alone: a caller may reuse it in another request, which is a new delivery.
 */
export function workId(w: Work): string {
  switch (w.kind) {
    case 'message': return `m:${w.deliveryId ?? w.messageId}`;
    case 'timer': return `t:${w.timerName}:${w.dueAtMs}`;
    case 'update': return `u:${w.deliveryId ?? w.messageId}:${w.timestampMs}`;
    case 'delete': return `d:${w.deliveryId ?? w.messageId}:${w.timestampMs}`;
  }
}

/** When a work happens (epoch ms). */
export function workTime(w: Work): number {
  return w.kind === 'timer' ? w.dueAtMs : w.timestampMs;
}

/** The FIFO message group of a detector: `<model>#<keyValue>` (at most 128 characters: model ≤ 128 is hashed past that). */
export function messageGroupId(detectorModelName: string, keyValue: string): string {
  const id = `${detectorModelName}#${keyValue}`;
  return id.length <= 128 ? id : `h#${sha256Hex(id)}`;
}

/** The MessageDeduplicationId of a pack: sha256 of its work ids (64 hex characters, the SQS maximum is 128). */
export function deduplicationId(detectorModelName: string, keyValue: string, works: readonly Work[]): string {
  return sha256Hex(`${detectorModelName}#${keyValue}#${works.map(workId).join('\n')}`);
}

/** The EventBridge Scheduler schedule of a timer: `t-` + 56 hex of sha256(`<model>#<key>#<timer>`) (names ≤ 64). */
export function scheduleName(detectorModelName: string, keyValue: string, timerName: string): string {
  return `t-${sha256Hex(`${detectorModelName}#${keyValue}#${timerName}`).slice(0, 56)}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The body of a pack, checked: throws on a body the runtime did not write. */
export function parseWorkPack(body: string): WorkPack {
  const pack = JSON.parse(body) as WorkPack;
  if (pack === null || typeof pack !== 'object' || pack.v !== 1 || typeof pack.detectorModelName !== 'string'
    || typeof pack.keyValue !== 'string' || !Array.isArray(pack.work)) {
    throw new Error(`not a detector work pack (v 1, detectorModelName, keyValue, work[]): ${body.slice(0, 120)}`);
  }
  return pack;
}
