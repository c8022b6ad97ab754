/**
 * The ingest Lambda's body: Kinesis events (Stream Manager `KinesisConfig` exports: each record's data is
 * one message payload) and SQS events (IoT topic rules' SQS action: each body is the rule's SELECT output)
 * → input messages → `Ingest.putMessages`. Partial batch responses: a Kinesis record is reported by its
 * sequence number (Lambda retries the shard from the first one reported), an SQS message by its id.
 *
 * - Stream ARN → input name from `DETECTOR_KINESIS_INPUTS`, queue ARN → input name from
 *   `DETECTOR_QUEUE_INPUTS`; a record from a source that is not mapped is a configuration error (thrown).
 * - Message id: `<shardId>:<sequenceNumber>` (Kinesis, the shard id from the event id), the SQS messageId: each is
 *   unique per record and the same when Lambda delivers the record again, so the processor's redelivery
 *   detection (the work id) can key on it.
 *   The Data API's pattern `^[a-zA-Z0-9_-]+$` does not apply here: the ids never leave the runtime.
 * - Time: Kinesis `approximateArrivalTimestamp` (seconds), SQS `SentTimestamp` (ms).
 * - A message that reaches no detector (no key, bad JSON) is logged and dropped, not retried: retrying
 *   cannot fix it. A queue failure is retried.
 */
import type { KinesisStreamEvent, SQSEvent, SQSBatchResponse, KinesisStreamBatchResponse } from 'aws-lambda';
import { Ingest, IngestError, InputMessage } from './ingest';

export interface IngestLog {
  warn(message: string, extra: Record<string, string>): void;
}

/** A Kinesis or SQS event. */
export type IngestEvent = KinesisStreamEvent | SQSEvent;

export function isKinesisEvent(e: IngestEvent): e is KinesisStreamEvent {
  return Array.isArray(e.Records) && e.Records.length > 0 && (e.Records[0] as any).eventSource === 'aws:kinesis';
}

/** Kinesis records → messages (the shard id is the part of the event id before the colon). */
export function kinesisMessages(event: KinesisStreamEvent, inputs: Record<string, string>): Array<InputMessage & { sequenceNumber: string }> {
  return event.Records.map((r) => {
    const inputName = inputs[r.eventSourceARN];
    if (inputName === undefined) {
      throw new Error(`Kinesis stream ${r.eventSourceARN} feeds no detector input (DETECTOR_KINESIS_INPUTS has ${Object.keys(inputs).join(', ') || 'none'}); feed it through DetectorInput`);
    }
    const shardId = r.eventID.split(':')[0];
    return {
      messageId: `${shardId}:${r.kinesis.sequenceNumber}`,
      sequenceNumber: r.kinesis.sequenceNumber,
      inputName,
      payload: Buffer.from(r.kinesis.data, 'base64').toString('utf8'),
      timestampMs: Math.round(r.kinesis.approximateArrivalTimestamp * 1000),
    };
  });
}

/** SQS records → messages. */
export function sqsMessages(event: SQSEvent, inputs: Record<string, string>): InputMessage[] {
  return event.Records.map((r) => {
    const inputName = inputs[r.eventSourceARN];
    if (inputName === undefined) {
      throw new Error(`queue ${r.eventSourceARN} feeds no detector input (DETECTOR_QUEUE_INPUTS has ${Object.keys(inputs).join(', ') || 'none'}); feed it through DetectorInput`);
    }
    return { messageId: r.messageId, inputName, payload: r.body, timestampMs: Number(r.attributes.SentTimestamp) };
  });
}

const RETRYABLE = new Set(['InternalFailureException', 'ThrottlingException']);

export async function handleIngestEvent(
  event: IngestEvent, ingest: Ingest, inputs: { kinesis: Record<string, string>; queues: Record<string, string> }, log: IngestLog,
): Promise<SQSBatchResponse | KinesisStreamBatchResponse> {
  if (isKinesisEvent(event)) {
    const messages = kinesisMessages(event, inputs.kinesis);
    const errors = await ingest.putMessages(messages);
    const retry = report(errors, log);
    return { batchItemFailures: messages.filter((m) => retry.has(m.messageId)).map((m) => ({ itemIdentifier: m.sequenceNumber })) };
  }
  const messages = sqsMessages(event as SQSEvent, inputs.queues);
  const errors = await ingest.putMessages(messages);
  const retry = report(errors, log);
  return { batchItemFailures: messages.filter((m) => retry.has(m.messageId)).map((m) => ({ itemIdentifier: m.messageId })) };
}

function report(errors: IngestError[], log: IngestLog): Set<string> {
  const retry = new Set<string>();
  for (const e of errors) {
    if (RETRYABLE.has(e.errorCode)) retry.add(e.messageId);
    else log.warn('message dropped: it reaches no detector', { messageId: e.messageId, errorCode: e.errorCode, errorMessage: e.errorMessage });
  }
  return retry;
}
