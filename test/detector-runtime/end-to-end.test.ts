/**
 * End to end, locally: the package's bin (`greengrass-detectors serve`, run as a child process) serves a detector
 * model; an input message sent with plain HTTP (BatchPutMessage as the REST binding has it) reaches the detector,
 * a timer fires through POST /_simulator/advanceTime, and DescribeDetector reads the result back.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { b64, THERMOSTAT, writeJsonFiles } from './local-runtime';
import { DetectorDataClient } from '../../src/detector-runtime/client';

const REPO = path.resolve(__dirname, '..', '..');

/** Starts the bin on a free port; resolves with its URL once it printed it. */
function serve(files: string[], args: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', path.join(REPO, 'src/detector-runtime/cli/main.ts'), 'serve', '--port', '0', ...args, ...files], {
    cwd: REPO,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: path.join(REPO, 'test/tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = / on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.stderr!.on('data', (c) => { err += c; });
    child.on('exit', (code) => reject(new Error(`greengrass-detectors exited with ${code}: ${err}`)));
  });
}

describe('greengrass-detectors serve, end to end', () => {
  let child: ChildProcess | undefined;
  afterEach(() => { child?.kill('SIGTERM'); });

  test('BatchPutMessage over HTTP → detector state → DescribeDetector', async () => {
    const started = await serve(writeJsonFiles({ 'thermostat.json': THERMOSTAT }), ['--clock', 'manual']);
    child = started.child;
    const { url } = started;

    const put = await fetch(`${url}/inputs/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: [
          { messageId: 'r1', inputName: 'TemperatureInput', payload: b64({ deviceId: 'boiler-7', temperature: 28 }) },
          { messageId: 'r2', inputName: 'TemperatureInput', payload: b64({ deviceId: 'boiler-7', temperature: 41 }) },
        ],
      }),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ BatchPutMessageErrorEntries: [] });

    const client = new DetectorDataClient({ endpoint: url, signed: false });
    const hot = await client.describeDetector({ detectorModelName: 'Thermostat', keyValue: 'boiler-7' });
    expect(hot.detector.state).toMatchObject({ stateName: 'Overheated', variables: [{ name: 'lastTemperature', value: '41' }] });

    const actions: any = await (await fetch(`${url}/_simulator/actions`)).json();
    expect(actions.actions.map((a: any) => [a.type, a.keyValue, a.eventName, a.configuration.targetArn])).toEqual([
      ['sns', 'boiler-7', 'Alarm', 'arn:aws:sns:eu-west-1:123456789012:alarms'],
    ]);

    // the reading of 41 was recorded in Normal before the transition (BATCH); cooled down (Overheated records
    // nothing), then silent for 300 s: the heartbeat timer puts it Offline
    await client.batchPutMessage({ messages: [{ messageId: 'r3', inputName: 'TemperatureInput', payload: { deviceId: 'boiler-7', temperature: 22 } }] });
    const before = (await client.describeDetector({ detectorModelName: 'Thermostat', keyValue: 'boiler-7' })).detector;
    expect(before.state.stateName).toBe('Normal');
    const advanced = await fetch(`${url}/_simulator/advanceTime`, { method: 'POST', body: JSON.stringify({ seconds: 300 }) });
    expect(advanced.status).toBe(200);
    const after = (await client.describeDetector({ detectorModelName: 'Thermostat', keyValue: 'boiler-7' })).detector;
    expect(after.state).toEqual({ stateName: 'Offline', variables: [{ name: 'lastTemperature', value: '41' }], timers: [] });
    expect(after.lastUpdateTime.getTime() - before.lastUpdateTime.getTime()).toBe(300_000);
  }, 60_000);

  test('--help', async () => {
    const help = spawn(process.execPath, ['-r', 'ts-node/register', path.join(REPO, 'src/detector-runtime/cli/main.ts'), '--help'], {
      cwd: REPO, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: path.join(REPO, 'test/tsconfig.json') },
    });
    let out = '';
    help.stdout.on('data', (c) => { out += c; });
    const code = await new Promise((resolve) => help.on('exit', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: greengrass-detectors serve --port <n> \[options\] <file>\.\.\./);
  }, 60_000);
});
