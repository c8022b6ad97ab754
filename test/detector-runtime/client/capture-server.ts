/**
 * An HTTP server that records each request as received (method, raw URL, headers, body) and answers it with the
 * Data API's REST binding over the simulator: the role API Gateway plays in front of the runtime. A stage path
 * prefix (`/prod`) is removed before the binding, as API Gateway does.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { DetectorModelDefinition, DetectorSimulator, InputDefinition } from '../../../src/detector';
import { handleDataApiRequest } from '../../../src/detector-runtime/private/data-api/rest-binding';
import { SimulatorBackend } from '../../../src/detector-runtime/private/data-api/simulator-backend';
import { START_MS, THERMOSTAT } from '../local-runtime';
import { ReceivedRequest } from './sigv4-oracle';

export interface CaptureServer {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startCaptureServer(stage = ''): Promise<CaptureServer> {
  const simulator = new DetectorSimulator({
    detectorModels: [DetectorModelDefinition.fromJson(THERMOSTAT.detectorModel)],
    inputs: THERMOSTAT.inputs.map((i) => InputDefinition.fromJson(i)),
    startTime: new Date(START_MS),
  });
  const backend = new SimulatorBackend(simulator, { clock: 'manual' });
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method!, url: req.url!, headers: { ...req.headers }, body });
      const url = new URL(req.url!, 'http://localhost');
      const path = stage && url.pathname.startsWith(stage) ? url.pathname.slice(stage.length) : url.pathname;
      const query: Record<string, string> = {};
      url.searchParams.forEach((v, k) => { query[k] = v; });
      void handleDataApiRequest(backend, { method: req.method!, path, query, body }).then((out) => {
        res.writeHead(out.statusCode, out.headers);
        res.end(out.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${stage}`,
    port,
    requests,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
