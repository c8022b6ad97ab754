/**
 * The IoT Events Data API's limits and wording that both `DetectorSimulator` and the AWS runtime apply (no CDK import:
 * bundled into the runtime's handlers).
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/apireference/API_Operations_AWS_IoT_Events_Data.html
 */

/** The service model's `KeyValue` pattern (with 1-128 characters). */
export const KEY_VALUE_PATTERN = /^[a-zA-Z0-9\-_:]+$/;

/** The service model's `MessageId` pattern (with 1-64 characters). */
export const MESSAGE_ID_PATTERN = /^[a-zA-Z0-9_-]+$/;

/**
 * The latest message timestamp taken (`timestamp.timeInMillis`): 9999-12-31T23:59:59.999Z. The model's `long` goes
 * further, but a `Date` holds only some 275 760 years, and a later time with a timer added would not be one.
 */
export const MAX_TIMESTAMP_MS = 253_402_300_799_999;

/** IoT Events ignored a message whose messageId was sent within the last five minutes (the guide's CLI walkthrough). */
export const MESSAGE_ID_WINDOW_MS = 5 * 60_000;

/** The error message of an entry whose messageId an earlier entry of the same request has (every batch operation). */
export function repeatedMessageId(id: string): string {
  return `messageId '${id}' appears twice in the batch; message IDs must be unique within a batch`;
}
