/**
 * The IoT Events Data API's REST binding (protocol `rest-json`, service model `iotevents-data` 2018-10-23):
 * routes an HTTP request to one of the five detector operations by method and path (the operations'
 * `http.requestUri`), checks it against the model's shapes (the table `SHAPES` below: required members,
 * types, lengths, patterns, ranges), calls the backend and renders its answer as the service did.
 *
 * - Bodies are JSON; `Message.payload` is a blob, sent base64-encoded, and handed to the backend decoded
 *   (a `Uint8Array`). Timestamps are rendered as epoch seconds (the protocol's default), `200` on success.
 * - A request that breaks a constraint fails as a whole with `InvalidRequestException` (400) and the
 *   service's message format: `1 validation error detected: Value '…' at 'messages.1.member.messageId'
 *   failed to satisfy constraint: Member must …` (the path names the member, lists 1-based).
 * - A batch operation's error entries come in the order of the request's entries, whatever order the backend
 *   found them in.
 * - Errors carry the `x-amzn-ErrorType` header (what the AWS SDKs read) and the body `{ "message": … }`;
 *   the status code is the model's `httpStatusCode` (400, 404, 429, 500, 503). A path or method that is no
 *   operation gets 404 `UnknownOperationException`.
 *
 * Self-contained apart from `./backend` (no CDK import): bundled into the runtime's Data API Lambda and used
 * by the local server (`greengrass-detectors serve`).
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/apireference/API_Operations_AWS_IoT_Events_Data.html
 */
import { randomUUID } from 'node:crypto';
import {
  DATA_API_ERROR_STATUS, DataApiBackend, DataApiError, DataApiErrorType, DataApiRequestContext, inRequestOrder,
} from './backend';
import type { BatchDeleteDetectorRequest, BatchErrorEntry, BatchPutMessageRequest, BatchUpdateDetectorRequest } from '../../../detector/simulator';
import { MAX_TIMESTAMP_MS } from '../../../private/detector-engine/data-api-limits';

/** An HTTP request, as API Gateway's proxy event or node:http give it. */
export interface DataApiHttpRequest {
  /** `GET`, `POST`, … (any case). */
  method: string;
  /** The path without the stage, e.g. `/detectors/Model/keyValues/`; URL-encoded segments are decoded here. A `?query` part is read too. */
  path: string;
  /** The query string parameters, decoded. */
  query: Record<string, string | undefined>;
  /** The body text (UTF-8). */
  body?: string;
  /**
   * The request's id (API Gateway's `requestContext.requestId`): handed to the backend and sent back as
   * `x-amzn-RequestId`. A random UUID when not given (the local server).
   */
  requestId?: string;
}

/** An HTTP response. */
export interface DataApiHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

// ---------------------------------------------------------------------------------------------------------
// The shapes of the service model the five operations use, with their constraints (as in botocore, but for the
// latest timestamp: MAX_TIMESTAMP_MS, and the API reference's 10 messages per BatchPutMessage).

type Shape =
  | { readonly type: 'string'; readonly min?: number; readonly max?: number; readonly pattern?: string }
  | { readonly type: 'integer' | 'long'; readonly min?: number; readonly max?: number }
  | { readonly type: 'blob' }
  | { readonly type: 'structure'; readonly required?: readonly string[]; readonly members: Readonly<Record<string, string>> }
  | { readonly type: 'list'; readonly member: string; readonly min?: number; readonly max?: number };

const SHAPES: Readonly<Record<string, Shape>> = {
  BatchPutMessageRequest: { type: 'structure', required: ['messages'], members: { messages: 'Messages' } },
  // botocore's model gives no max; the API reference's BatchPutMessage page does ("Maximum messages per batch: 10")
  Messages: { type: 'list', member: 'Message', min: 1, max: 10 },
  Message: {
    type: 'structure',
    required: ['messageId', 'inputName', 'payload'],
    members: { messageId: 'MessageId', inputName: 'EphemeralInputName', payload: 'Payload', timestamp: 'TimestampValue' },
  },
  MessageId: { type: 'string', min: 1, max: 64, pattern: '^[a-zA-Z0-9_-]+$' },
  EphemeralInputName: { type: 'string', min: 1, max: 128, pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$' },
  Payload: { type: 'blob' },
  TimestampValue: { type: 'structure', members: { timeInMillis: 'EpochMilliTimestamp' } },
  // the model's max is 2^63 - 1; the runtime takes times up to year 9999 (MAX_TIMESTAMP_MS)
  EpochMilliTimestamp: { type: 'long', min: 1, max: MAX_TIMESTAMP_MS },

  BatchUpdateDetectorRequest: { type: 'structure', required: ['detectors'], members: { detectors: 'UpdateDetectorRequests' } },
  UpdateDetectorRequests: { type: 'list', member: 'UpdateDetectorRequest', min: 1 },
  UpdateDetectorRequest: {
    type: 'structure',
    required: ['messageId', 'detectorModelName', 'state'],
    members: { messageId: 'MessageId', detectorModelName: 'DetectorModelName', keyValue: 'KeyValue', state: 'DetectorStateDefinition' },
  },
  DetectorModelName: { type: 'string', min: 1, max: 128, pattern: '^[a-zA-Z0-9_-]+$' },
  KeyValue: { type: 'string', min: 1, max: 128, pattern: '^[a-zA-Z0-9\\-_:]+$' },
  DetectorStateDefinition: {
    type: 'structure',
    required: ['stateName', 'variables', 'timers'],
    members: { stateName: 'StateName', variables: 'VariableDefinitions', timers: 'TimerDefinitions' },
  },
  StateName: { type: 'string', min: 1, max: 128 },
  VariableDefinitions: { type: 'list', member: 'VariableDefinition' },
  VariableDefinition: { type: 'structure', required: ['name', 'value'], members: { name: 'VariableName', value: 'VariableValue' } },
  VariableName: { type: 'string', min: 1, max: 128, pattern: '^[a-zA-Z][a-zA-Z0-9_]*$' },
  VariableValue: { type: 'string', min: 1, max: 1024 },
  TimerDefinitions: { type: 'list', member: 'TimerDefinition' },
  TimerDefinition: { type: 'structure', required: ['name', 'seconds'], members: { name: 'TimerName', seconds: 'Seconds' } },
  TimerName: { type: 'string', min: 1, max: 128 },
  Seconds: { type: 'integer' },

  BatchDeleteDetectorRequest: { type: 'structure', required: ['detectors'], members: { detectors: 'DeleteDetectorRequests' } },
  DeleteDetectorRequests: { type: 'list', member: 'DeleteDetectorRequest', min: 1 },
  DeleteDetectorRequest: {
    type: 'structure',
    required: ['messageId', 'detectorModelName'],
    members: { messageId: 'MessageId', detectorModelName: 'DetectorModelName', keyValue: 'KeyValue' },
  },

  // uri and querystring members
  DescribeDetectorRequest: { type: 'structure', required: ['detectorModelName'], members: { detectorModelName: 'DetectorModelName', keyValue: 'KeyValue' } },
  ListDetectorsRequest: {
    type: 'structure',
    required: ['detectorModelName'],
    members: { detectorModelName: 'DetectorModelName', stateName: 'StateName', nextToken: 'NextToken', maxResults: 'MaxResults' },
  },
  NextToken: { type: 'string' },
  MaxResults: { type: 'integer', min: 1, max: 250 },
};

function isDataApiErrorType(name: unknown): name is DataApiErrorType {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(DATA_API_ERROR_STATUS, name);
}

/**
 * A `DataApiError`, also from another copy of `./backend` (a second bundle). An AWS SDK error of the same name
 * (DynamoDB's `ResourceNotFoundException` for a missing table) is not one: it has no `errorType`, and it is an
 * internal failure of the runtime, not the caller's.
 */
function isDataApiError(e: any): e is DataApiError {
  return e instanceof DataApiError || (e instanceof Error && isDataApiErrorType((e as any).errorType)
    && typeof (e as any).statusCode === 'number' && (e as any).$metadata === undefined);
}

/**
 * Checks `value` against a shape; returns the constraint violations in the service's wording. Blobs are
 * replaced by their decoded bytes in place (the caller passes a parsed JSON copy).
 */
function validate(shapeName: string, value: unknown, path: string, out: string[]): unknown {
  const shape = SHAPES[shapeName];
  const at = (constraint: string, shown: unknown = value) =>
    out.push(`Value ${render(shown)} at '${path}' failed to satisfy constraint: Member must ${constraint}`);
  switch (shape.type) {
    case 'string': {
      if (typeof value !== 'string') return at('be a string'), value;
      const length = [...value].length;
      if (shape.min !== undefined && length < shape.min) at(`have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && length > shape.max) at(`have length less than or equal to ${shape.max}`);
      if (shape.pattern !== undefined && !new RegExp(shape.pattern, 'u').test(value)) at(`satisfy regular expression pattern: ${shape.pattern}`);
      return value;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return at(`be an ${shape.type === 'long' ? 'integer (long)' : 'integer'}`), value;
      if (shape.min !== undefined && value < shape.min) at(`have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) at(`have value less than or equal to ${shape.max}`);
      return value;
    }
    case 'blob': {
      if (typeof value !== 'string' || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
        return at('be a base64-encoded blob', typeof value === 'string' ? value.slice(0, 40) : value), value;
      }
      return new Uint8Array(Buffer.from(value, 'base64'));
    }
    case 'list': {
      if (!Array.isArray(value)) return at('be a list'), value;
      if (shape.min !== undefined && value.length < shape.min) at(`have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) at(`have length less than or equal to ${shape.max}`);
      return value.map((v, i) => {
        const memberPath = `${path}.${i + 1}.member`;
        // a list's members must not be null, as the service words it
        if (v === null || v === undefined) return out.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`), v;
        return validate(shape.member, v, memberPath, out);
      });
    }
    case 'structure': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return at('be a structure'), value;
      const input = value as Record<string, unknown>;
      const result: Record<string, unknown> = {};
      for (const [member, memberShape] of Object.entries(shape.members)) {
        const memberPath = path === '' ? member : `${path}.${member}`;
        const v = input[member];
        if (v === undefined || v === null) {
          if (shape.required?.includes(member)) out.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
          continue;
        }
        result[member] = validate(memberShape, v, memberPath, out);
      }
      return result;
    }
  }
}

function render(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? `[${value.length} items]` : 'a structure';
  return String(value);
}

/** Validates a request; throws the service's `InvalidRequestException` listing every violation. */
function checked<T>(shapeName: string, value: unknown): T {
  const problems: string[] = [];
  const result = validate(shapeName, value, '', problems);
  if (problems.length > 0) {
    throw new DataApiError('InvalidRequestException',
      `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  }
  return result as T;
}

// ---------------------------------------------------------------------------------------------------------
// Routing

interface Route {
  readonly operation: string;
  readonly method: 'GET' | 'POST';
  /** The path's segments; `{name}` is a uri member. */
  readonly segments: readonly string[];
  readonly run: (backend: DataApiBackend, params: Record<string, string>, req: DataApiHttpRequest, ctx: DataApiRequestContext) => Promise<unknown>;
}

const ROUTES: readonly Route[] = [
  {
    operation: 'BatchPutMessage',
    method: 'POST',
    segments: ['inputs', 'messages'],
    run: async (backend, _p, req, ctx) => {
      const request = checked<BatchPutMessageRequest>('BatchPutMessageRequest', body(req));
      const res = await backend.batchPutMessage(request, ctx);
      // The service's member is capitalized; the simulator's type spells it camelCase (jsii).
      const entries: BatchErrorEntry[] = (res as any).BatchPutMessageErrorEntries ?? res.batchPutMessageErrorEntries ?? [];
      return { BatchPutMessageErrorEntries: inRequestOrder(entries, request.messages.map((m) => m.messageId)).map(errorEntry) };
    },
  },
  {
    operation: 'BatchUpdateDetector',
    method: 'POST',
    segments: ['detectors'],
    run: async (backend, _p, req, ctx) => {
      const request = checked<BatchUpdateDetectorRequest>('BatchUpdateDetectorRequest', body(req));
      const res = await backend.batchUpdateDetector(request, ctx);
      const ids = request.detectors.map((d) => d.messageId);
      return { batchUpdateDetectorErrorEntries: inRequestOrder(res.batchUpdateDetectorErrorEntries ?? [], ids).map(errorEntry) };
    },
  },
  {
    operation: 'BatchDeleteDetector',
    method: 'POST',
    segments: ['detectors', 'delete'],
    run: async (backend, _p, req, ctx) => {
      const request = checked<BatchDeleteDetectorRequest>('BatchDeleteDetectorRequest', body(req));
      const res = await backend.batchDeleteDetector(request, ctx);
      const ids = request.detectors.map((d) => d.messageId);
      return { batchDeleteDetectorErrorEntries: inRequestOrder(res.batchDeleteDetectorErrorEntries ?? [], ids).map(errorEntry) };
    },
  },
  {
    operation: 'DescribeDetector',
    method: 'GET',
    segments: ['detectors', '{detectorModelName}', 'keyValues'],
    run: async (backend, params, req, ctx) => {
      const res = await backend.describeDetector(checked('DescribeDetectorRequest', {
        detectorModelName: params.detectorModelName, keyValue: req.query.keyValue,
      }), ctx);
      const d = res.detector;
      return {
        detector: {
          detectorModelName: d.detectorModelName,
          ...(d.keyValue !== undefined && d.keyValue !== null ? { keyValue: d.keyValue } : {}),
          detectorModelVersion: d.detectorModelVersion,
          state: {
            stateName: d.state.stateName,
            variables: (d.state.variables ?? []).map((v) => ({ name: v.name, value: v.value })),
            timers: (d.state.timers ?? []).map((t) => ({ name: t.name, timestamp: epochSeconds(t.timestamp) })),
          },
          creationTime: epochSeconds(d.creationTime),
          lastUpdateTime: epochSeconds(d.lastUpdateTime),
        },
      };
    },
  },
  {
    operation: 'ListDetectors',
    method: 'GET',
    segments: ['detectors', '{detectorModelName}'],
    run: async (backend, params, req, ctx) => {
      const maxResults = req.query.maxResults;
      const res = await backend.listDetectors(checked('ListDetectorsRequest', {
        detectorModelName: params.detectorModelName,
        stateName: req.query.stateName,
        nextToken: req.query.nextToken,
        // a querystring integer: a text that is no integer stays text and fails the check
        maxResults: maxResults === undefined ? undefined : /^-?\d+$/.test(maxResults) ? Number(maxResults) : maxResults,
      }), ctx);
      return {
        detectorSummaries: (res.detectorSummaries ?? []).map((d) => ({
          detectorModelName: d.detectorModelName,
          ...(d.keyValue !== undefined && d.keyValue !== null ? { keyValue: d.keyValue } : {}),
          detectorModelVersion: d.detectorModelVersion,
          state: { stateName: d.state.stateName },
          creationTime: epochSeconds(d.creationTime),
          lastUpdateTime: epochSeconds(d.lastUpdateTime),
        })),
        ...(res.nextToken !== undefined && res.nextToken !== null ? { nextToken: res.nextToken } : {}),
      };
    },
  },
];

function body(req: DataApiHttpRequest): unknown {
  if (req.body === undefined || req.body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body);
  } catch (e: any) {
    throw new DataApiError('InvalidRequestException', `the request body is not valid JSON (${e.message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new DataApiError('InvalidRequestException', `the request body must be a JSON object, got ${req.body.trim().slice(0, 60)}`);
  }
  return parsed;
}

function errorEntry(e: { messageId: string; errorCode: string; errorMessage: string }) {
  return { messageId: e.messageId, errorCode: e.errorCode, errorMessage: e.errorMessage };
}

/** A timestamp as the rest-json protocol sends it: epoch seconds, milliseconds as the fraction. */
function epochSeconds(t: Date | string | number): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'string' ? Date.parse(t) : t;
  return ms / 1000;
}

function match(route: Route, segments: readonly string[]): Record<string, string> | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const want = route.segments[i];
    if (want.startsWith('{')) {
      params[want.slice(1, -1)] = segments[i];
    } else if (want !== segments[i]) {
      return undefined;
    }
  }
  return params;
}

/**
 * The path's segments, URL-decoded. An empty segment inside the path is kept: it is an empty uri member, as the
 * SDKs send a `detectorModelName` of `''` (`/detectors//keyValues`, `/detectors/`), which the check then refuses
 * naming the member. Only the leading `/` is dropped; a trailing `/` is matched with and without (`routesOf`).
 */
function splitPath(path: string): { segments: string[]; query: Record<string, string> } {
  const q = path.indexOf('?');
  const query: Record<string, string> = {};
  if (q >= 0) new URLSearchParams(path.slice(q + 1)).forEach((v, k) => { query[k] = v; });
  const raw = (q >= 0 ? path.slice(0, q) : path).replace(/^\//, '');
  const segments = raw === '' ? [] : raw.split('/');
  return { segments: segments.map((s) => { try { return decodeURIComponent(s); } catch { return s; } }), query };
}

/**
 * The route and uri members a request's method and segments select: the path without its trailing `/` first
 * (the model writes DescribeDetector's uri `/detectors/{detectorModelName}/keyValues/`, the SDKs send it without),
 * then as it is, where the trailing `/` ends an empty last member (`GET /detectors/`: ListDetectors of `''`).
 */
function routeOf(method: string, segments: readonly string[]): { route: Route; params: Record<string, string> } | undefined {
  const trimmed = segments.length > 0 && segments[segments.length - 1] === '' ? segments.slice(0, -1) : undefined;
  for (const candidate of trimmed ? [trimmed, segments] : [segments]) {
    for (const route of ROUTES) {
      if (route.method !== method) continue;
      const params = match(route, candidate);
      if (params) return { route, params };
    }
  }
  return undefined;
}

function response(requestId: string, statusCode: number, payload: unknown, extra: Record<string, string> = {}): DataApiHttpResponse {
  const text = JSON.stringify(payload);
  return {
    statusCode,
    headers: {
      'Content-Type': 'application/json',
      'x-amzn-RequestId': requestId,
      ...extra,
    },
    body: text,
  };
}

function errorResponse(requestId: string, errorType: string, message: string, statusCode: number): DataApiHttpResponse {
  return response(requestId, statusCode, { message }, { 'x-amzn-ErrorType': errorType });
}

/**
 * Serves one Data API request: routes it, validates it, calls the backend and renders the response, or the
 * error as the service does. Never throws: an unexpected backend error is a 500 `InternalFailureException`
 * (its stack logged with `console.error`, its text not shown to the caller).
 */
export async function handleDataApiRequest(backend: DataApiBackend, req: DataApiHttpRequest): Promise<DataApiHttpResponse> {
  const method = req.method.toUpperCase();
  const requestId = req.requestId || randomUUID();
  const { segments, query: pathQuery } = splitPath(req.path);
  const request: DataApiHttpRequest = { ...req, query: { ...pathQuery, ...definedOnly(req.query ?? {}) } };
  const routed = routeOf(method, segments);
  if (routed) {
    const { route, params } = routed;
    try {
      return response(requestId, 200, await route.run(backend, params, request, { requestId }));
    } catch (e: any) {
      if (isDataApiError(e)) return errorResponse(requestId, e.errorType, e.message, e.statusCode);
      console.error(`${route.operation} failed`, e);
      return errorResponse(requestId, 'InternalFailureException', `${route.operation} failed with an internal error (request logged)`, 500);
    }
  }
  const known = ROUTES.map((r) => `${r.method} /${r.segments.join('/')}`).join(', ');
  return errorResponse(requestId, 'UnknownOperationException',
    `no operation of the IoT Events Data API matches ${method} ${req.path.split('?')[0]}; the operations are ${known}`, 404);
}

function definedOnly(q: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}
