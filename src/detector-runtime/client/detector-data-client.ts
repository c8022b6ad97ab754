/**
 * A typed client of the IoT Events Data API as the detector runtime serves it: the five detector operations
 * with the simulator's request and response types, sent over HTTPS to the runtime's API Gateway URL and
 * signed with SigV4 for `execute-api` (the API uses IAM auth), or unsigned for the local server
 * (`greengrass-detectors serve`).
 *
 * TypeScript/JavaScript only (its methods are async, which jsii cannot export to other languages):
 * `import { DetectorDataClient } from 'cdk-greengrass-v2/lib/detector-runtime/client'`.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpRequest as SmithyHttpRequest, RetryErrorType } from '@smithy/types';
import type {
  BatchDeleteDetectorRequest, BatchDeleteDetectorResponse, BatchErrorEntry, BatchPutMessageRequest, BatchPutMessageResponse,
  BatchUpdateDetectorRequest, BatchUpdateDetectorResponse, DescribeDetectorRequest, DescribeDetectorResponse,
  ListDetectorsRequest, ListDetectorsResponse,
} from '../../detector/simulator';
import { DATA_API_ERROR_STATUS, DataApiError, DataApiErrorType } from '../private/data-api/backend';

/** Properties of a `DetectorDataClient`. */
export interface DetectorDataClientProps {
  /**
   * The Data API's base URL: the detector runtime's API URL (`https://<id>.execute-api.<region>.amazonaws.com/<stage>/`,
   * a stage path is kept) or the local server's (`http://127.0.0.1:<port>`).
   */
  readonly endpoint: string;
  /**
   * The region to sign for.
   *
   * @default - the region in an `execute-api` host name, else `AWS_REGION`, else `AWS_DEFAULT_REGION`
   */
  readonly region?: string;
  /**
   * The credentials to sign with.
   *
   * @default - the default chain of the AWS SDK for JavaScript v3 (`defaultProvider` of `@aws-sdk/credential-provider-node`: environment,
   *   shared files, SSO, web identity, container and instance metadata)
   */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * Whether to sign requests (SigV4, service `execute-api`). The local server needs no signature.
   *
   * @default true
   */
  readonly signed?: boolean;
  /**
   * The service name to sign for.
   *
   * @default 'execute-api'
   */
  readonly signingService?: string;
  /**
   * How many times to send a request that failed with a throttling error, a 5xx or a network error, with the
   * AWS SDKs' standard backoff (`@smithy/core/retry`). 1 = no retry.
   *
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * The clock the signature is dated with (tests).
   *
   * @default - the system clock
   */
  readonly clock?: () => Date;
  /**
   * The fetch implementation.
   *
   * @default - the global `fetch` of Node.js 18+
   */
  readonly fetch?: typeof fetch;
}

/**
 * An error response that is none of the Data API's own errors: API Gateway's (`AccessDeniedException`,
 * `IncompleteSignatureException`, `MissingAuthenticationTokenException`, ...) or an unexpected body.
 */
export class DataApiHttpError extends Error {
  constructor(readonly errorType: string, message: string, readonly statusCode: number) {
    super(message);
    this.name = errorType;
  }
}

interface WireRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: Record<string, string | undefined>;
  readonly body?: unknown;
}

/**
 * The Data API client. Every method sends one HTTP request (plus retries) and resolves to the response in the
 * shapes of `DetectorSimulator`; it rejects with `DataApiError` for the service's errors
 * (`InvalidRequestException`, `ResourceNotFoundException`, `ThrottlingException`, `InternalFailureException`,
 * `ServiceUnavailableException`) and `DataApiHttpError` for any other error response.
 */
export class DetectorDataClient {
  private readonly base: URL;
  private readonly signer?: SignatureV4;
  private readonly retry: StandardRetryStrategy;
  private readonly clock: () => Date;
  private readonly fetchImpl: typeof fetch;

  constructor(props: DetectorDataClientProps) {
    let base: URL;
    try {
      base = new URL(props.endpoint);
    } catch {
      throw new Error(`endpoint must be a URL such as https://<id>.execute-api.<region>.amazonaws.com/prod/, got ${JSON.stringify(props.endpoint)}`);
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new Error(`endpoint must be an http(s) URL, got ${props.endpoint}`);
    }
    this.base = base;
    this.clock = props.clock ?? (() => new Date());
    this.fetchImpl = props.fetch ?? fetch;
    const maxAttempts = props.maxAttempts ?? 3;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`maxAttempts must be an integer >= 1, got ${maxAttempts}`);
    this.retry = new StandardRetryStrategy(maxAttempts);
    if (props.signed ?? true) {
      const region = props.region ?? /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(base.hostname)?.[1]
        ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
      if (!region) {
        throw new Error(`no region to sign requests to ${props.endpoint} with: pass region, set AWS_REGION, or pass signed: false for the local server`);
      }
      this.signer = new SignatureV4({
        service: props.signingService ?? 'execute-api',
        region,
        credentials: props.credentials ?? defaultProvider(),
        sha256: Sha256,
      });
    }
  }

  /** `BatchPutMessage` (`POST /inputs/messages`): sends messages to inputs. Payloads: JSON text, bytes or a JSON value. */
  public async batchPutMessage(req: BatchPutMessageRequest): Promise<BatchPutMessageResponse> {
    const out = await this.send({
      method: 'POST',
      path: '/inputs/messages',
      body: {
        messages: (req.messages ?? []).map((m) => ({
          messageId: m.messageId,
          inputName: m.inputName,
          payload: encodePayload(m.payload),
          ...(m.timestamp ? { timestamp: { ...(m.timestamp.timeInMillis !== undefined ? { timeInMillis: m.timestamp.timeInMillis } : {}) } } : {}),
        })),
      },
    });
    const entries = errorEntries(out.BatchPutMessageErrorEntries);
    // The service's (capitalized) member beside the camelCase one of the type, as the simulator returns them.
    return { batchPutMessageErrorEntries: entries, BatchPutMessageErrorEntries: entries } as BatchPutMessageResponse;
  }

  /** `BatchUpdateDetector` (`POST /detectors`): sets detectors' state, variables and timers. */
  public async batchUpdateDetector(req: BatchUpdateDetectorRequest): Promise<BatchUpdateDetectorResponse> {
    const out = await this.send({ method: 'POST', path: '/detectors', body: { detectors: req.detectors } });
    return { batchUpdateDetectorErrorEntries: errorEntries(out.batchUpdateDetectorErrorEntries) };
  }

  /** `BatchDeleteDetector` (`POST /detectors/delete`): deletes detectors. */
  public async batchDeleteDetector(req: BatchDeleteDetectorRequest): Promise<BatchDeleteDetectorResponse> {
    const out = await this.send({ method: 'POST', path: '/detectors/delete', body: { detectors: req.detectors } });
    return { batchDeleteDetectorErrorEntries: errorEntries(out.batchDeleteDetectorErrorEntries) };
  }

  /** `DescribeDetector` (`GET /detectors/{detectorModelName}/keyValues/?keyValue=`): one detector. */
  public async describeDetector(req: DescribeDetectorRequest): Promise<DescribeDetectorResponse> {
    const out = await this.send({
      method: 'GET', path: `/detectors/${encodeURIComponent(req.detectorModelName)}/keyValues/`, query: { keyValue: req.keyValue },
    });
    const d = out.detector ?? {};
    return {
      detector: {
        detectorModelName: d.detectorModelName,
        ...(d.keyValue !== undefined ? { keyValue: d.keyValue } : {}),
        detectorModelVersion: d.detectorModelVersion,
        state: {
          stateName: d.state?.stateName,
          variables: (d.state?.variables ?? []).map((v: any) => ({ name: v.name, value: v.value })),
          timers: (d.state?.timers ?? []).map((t: any) => ({ name: t.name, timestamp: fromEpochSeconds(t.timestamp) })),
        },
        creationTime: fromEpochSeconds(d.creationTime),
        lastUpdateTime: fromEpochSeconds(d.lastUpdateTime),
      },
    };
  }

  /** `ListDetectors` (`GET /detectors/{detectorModelName}?stateName=&maxResults=&nextToken=`): one page of detectors. */
  public async listDetectors(req: ListDetectorsRequest): Promise<ListDetectorsResponse> {
    const out = await this.send({
      method: 'GET',
      path: `/detectors/${encodeURIComponent(req.detectorModelName)}`,
      query: {
        stateName: req.stateName,
        nextToken: req.nextToken,
        maxResults: req.maxResults !== undefined ? String(req.maxResults) : undefined,
      },
    });
    return {
      detectorSummaries: (out.detectorSummaries ?? []).map((d: any) => ({
        detectorModelName: d.detectorModelName,
        ...(d.keyValue !== undefined ? { keyValue: d.keyValue } : {}),
        detectorModelVersion: d.detectorModelVersion,
        state: { stateName: d.state?.stateName },
        creationTime: fromEpochSeconds(d.creationTime),
        lastUpdateTime: fromEpochSeconds(d.lastUpdateTime),
      })),
      ...(typeof out.nextToken === 'string' ? { nextToken: out.nextToken } : {}),
    };
  }

  /** Builds, signs and sends one request, retrying as the AWS SDKs do. */
  private async send(wire: WireRequest): Promise<any> {
    let token = await this.retry.acquireInitialRetryToken(this.base.host);
    for (;;) {
      let failure: { error: Error; type: RetryErrorType; retryAfter?: Date } | undefined;
      // signed for each attempt (a fresh date); a signing failure (no credentials) is not retried
      const request = await this.buildRequest(wire);
      try {
        const res = await this.sendOnce(request);
        if (res.ok) {
          this.retry.recordSuccess(token);
          return res.json;
        }
        failure = { error: res.error, type: res.retryType, retryAfter: res.retryAfter };
      } catch (e: any) {
        failure = { error: e, type: 'TRANSIENT' };
      }
      if (failure.type === 'CLIENT_ERROR') throw failure.error;
      try {
        const info = { errorType: failure.type, retryAfterHint: failure.retryAfter, error: failure.error as any };
        token = await this.retry.refreshRetryTokenForRetry(token, info);
      } catch {
        throw failure.error;
      }
      await new Promise((resolve) => setTimeout(resolve, token.getRetryDelay()));
    }
  }

  private async sendOnce(request: SmithyHttpRequest): Promise<
  { ok: true; json: any } | { ok: false; error: Error; retryType: RetryErrorType; retryAfter?: Date }> {
    const url = `${this.base.protocol}//${this.base.host}${request.path}${queryString(request.query)}`;
    const res = await this.fetchImpl(url, { method: request.method, headers: request.headers, body: request.body });
    const text = await res.text();
    let json: any;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.status >= 200 && res.status < 300) {
      if (json === undefined) {
        const error = new DataApiHttpError('SerializationException', `the response is not JSON: ${text.slice(0, 200)}`, res.status);
        return { ok: false, error, retryType: 'SERVER_ERROR' };
      }
      return { ok: true, json };
    }
    const header = res.headers.get('x-amzn-errortype') ?? '';
    const rawType = (header.split(':')[0] || json?.__type?.split('#').pop() || json?.code || '').trim();
    const message = json?.message ?? json?.Message ?? (text.slice(0, 500) || `HTTP ${res.status}`);
    const error = isDataApiErrorType(rawType)
      ? new DataApiError(rawType, message, res.status)
      : new DataApiHttpError(rawType || `Http${res.status}Error`, message, res.status);
    const retryAfterSeconds = Number(res.headers.get('retry-after'));
    const retryType: RetryErrorType = res.status === 429 || rawType === 'ThrottlingException' ? 'THROTTLING'
      : res.status >= 500 ? 'SERVER_ERROR' : 'CLIENT_ERROR';
    return { ok: false, error, retryType, ...(retryAfterSeconds > 0 ? { retryAfter: new Date(Date.now() + retryAfterSeconds * 1000) } : {}) };
  }

  /** The request as it is sent: the endpoint's path prefix (stage) kept, JSON body, SigV4 headers when signed. */
  private async buildRequest(wire: WireRequest): Promise<SmithyHttpRequest> {
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(wire.query ?? {})) if (v !== undefined) query[k] = v;
    const body = wire.body === undefined ? undefined : JSON.stringify(wire.body);
    const request: SmithyHttpRequest = {
      method: wire.method,
      protocol: this.base.protocol,
      hostname: this.base.hostname,
      ...(this.base.port ? { port: Number(this.base.port) } : {}),
      path: `${prefix}${wire.path}`,
      query,
      headers: {
        host: this.base.host,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    };
    if (!this.signer) return request;
    return await this.signer.sign(request, { signingDate: this.clock() }) as SmithyHttpRequest;
  }
}

function isDataApiErrorType(name: string): name is DataApiErrorType {
  return Object.prototype.hasOwnProperty.call(DATA_API_ERROR_STATUS, name);
}

/** RFC 3986 encoding, as SigV4's canonical query string has it. */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function queryString(query: Record<string, string | string[] | null> | undefined): string {
  const parts = Object.entries(query ?? {}).filter(([, v]) => typeof v === 'string')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${rfc3986(k)}=${rfc3986(v as string)}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** The blob as the Data API sends it: base64 of the bytes (a JSON value is sent as its JSON text). */
function encodePayload(payload: unknown): string {
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8').toString('base64');
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('base64');
  if (payload === undefined) throw new DataApiError('InvalidRequestException', 'a message has no payload; give its JSON text, bytes or value');
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64');
}

function errorEntries(entries: unknown): BatchErrorEntry[] {
  return Array.isArray(entries) ? entries.map((e: any) => ({ messageId: e.messageId, errorCode: e.errorCode, errorMessage: e.errorMessage })) : [];
}

function fromEpochSeconds(value: unknown): Date {
  return typeof value === 'number' ? new Date(Math.round(value * 1000)) : new Date(String(value));
}
