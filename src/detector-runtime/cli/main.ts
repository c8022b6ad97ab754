#!/usr/bin/env node
/**
 * `greengrass-detectors`: the package's command line.
 *
 *   greengrass-detectors serve --port <n> [--clock wall|manual] [--max-requests-per-second <n>] <file>...
 *
 * serves the IoT Events Data API on http://127.0.0.1:<n> with the detector simulator (see ./serve.ts).
 */
import { parseArgs } from 'node:util';
import { loadDefinitionFiles } from './load';
import { startLocalServer } from './serve';

export const USAGE = `Usage: greengrass-detectors serve --port <n> [options] <file>...

Serves the AWS IoT Events Data API (BatchPutMessage, BatchUpdateDetector, BatchDeleteDetector,
DescribeDetector, ListDetectors) over HTTP on 127.0.0.1 with the detector simulator, for local development.
Point any Data API caller at http://127.0.0.1:<n> (requests are not authenticated; any signature is accepted).

Each <file> is JSON holding a detector model (CreateDetectorModel request, DescribeDetectorModel response,
AWS::IoTEvents::DetectorModel resource or its Properties, or a CloudFormation template), an input (CreateInput
request, DescribeInput response, AWS::IoTEvents::Input), { "inputs": [...], "detectorModel": {...} }, or an
array of these.

Options:
  --port <n>                     TCP port (0 picks a free one; the URL is printed)       [required]
  --clock wall|manual            wall: simulated time follows the wall clock, timers fire in real time;
                                 manual: time moves only with POST /_simulator/advanceTime     [wall]
  --max-requests-per-second <n>  answer ThrottlingException (429) above this rate          [no limit]
  -h, --help                     print this help

Local routes:
  POST /_simulator/advanceTime  {"seconds": <n>}   move the simulated time forward, firing due timers
  GET  /_simulator/time                            the simulated time
  GET  /_simulator/actions                         the actions detectors took (never executed locally)
`;

/** Runs the command line; returns the exit code (or never returns while serving). */
export async function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'port': { type: 'string' },
        'clock': { type: 'string' },
        'max-requests-per-second': { type: 'string' },
        'help': { type: 'boolean', short: 'h' },
      },
    });
  } catch (e: any) {
    err(`greengrass-detectors: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    (values.help ? out : err)(USAGE);
    return values.help ? 0 : 2;
  }
  const [command, ...files] = positionals;
  if (command !== 'serve') {
    err(`greengrass-detectors: unknown command '${command}'; the command is 'serve'\n\n${USAGE}`);
    return 2;
  }
  // decimal digits only: Number() would read '' as 0, '0x50' as 80 and ' 8' as 8
  const port = values.port !== undefined && /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN;
  if (!Number.isInteger(port) || port > 65535) {
    const shown = values.port === undefined ? 'nothing' : /^\S+$/.test(values.port) ? values.port : `'${values.port}'`;
    err(`greengrass-detectors: --port must be a TCP port from 0 to 65535, got ${shown}`);
    return 2;
  }
  const clock = values.clock ?? 'wall';
  if (clock !== 'wall' && clock !== 'manual') {
    err(`greengrass-detectors: --clock must be wall or manual, got ${clock}`);
    return 2;
  }
  const rateText = values['max-requests-per-second'];
  const rate = rateText === undefined ? undefined : Number(rateText);
  if (rate !== undefined && (!Number.isFinite(rate) || rate <= 0)) {
    err(`greengrass-detectors: --max-requests-per-second must be a number > 0, got ${rateText}`);
    return 2;
  }
  if (files.length === 0) {
    err(`greengrass-detectors: serve needs at least one file holding a detector model\n\n${USAGE}`);
    return 2;
  }
  let server;
  try {
    const definitions = loadDefinitionFiles(files);
    server = await startLocalServer(definitions, { port, clock, maxRequestsPerSecond: rate });
  } catch (e: any) {
    err(`greengrass-detectors: ${e.message}`);
    return 1;
  }
  for (const warning of server.warnings) err(`greengrass-detectors: warning: ${warning}`);
  out(`greengrass-detectors: IoT Events Data API for detector models ${server.simulator.detectorModelNames.join(', ')} on ${server.url}`);
  const stop = () => { void server.close().then(() => process.exit(0)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => undefined);
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    console.error(e);
    process.exit(1);
  });
}
