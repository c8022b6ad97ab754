import { Duration, Size, Token } from 'aws-cdk-lib';

/**
 * Limits of the Stream Manager data model (`MessageStreamDefinition` and the export configs),
 * as documented by the Stream Manager SDKs and enforced by their validations.
 */
export const STREAM_LIMITS = {
  /** Stream names and export identifiers: letters, digits, space, comma, period, hyphen, underscore. */
  namePattern: /^[A-Za-z0-9 ,.\-_]+$/,
  nameMaxLength: 255,
  maxSizeMinBytes: 1024,
  /** The SDKs accept up to 2^63 - 1 bytes; every double below 2^63 is at most that. */
  maxSizeLimitBytesExclusive: 2 ** 63,
  segmentSizeMinBytes: 1024,
  segmentSizeMaxBytes: 2147483647,
  minMillis: 60000,
  maxMillis: 9223372036854,
  priorityMin: 1,
  priorityMax: 10,
  multipartThresholdMinBytes: 5 * 1024 * 1024,
  kinesisBatchMax: 500,
  httpBatchMax: 500,
  siteWiseBatchMax: 10,
};

/**
 * Checks a stream name or an export identifier.
 * @param what how to name it in the error, e.g. `streamName` or `identifier of KinesisExport`
 */
export function validateStreamIdentifier(what: string, value: string): void {
  if (Token.isUnresolved(value)) {
    throw new Error(`${what} must be a literal string, got a token (${value}); stream names and export identifiers are used on the device and cannot be resolved at deploy time`);
  }
  if (value.length < 1 || value.length > STREAM_LIMITS.nameMaxLength) {
    throw new Error(`${what} must be 1 to ${STREAM_LIMITS.nameMaxLength} characters long, got ${value.length} characters ('${truncate(value)}'); use a shorter name`);
  }
  if (!STREAM_LIMITS.namePattern.test(value)) {
    throw new Error(`${what} may only contain letters, digits, spaces, commas, periods, hyphens and underscores, got '${truncate(value)}'; remove the other characters`);
  }
}

/** Checks an optional integer against an inclusive range. Tokens are not checked. */
export function validateIntegerRange(what: string, value: number | undefined, min: number, max: number, fix: string): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${what} must be an integer from ${min} to ${max}, got ${value}; ${fix}`);
  }
}

/** Checks an optional sequence number: a non-negative safe integer. Tokens are not checked. */
export function validateSequenceNumber(what: string, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${what} must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got ${value}; use the sequence number of a message in the stream (0 exports from the first message)`);
  }
}

/**
 * Checks an optional duration that the wire format carries in milliseconds (at least 60 s).
 * @returns the milliseconds, or undefined when absent; a token stays a token
 */
export function durationMillis(what: string, value: Duration | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value.isUnresolved()) {
    return value.toMilliseconds();
  }
  const millis = value.toMilliseconds({ integral: false });
  if (!Number.isInteger(millis)) {
    throw new Error(`${what} must be a whole number of milliseconds, got ${millis} ms; use Duration.seconds() or Duration.minutes() with whole values`);
  }
  if (millis < STREAM_LIMITS.minMillis || millis > STREAM_LIMITS.maxMillis) {
    throw new Error(`${what} must be from 60 seconds to ${STREAM_LIMITS.maxMillis} milliseconds, got ${value.toHumanString()} (${millis} ms); use Duration.minutes(1) or more`);
  }
  return millis;
}

/**
 * Checks an optional size that the wire format carries in bytes.
 * @returns the bytes, or undefined when absent; a token stays a token
 */
export function sizeBytes(what: string, value: Size | undefined, min: number, maxInclusive: number | undefined, fix: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value.isUnresolved()) {
    return value.toBytes();
  }
  const bytes = value.toBytes();
  if (!Number.isInteger(bytes)) {
    throw new Error(`${what} must be a whole number of bytes, got ${bytes} bytes; ${fix}`);
  }
  const tooLarge = maxInclusive === undefined
    ? bytes >= STREAM_LIMITS.maxSizeLimitBytesExclusive
    : bytes > maxInclusive;
  if (bytes < min || tooLarge) {
    const max = maxInclusive === undefined ? 'less than 8192 PiB (2^63 bytes)' : `at most ${maxInclusive} bytes`;
    throw new Error(`${what} must be at least ${min} bytes and ${max}, got ${bytes} bytes; ${fix}`);
  }
  return bytes;
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}...` : value;
}
