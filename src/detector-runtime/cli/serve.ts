/**
 * The local detector runtime: the IoT Events Data API over HTTP (node:http) on 127.0.0.1, answered by the
 * `DetectorSimulator` through the same REST binding the AWS runtime's Data API Lambda uses.
 *
 * Besides the five Data API operations, the local server has routes of its own under `/_simulator/`:
 * - `POST /_simulator/advanceTime` with `{ "seconds": <n> }`: moves the simulated time forward, firing the
 *   timers due on the way; answers `{ "currentTime": "<ISO 8601>", "timeInMillis": <n> }`;
 * - `GET /_simulator/time`: the simulated time, same answer;
 * - `GET /_simulator/actions`: the external actions detectors took so far (never executed locally).
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { LoadedDefinitions } from './load';
import { DetectorSimulator, DetectorTraceLevel } from '../../detector/simulator';
import { DataApiBackend, DataApiError } from '../private/data-api/backend';
import { handleDataApiRequest } from '../private/data-api/rest-binding';
import { SimulatorBackend, SimulatorClock, ThrottlingBackend } from '../private/data-api/simulator-backend';

/** The largest request body the local server reads (bytes). */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Options of the local server. */
export interface LocalServerOptions {
  /** The TCP port; 0 picks a free one. */
  readonly port: number;
  /** The address to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** How the simulated time moves (see `SimulatorBackend`). @default 'wall' */
  readonly clock?: SimulatorClock;
  /** Answer ThrottlingException above this many requests per second. @default - no limit */
  readonly maxRequestsPerSecond?: number;
  /** The simulated time at start. @default - now */
  readonly startTime?: Date;
}

/** A running local server. */
export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly simulator: DetectorSimulator;
  readonly backend: SimulatorBackend;
  /** What the definitions make likely to go wrong (a key the inputs do not declare): printed at start. */
  readonly warnings: string[];
  close(): Promise<void>;
}

/** Starts the local Data API server over the given models and inputs. */
export async function startLocalServer(definitions: LoadedDefinitions, options: LocalServerOptions): Promise<LocalServer> {
  const simulator = new DetectorSimulator({
    detectorModels: definitions.detectorModels,
    inputs: definitions.inputs,
    startTime: options.startTime ?? new Date(),
  });
  const backend = new SimulatorBackend(simulator, { clock: options.clock ?? 'wall' });
  const api: DataApiBackend = options.maxRequestsPerSecond !== undefined
    ? new ThrottlingBackend(backend, options.maxRequestsPerSecond) : backend;

  const server = http.createServer((req, res) => {
    void serve(req, res).catch((e) => {
      console.error('greengrass-detectors: request failed', e);
      if (!res.headersSent) send(res, 500, { message: 'internal failure of the local server' }, { 'x-amzn-ErrorType': 'InternalFailureException' });
    });
  });

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // the request target as a path ('//detectors' is a path here, not a URL of host 'detectors')
    const target = req.url ?? '/';
    const url = new URL(target.startsWith('/') ? `http://127.0.0.1${target}` : target, 'http://127.0.0.1');
    let body: string;
    try {
      body = await readBody(req);
    } catch (e: any) {
      return send(res, 400, { message: e.message }, { 'x-amzn-ErrorType': 'InvalidRequestException' });
    }
    if (url.pathname.startsWith('/_simulator/')) return simulatorRoute(req.method ?? 'GET', url.pathname, body, res);
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => { query[k] = v; });
    const out = await handleDataApiRequest(api, { method: req.method ?? 'GET', path: url.pathname, query, body });
    res.writeHead(out.statusCode, { ...out.headers, 'Content-Length': Buffer.byteLength(out.body) });
    res.end(out.body);
  }

  function simulatorRoute(method: string, path: string, body: string, res: http.ServerResponse): void {
    const time = (t: Date) => ({ currentTime: t.toISOString(), timeInMillis: t.getTime() });
    try {
      if (method === 'POST' && path === '/_simulator/advanceTime') {
        let seconds: unknown;
        try {
          seconds = JSON.parse(body || '{}').seconds;
        } catch {
          throw new DataApiError('InvalidRequestException', 'the body must be JSON: { "seconds": <number> }');
        }
        return send(res, 200, time(backend.advanceTime(seconds as number)));
      }
      if (method === 'GET' && path === '/_simulator/time') return send(res, 200, time(backend.currentTime()));
      if (method === 'GET' && path === '/_simulator/actions') {
        backend.currentTime();
        return send(res, 200, { actions: simulator.actions });
      }
      return send(res, 404, { message: `no route ${method} ${path}; the local routes are POST /_simulator/advanceTime, GET /_simulator/time, GET /_simulator/actions` },
        { 'x-amzn-ErrorType': 'UnknownOperationException' });
    } catch (e: any) {
      if (e instanceof DataApiError) return send(res, e.statusCode, { message: e.message }, { 'x-amzn-ErrorType': e.errorType });
      throw e;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const where = `port ${options.port} on ${options.host ?? '127.0.0.1'}`;
      if (e.code === 'EADDRINUSE') reject(new Error(`${where} is in use; pick another --port (0 picks a free one)`));
      else if (e.code === 'EACCES') reject(new Error(`${where} needs privileges this process does not have; pick a --port above 1023 (0 picks a free one)`));
      else reject(e);
    });
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    simulator,
    backend,
    warnings: simulator.trace.filter((t) => t.level === DetectorTraceLevel.WARNING).map((t) => t.description),
    close: () => new Promise<void>((resolve, reject) => {
      server.close((e) => (e ? reject(e) : resolve()));
      server.closeAllConnections();
    }),
  };
}

function send(res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // past the limit the rest is read and dropped, so that the caller gets the 400 answer
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => (size > MAX_BODY_BYTES
      ? reject(new Error(`the request body is ${size} bytes; the local server reads at most ${MAX_BODY_BYTES}`))
      : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}
