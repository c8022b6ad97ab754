/**
 * Toolkit shared by the custom-resource handlers (`*.lambda.ts`) of this library.
 *
 * Runs inside AWS Lambda: it must not import `aws-cdk-lib` or `constructs`, only Node.js built-ins.
 * Every handler follows the same shape:
 *
 * ```ts
 * export function createHandler(deps: HandlerDeps = {}) {
 *   const log = createLogger('my-resource');
 *   return withCloudFormationErrors(log, async (event) => {
 *     if (event.RequestType === 'Update' && propertiesUnchanged(event)) {
 *       return { PhysicalResourceId: event.PhysicalResourceId };
 *     }
 *     await withRetries(() => client.send(new SomeCommand({ ... })), { sleep: deps.sleep, log });
 *     return { PhysicalResourceId: '...' };
 *   });
 * }
 * export const handler = createHandler();
 * ```
 *
 * Tests call `createHandler({ sleep: async () => {} })` so that back-offs take no time.
 */
import { AsyncLocalStorage } from 'async_hooks';
import { createHash } from 'crypto';

/**
 * The CloudFormation request the Provider framework passes to `onEvent` (and, with the
 * previous response merged in, to `isComplete`). Only the fields the toolkit reads.
 */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType?: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, any>;
  readonly OldResourceProperties?: Record<string, any>;
  /** Present in `isComplete` events: the `Data` returned by `onEvent`. */
  readonly Data?: Record<string, any>;
}

/**
 * What `onEvent` returns to the Provider framework.
 */
export interface OnEventResponse {
  readonly PhysicalResourceId?: string;
  /** Attributes readable with `Fn::GetAtt`. Never put secrets here: the framework logs them. */
  readonly Data?: Record<string, string>;
}

/**
 * What `isComplete` returns to the Provider framework.
 */
export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
}

/** Waits `ms` milliseconds. Injected by tests as a no-op. */
export type Sleep = (ms: number) => Promise<void>;

/** The real sleep. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a handler factory accepts so that tests can replace the clock. */
export interface HandlerDeps {
  /** @default realSleep */
  readonly sleep?: Sleep;
  /** Random number in [0, 1) for the jitter. @default Math.random */
  readonly random?: () => number;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** Error names (AWS SDK v3 `error.name`) that mean "try again later". */
const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceededException', // IoT uses it for rate limits on some control-plane calls
  'InternalServerException',
  'InternalFailureException',
  'InternalFailure',
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/** Error names that mean "the thing is not there". */
const NOT_FOUND_NAMES = new Set([
  'ResourceNotFoundException',
  'ResourceNotFound',
  'NotFoundException',
  'NoSuchEntity',
  'NoSuchEntityException',
]);

function errorName(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; code?: unknown; Code?: unknown };
    for (const v of [e.name, e.code, e.Code]) {
      if (typeof v === 'string' && v !== 'Error') return v;
    }
  }
  return 'Error';
}

/**
 * Whether an error code (an AWS SDK v3 `error.name`, or the `code` of a batch `errorEntries` item)
 * is worth retrying: throttling, internal server errors and timeouts.
 */
export function isRetryableCode(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_NAMES.has(code);
}

/**
 * Whether `error` is transient (throttling, 5xx, timeout) and the call may succeed if repeated.
 *
 * True for the throttling and internal-error exceptions of Greengrass, IoT and Secrets Manager,
 * for any error the SDK marks `$retryable`, and for HTTP 429 and 5xx responses.
 */
export function isRetryable(error: unknown): boolean {
  if (isRetryableCode(errorName(error))) return true;
  if (error && typeof error === 'object') {
    const e = error as { $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
    if (e.$retryable) return true;
    const status = e.$metadata?.httpStatusCode;
    if (status === 429 || (status !== undefined && status >= 500)) return true;
  }
  return false;
}

/** Whether `error` says the resource does not exist (used to make Delete succeed when already gone). */
export function isNotFound(error: unknown): boolean {
  if (NOT_FOUND_NAMES.has(errorName(error))) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return status === 404;
}

/**
 * The wait the service asked for, in milliseconds: Greengrass `ThrottlingException` and
 * `InternalServerException` carry `retryAfterSeconds` (from the `Retry-After` header); other
 * services may send only the header. Undefined when the service said nothing.
 */
export function retryAfterMs(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { retryAfterSeconds?: unknown; $response?: { headers?: Record<string, string> } };
  let seconds: number | undefined;
  if (typeof e.retryAfterSeconds === 'number') {
    seconds = e.retryAfterSeconds;
  } else if (typeof e.retryAfterSeconds === 'string') {
    seconds = Number(e.retryAfterSeconds);
  } else {
    const header = e.$response?.headers?.['retry-after'];
    seconds = header !== undefined ? Number(header) : undefined;
  }
  return seconds !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

/** How `withRetries` backs off. */
export interface RetryOptions {
  /** Total attempts, first one included. @default 8 */
  readonly maxAttempts?: number;
  /** First back-off before jitter. @default 500 ms */
  readonly baseDelayMs?: number;
  /** Largest single back-off (a longer `retryAfterSeconds` is still honoured up to the budget). @default 20 s */
  readonly maxDelayMs?: number;
  /**
   * Total time the retries may spend sleeping. When the next wait would exceed it, the last error
   * is thrown. Keep it well under the handler's Lambda timeout. @default 120 s
   */
  readonly budgetMs?: number;
  /** Which errors are retried. @default isRetryable */
  readonly retryable?: (error: unknown) => boolean;
  /** @default realSleep */
  readonly sleep?: Sleep;
  /** @default Math.random */
  readonly random?: () => number;
  /** Used to log each retry (name and wait only, never the request). */
  readonly log?: Logger;
  /** Names the call in logs. @default 'call' */
  readonly label?: string;
  /**
   * The invocation's deadline: no back-off is started that would end after it (the last error is
   * thrown instead), so that the handler answers before Lambda stops it.
   * @default - the deadline of the invocation being handled (set by `withCloudFormationErrors`),
   * else none beyond `budgetMs`
   */
  readonly deadline?: Deadline;
}

/** What the handlers read from the Lambda invocation context. */
export interface InvocationContext {
  /** Milliseconds left before Lambda stops the invocation. */
  getRemainingTimeInMillis(): number;
}

/**
 * Time kept back from the Lambda timeout for what a handler does after its retries gave up
 * (cleanup, logging the failure, answering the Provider framework).
 */
export const DEFAULT_CLEANUP_RESERVE_MS = 20_000;

/**
 * The point in time a handler must have finished its retries by: the invocation's remaining time
 * (`context.getRemainingTimeInMillis()`) minus a reserve for cleanup.
 */
export class Deadline {
  /** No deadline (tests and local calls without an invocation context). */
  public static readonly NONE = new Deadline(() => Number.POSITIVE_INFINITY, 0);

  /** The deadline of this invocation, keeping `reserveMs` for cleanup. */
  public static fromContext(context: InvocationContext | undefined, reserveMs: number = DEFAULT_CLEANUP_RESERVE_MS): Deadline {
    if (!context || typeof context.getRemainingTimeInMillis !== 'function') return Deadline.NONE;
    return new Deadline(() => context.getRemainingTimeInMillis(), reserveMs);
  }

  private constructor(private readonly remaining: () => number, private readonly reserveMs: number) {}

  /** Milliseconds left before the reserve starts (negative once it has). */
  public remainingMs(): number {
    return this.remaining() - this.reserveMs;
  }

  /** Milliseconds left including the reserve: what cleanup may still use. */
  public remainingWithReserveMs(): number {
    return this.remaining();
  }

  /** Whether `ms` more milliseconds still end before the reserve. */
  public allows(ms: number): boolean {
    return ms <= this.remainingMs();
  }
}

/** The deadline of the invocation in progress, for retries that were not given one. */
const invocationDeadline = new AsyncLocalStorage<Deadline>();

/**
 * SDK client settings every handler uses: one attempt per `send` (retries are `withRetries`'),
 * and socket timeouts so that a hung connection fails within the invocation instead of at the
 * Lambda timeout.
 */
export const SDK_CLIENT_CONFIG = {
  maxAttempts: 1,
  requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
} as const;

/** The defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY = {
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  budgetMs: 120_000,
} as const;

/**
 * The wait before retry number `attempt` (1 for the first retry): "full jitter" exponential
 * back-off, `random * min(maxDelay, base * 2^(attempt-1))`, but never less than what the service
 * asked for with `retryAfterSeconds`.
 */
export function backoffMs(attempt: number, error: unknown, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  const asked = retryAfterMs(error);
  return asked !== undefined ? Math.max(asked, jittered) : jittered;
}

/**
 * Calls `fn` until it succeeds, retrying only retryable errors with exponential back-off and
 * jitter, honouring `retryAfterSeconds`, within a bounded number of attempts and a bounded total
 * sleep. Throws the last error when the budget is spent or the error is not retryable.
 */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
  const budget = options.budgetMs ?? DEFAULT_RETRY.budgetMs;
  const retryable = options.retryable ?? isRetryable;
  const sleep = options.sleep ?? realSleep;
  const deadline = options.deadline ?? invocationDeadline.getStore();
  let slept = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!retryable(error) || attempt >= maxAttempts) throw error;
      const wait = backoffMs(attempt, error, options);
      if (slept + wait > budget) throw error;
      if (deadline && !deadline.allows(wait)) {
        options.log?.info('not retrying: the invocation deadline is near', { label: options.label ?? 'call', error: errorName(error), attempt, waitMs: wait });
        throw error;
      }
      options.log?.info('retrying', { label: options.label ?? 'call', error: errorName(error), attempt, waitMs: wait });
      await sleep(wait);
      slept += wait;
    }
  }
}

/**
 * Splits `items` into chunks of at most `size` (batch APIs such as
 * BatchAssociateClientDeviceWithCoreDevice accept at most 100 entries).
 */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (size < 1) throw new Error(`chunk size must be at least 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A failed entry of a batch call (for example an item of Greengrass `errorEntries`). */
export interface EntryError {
  /** What identifies the entry (for example the client device's thing name). */
  readonly key: string;
  /** The error code the service gave for this entry. */
  readonly code?: string;
  readonly message?: string;
}

/** How `withEntryRetries` runs a batch API. */
export interface EntryRetryOptions extends RetryOptions {
  /** Largest batch the API accepts. */
  readonly batchSize: number;
  /** Entry codes that count as success (for example `ResourceNotFoundException` on a disassociate). @default - none */
  readonly ignoreCode?: (code: string | undefined) => boolean;
}

/**
 * Runs a batch API over `items` in chunks of `batchSize`. Each chunk call is itself retried with
 * {@link withRetries} when the whole call is throttled. Entries the service reports as failed with a
 * retryable code ({@link isRetryableCode}) are sent again, alone, after a back-off; entries that
 * failed otherwise are not retried. Returns the entries that finally failed (empty on success).
 */
export async function withEntryRetries<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  call: (batch: T[]) => Promise<readonly EntryError[]>,
  options: EntryRetryOptions,
): Promise<EntryError[]> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
  const budget = options.budgetMs ?? DEFAULT_RETRY.budgetMs;
  const sleep = options.sleep ?? realSleep;
  const deadline = options.deadline ?? invocationDeadline.getStore();
  const failed: EntryError[] = [];
  let pending = [...items];
  let slept = 0;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const errors: EntryError[] = [];
    for (const batch of chunk(pending, options.batchSize)) {
      errors.push(...await withRetries(() => call(batch), options));
    }
    const retryKeys = new Set<string>();
    const retryErrors: EntryError[] = [];
    for (const e of errors) {
      if (options.ignoreCode?.(e.code)) continue;
      if (isRetryableCode(e.code)) {
        retryKeys.add(e.key);
        retryErrors.push(e);
      } else {
        failed.push(e);
      }
    }
    pending = pending.filter((i) => retryKeys.has(keyOf(i)));
    if (pending.length === 0) break;
    const wait = backoffMs(attempt, undefined, options);
    if (attempt >= maxAttempts || slept + wait > budget || (deadline && !deadline.allows(wait))) {
      failed.push(...retryErrors);
      break;
    }
    options.log?.info('retrying failed entries', { label: options.label ?? 'batch', count: pending.length, attempt, waitMs: wait });
    await sleep(wait);
    slept += wait;
  }
  return failed;
}

/** `"a (Code: message), b (Code)"`, the first `max` entries, for a failure reason. */
export function describeEntryErrors(errors: readonly EntryError[], max = 5): string {
  const shown = errors.slice(0, max).map((e) => `${e.key} (${[e.code, e.message].filter(Boolean).join(': ') || 'unknown error'})`);
  const more = errors.length > max ? `, and ${errors.length - max} more` : '';
  return shown.join(', ') + more;
}

// ---------------------------------------------------------------------------------------------
// Idempotency
// ---------------------------------------------------------------------------------------------

/**
 * A deterministic idempotency token for one CloudFormation request: the SHA-256 of
 * StackId + LogicalResourceId + RequestId (+ `extra` parts), as 32 lowercase hex characters
 * (matches Greengrass `clientToken`: `^[a-zA-Z0-9-]+$`, 1–64 characters).
 *
 * CloudFormation replays a request with the same RequestId (for example when the handler timed out
 * and the framework retried), so a replay gets the same token and the service does nothing twice.
 * A new request (another Update, a rollback) gets a new token.
 */
export function clientToken(event: Pick<CustomResourceEvent, 'StackId' | 'LogicalResourceId' | 'RequestId'>, ...extra: string[]): string {
  return hashParts([event.StackId, event.LogicalResourceId, event.RequestId, ...extra]).slice(0, 32);
}

/**
 * SHA-256 (hex) of the parts, each length-prefixed so that `['ab','c']` and `['a','bc']` differ.
 */
export function hashParts(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${Buffer.byteLength(p, 'utf8')}:${p};`);
  return h.digest('hex');
}

/** JSON with object keys sorted, so that equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value as object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The resource properties without `ServiceToken` (which changes when the provider is replaced). */
export function userProperties(props: Record<string, any> | undefined): Record<string, any> {
  const { ServiceToken: _ignored, ...rest } = props ?? {};
  return rest;
}

/**
 * True for an Update whose properties (ServiceToken excepted) equal the old ones: the handler
 * must then return the same PhysicalResourceId and call nothing.
 */
export function propertiesUnchanged(event: CustomResourceEvent): boolean {
  return (
    event.RequestType === 'Update' &&
    canonicalJson(userProperties(event.ResourceProperties)) === canonicalJson(userProperties(event.OldResourceProperties))
  );
}

// ---------------------------------------------------------------------------------------------
// Failure reasons
// ---------------------------------------------------------------------------------------------

/**
 * Largest failure reason the handlers produce, in UTF-8 bytes. The Provider framework sends
 * CloudFormation the reason plus a log-group line and the stack trace, in a response limited
 * to 4096 bytes that also holds StackId, RequestId, LogicalResourceId and PhysicalResourceId
 * (together up to ~1.5 KB), hence this margin.
 */
export const MAX_REASON_BYTES = 1000;

/** Anything that looks like key material, replaced in reasons and logs. */
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g;

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character, ending with `…`. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const ellipsis = '…';
  const room = maxBytes - Buffer.byteLength(ellipsis, 'utf8');
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > room) break;
    out += ch;
    bytes += b;
  }
  return out + ellipsis;
}

/**
 * A one-line, size-bounded description of `error` for CloudFormation: `<ErrorName>: <message>`,
 * whitespace collapsed, PEM blocks redacted, at most `maxBytes` UTF-8 bytes.
 */
export function shortReason(error: unknown, maxBytes: number = MAX_REASON_BYTES): string {
  const name = errorName(error);
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : safeStringify(error);
  const message = (raw || '').replace(PEM_BLOCK, '[redacted]').replace(/\s+/g, ' ').trim();
  const text = message.startsWith(`${name}:`) || name === 'Error' ? message || name : `${name}: ${message}`;
  return truncateUtf8(text, maxBytes);
}

/**
 * The error a handler throws so that CloudFormation gets a short reason: its message is
 * `shortReason(error)` and its stack holds that one line only (the Lambda runtime would otherwise
 * send the whole stack trace, which the Provider framework forwards to CloudFormation).
 */
export function cloudFormationError(error: unknown, prefix?: string): Error {
  const reason = shortReason(prefix ? new PrefixedError(prefix, error) : error);
  const e = new Error(reason);
  e.name = 'CustomResourceError';
  e.stack = reason;
  return e;
}

/**
 * The error to throw when `error` was raised while key material was in memory: it keeps only the
 * error's name and code (and what {@link isRetryable} and {@link isNotFound} read), never its
 * message, stack or cause, which could quote the request.
 */
export function nameAndCodeOnly(error: unknown, during: string): Error {
  const name = errorName(error);
  const raw = (error && typeof error === 'object') ? error as { code?: unknown; Code?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: number } } : {};
  const code = [raw.code, raw.Code].find((v) => typeof v === 'string' && v !== name) as string | undefined;
  const e = new Error(`${during} failed: ${name}${code ? ` (code ${code})` : ''}`);
  e.name = name;
  e.stack = e.message;
  const status = raw.$metadata?.httpStatusCode;
  Object.assign(e, {
    ...(code ? { code } : {}),
    ...(raw.$retryable ? { $retryable: raw.$retryable } : {}),
    $metadata: typeof status === 'number' ? { httpStatusCode: status } : {},
  });
  return e;
}

class PrefixedError extends Error {
  constructor(prefix: string, cause: unknown) {
    super(`${prefix}: ${shortReason(cause)}`);
    this.name = 'Error';
  }
}

/**
 * Wraps a handler: logs the request (ResourceProperties redacted by the logger), runs it with the
 * invocation's {@link Deadline}, and turns any error into {@link cloudFormationError}. The event's `ResponseURL` is never logged.
 */
export function withCloudFormationErrors<E extends CustomResourceEvent, R>(
  log: Logger,
  fn: (event: E, deadline: Deadline) => Promise<R>,
): (event: E, context?: InvocationContext) => Promise<R> {
  return async (event: E, context?: InvocationContext) => {
    log.info('request', {
      requestType: event.RequestType,
      logicalResourceId: event.LogicalResourceId,
      physicalResourceId: event.PhysicalResourceId,
      properties: userProperties(event.ResourceProperties),
    });
    try {
      const deadline = Deadline.fromContext(context);
      const result = await invocationDeadline.run(deadline, () => fn(event, deadline));
      log.info('response', { result });
      return result;
    } catch (error) {
      const failure = cloudFormationError(error);
      log.error('failed', { reason: failure.message });
      throw failure;
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Logging
// ---------------------------------------------------------------------------------------------

/** A structured JSON logger that redacts secrets. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Keys whose values are never logged, whatever their nesting. */
const SECRET_KEY = /(private|password|passphrase|keypair|keymaterial|pem$|secretstring|secretbinary|^token$|sessiontoken|secretaccesskey|responseurl)/i;

/**
 * Returns a copy of `value` fit for logs: values under secret-looking keys (privateKey,
 * keyPair, SecretString, certificatePem, password, token, SessionToken, ResponseURL) become `[redacted]`,
 * and PEM blocks inside strings are replaced.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') return value.replace(PEM_BLOCK, '[redacted]');
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1) };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEY.test(k) && v !== undefined ? '[redacted]' : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** Where a logger's lines go: one JSON line and its level. */
export type LogSink = (line: string, level: 'info' | 'error') => void;

/** stdout for `info`, stderr for `error`: in Lambda, both go to the function's CloudWatch log group. */
const consoleSink: LogSink = (line, level) => {
  if (level === 'error') console.error(line);
  else console.log(line);
};

let sink: LogSink = consoleSink;

/**
 * Replaces the sink of every logger created without its own `write` (the test setup captures the lines
 * instead of printing them); `undefined` restores the console. Returns the sink it replaced.
 */
export function setLogSink(next: LogSink | undefined): LogSink {
  const previous = sink;
  sink = next ?? consoleSink;
  return previous;
}

/**
 * A logger writing one JSON line per call (`{ level, handler, message, ...fields }`), every field passed
 * through {@link redact}, to `write` or else to the current sink (see {@link setLogSink}; the console by
 * default), looked up at each call.
 */
export function createLogger(handlerName: string, write?: LogSink): Logger {
  const emit = (level: 'info' | 'error', message: string, fields?: Record<string, unknown>) => {
    const safe = redact(fields ?? {}) as Record<string, unknown>;
    (write ?? sink)(safeStringify({ level, handler: handlerName, message, ...safe }), level);
  };
  return {
    info: (m, f) => emit('info', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
