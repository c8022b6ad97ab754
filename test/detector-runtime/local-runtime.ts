/**
 * Test helpers of the Data API: a self-contained detector model (so the tests run without ../shared) and a
 * local server over it, started in-process on a free port with a manual clock.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadDefinitionFiles } from '../../src/detector-runtime/cli/load';
import { LocalServer, LocalServerOptions, startLocalServer } from '../../src/detector-runtime/cli/serve';

/** 2026-01-01T00:00:00Z: the simulated start of every test server. */
export const START_MS = Date.UTC(2026, 0, 1);

/**
 * A thermostat per device (key `deviceId`): Normal ↔ Overheated on `temperature > 30`, Offline when no reading
 * came for 300 s (timer `heartbeat`), back to Normal on the next reading; Overheated publishes to SNS.
 */
export const THERMOSTAT = {
  inputs: [{ inputName: 'TemperatureInput', attributes: ['deviceId', 'temperature'] }],
  detectorModel: {
    detectorModelName: 'Thermostat',
    key: 'deviceId',
    evaluationMethod: 'BATCH',
    detectorModelDefinition: {
      initialStateName: 'Normal',
      states: [
        {
          stateName: 'Normal',
          onEnter: { events: [{ eventName: 'StartHeartbeat', actions: [{ setTimer: { timerName: 'heartbeat', seconds: 300 } }] }] },
          onInput: {
            events: [
              {
                eventName: 'Record',
                condition: 'currentInput("TemperatureInput")',
                actions: [
                  { setVariable: { variableName: 'lastTemperature', value: '$input.TemperatureInput.temperature' } },
                  { resetTimer: { timerName: 'heartbeat' } },
                ],
              },
            ],
            transitionEvents: [
              { eventName: 'TooHot', condition: '$input.TemperatureInput.temperature > 30', nextState: 'Overheated', actions: [] },
              { eventName: 'Silent', condition: 'timeout("heartbeat")', nextState: 'Offline', actions: [] },
            ],
          },
          onExit: { events: [] },
        },
        {
          stateName: 'Overheated',
          onEnter: { events: [{ eventName: 'Alarm', actions: [{ sns: { targetArn: 'arn:aws:sns:eu-west-1:123456789012:alarms' } }] }] },
          onInput: {
            events: [],
            transitionEvents: [{ eventName: 'CooledDown', condition: '$input.TemperatureInput.temperature <= 30', nextState: 'Normal', actions: [] }],
          },
          onExit: { events: [] },
        },
        {
          stateName: 'Offline',
          onEnter: { events: [] },
          onInput: {
            events: [],
            transitionEvents: [{ eventName: 'Back', condition: 'currentInput("TemperatureInput")', nextState: 'Normal', actions: [] }],
          },
          onExit: { events: [] },
        },
      ],
    },
  },
};

/** Writes JSON documents into a fresh temporary folder; returns their paths. */
export function writeJsonFiles(docs: Record<string, unknown>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-api-'));
  return Object.entries(docs).map(([name, doc]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(doc));
    return file;
  });
}

/** Starts a local server over files (default: the thermostat), manual clock from START_MS, on a free port. */
export async function startTestServer(files?: string[], options: Partial<LocalServerOptions> = {}): Promise<LocalServer> {
  const definitions = loadDefinitionFiles(files ?? writeJsonFiles({ 'thermostat.json': THERMOSTAT }));
  return startLocalServer(definitions, { port: 0, clock: 'manual', startTime: new Date(START_MS), ...options });
}

/** The payload as the Data API sends it (base64 of the JSON text). */
export function b64(json: unknown): string {
  return Buffer.from(JSON.stringify(json)).toString('base64');
}
