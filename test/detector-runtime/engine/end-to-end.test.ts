import { Duration } from 'aws-cdk-lib';
import { REFERENCE, T0, pressure } from './reference-model';
import { DetectorModelDefinition, DetectorSimulator as Simulator, InputDefinition } from '../../../src/detector';
import { handleDataApiRequest } from '../../../src/detector-runtime/private/data-api/rest-binding';
import { LocalRunResult, runEngineLocally } from '../../../src/detector-runtime/private/engine/local-harness';
import { RELAY_INPUTS, RELAY_MODEL, relayMessage } from '../../detector/relay-model';
import { DECIMAL_STATES, INTEGER_STATES, READING, READINGS, SETUP, THERMOSTAT, readingText, setupText } from '../../detector/zone-thermostat';

jest.setTimeout(60_000);

describe('end to end: Kinesis record → ingest → FIFO queue → processor → table → describeDetector', () => {
  test('a reading over 70 alarms once, the heartbeat timer takes the silent motor Offline', async () => {
    const run = await runEngineLocally({
      models: [REFERENCE],
      messages: [pressure('m1', 50, T0), pressure('m1', 80, T0 + 1_000), pressure('m1', 90, T0 + 2_000), pressure('m2', 40, T0 + 3_000)],
      untilMs: T0 + 3_000 + 600_000,
      keepOpen: true,
    });
    try {
      // one SNS Publish: Normal → Dangerous with breaches 3; the second high reading stays Dangerous
      const published = run.actions.filter((a) => a.service === 'SNS');
      expect(published).toHaveLength(1);
      expect(published[0].input.TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:motorAlarm');
      const alarm = JSON.parse(published[0].input.Message).payload;
      expect(alarm.detector).toEqual({ detectorModelName: 'motorPressure', keyValue: 'm1', detectorModelVersion: '1' });
      expect(alarm.eventTriggerDetails).toEqual({ inputName: 'PressureInput', messageId: 'shardId-000000000000:00000000000000000002', triggerType: 'Message' });

      // 300 s without a message: both motors went Offline when their heartbeat schedules fired
      const d1 = await run.runtime.backend.describeDetector({ detectorModelName: 'motorPressure', keyValue: 'm1' });
      expect(d1.detector.state.stateName).toBe('Offline');
      expect(d1.detector.state.timers).toEqual([]);
      expect(d1.detector.creationTime).toEqual(new Date(T0));
      expect(d1.detector.lastUpdateTime).toEqual(new Date(T0 + 2_000 + 300_000));
      const list = await run.runtime.backend.listDetectors({ detectorModelName: 'motorPressure' });
      expect(list.detectorSummaries.map((s) => [s.keyValue, s.state.stateName])).toEqual([['m1', 'Offline'], ['m2', 'Offline']]);
      expect(run.metrics.MessagesEvaluated).toBe(4);
      expect(run.metrics.TimersFired).toBe(2);
      expect(run.deadLetters).toBe(0);
      // the first window packed m1's three messages into one SQS message: one state write for them
      expect(run.invocations.ingest).toBe(1);
    } finally {
      await run.close();
    }
  });

  test('a message after a timer fell due fires the timer first, at its due time; the late schedule is stale', async () => {
    const run = await runEngineLocally({
      models: [REFERENCE],
      // 400 s of silence, then a reading: in one batching window of 1 h, the schedule has not fired yet
      messages: [pressure('m1', 50, T0), pressure('m1', 55, T0 + 400_000)],
      batchWindowMs: 3_600_000,
      untilMs: T0 + 7_200_000,
      keepOpen: true,
    });
    try {
      const d = await run.runtime.backend.describeDetector({ detectorModelName: 'motorPressure', keyValue: 'm1' });
      // Offline at T0+300 s (fired inline, before the reading), 'back' to Normal with the reading, whose new
      // heartbeat (due T0+700 s) fired from its schedule: Offline again
      expect(d.detector.state.stateName).toBe('Offline');
      expect(d.detector.lastUpdateTime).toEqual(new Date(T0 + 700_000));
      expect(run.metrics.TimersFired).toBe(2);
      // one schedule put for the pack (the timer's final due time), not one per timer change
      expect(run.counter.count('Scheduler')).toBe(1);
    } finally {
      await run.close();
    }
  });
});

describe('the AWS engine agrees with DetectorSimulator', () => {
  test('300 messages over 12 motors with silences: every detector ends in the same state with the same variables', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DetectorSimulator } = require('../../../src/detector/simulator');
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const messages = [];
    let t = T0;
    for (let i = 0; i < 300; i++) {
      t += Math.floor(rnd() * 20_000);
      if (i === 150) t += 400_000; // everyone silent: heartbeats fire
      const motor = `m${Math.floor(rnd() * 12)}`;
      messages.push(pressure(motor, rnd() < 0.3 ? 75 + Math.floor(rnd() * 20) : 40 + Math.floor(rnd() * 30), t));
    }
    const until = t + 1_000_000;
    const run = await runEngineLocally({ models: [REFERENCE], messages, untilMs: until, keepOpen: true });
    try {
      const sim = new DetectorSimulator({ detectorModels: [REFERENCE.detectorModel], inputs: REFERENCE.inputs, startTime: new Date(T0) });
      for (const m of messages) sim.batchPutMessage({ messages: [{ messageId: `x${m.timestampMs}`, inputName: m.inputName, payload: m.payload, timestamp: { timeInMillis: m.timestampMs } }] });
      sim.advanceTime(Duration.millis(until - sim.currentTime.getTime()));
      const expected = sim.listDetectors({ detectorModelName: 'motorPressure' }).detectorSummaries.map((s: any) => {
        const d = sim.describeDetector({ detectorModelName: 'motorPressure', keyValue: s.keyValue }).detector;
        return [d.keyValue, d.state.stateName, d.state.variables];
      }).sort();
      const got = [];
      for (const s of (await run.runtime.backend.listDetectors({ detectorModelName: 'motorPressure' })).detectorSummaries) {
        const d = (await run.runtime.backend.describeDetector({ detectorModelName: 'motorPressure', keyValue: s.keyValue })).detector;
        got.push([d.keyValue, d.state.stateName, d.state.variables]);
      }
      expect(got.sort()).toEqual(expected);
      expect(expected.length).toBe(12);
      expect(run.actions.filter((a) => a.service === 'SNS').length).toBe(sim.actions.filter((a: any) => a.type === 'sns').length);
      expect(run.actions.filter((a) => a.service === 'IoTDataPlane').length).toBe(sim.actions.filter((a: any) => a.type === 'iotTopicPublish' && !a.error).length);
      // the 'cleared' publish of a timer-driven exit has no $input: IoT Events fails it, so does the runtime
      expect(run.metrics.ActionFailures).toBe(sim.actions.filter((a: any) => a.error).length);
      expect(run.metrics.StaleTimers).toBeGreaterThan(0);
    } finally {
      await run.close();
    }
  });
});

describe('the AWS engine reads 20.0 as a decimal and keeps it in the stored state, as DetectorSimulator does', () => {
  const ZONE = { detectorModel: THERMOSTAT, inputs: [SETUP, READING] };
  // a minute apart, each in its own batching window: every message is its own pack, so the variables go
  // through the table between them
  const messages = (setPoint: string) => [
    { inputName: 'ZoneSetup', payload: setupText('z1', setPoint), timestampMs: T0 },
    ...READINGS.map((c, i) => ({ inputName: 'ZoneReading', payload: readingText('z1', c), timestampMs: T0 + (i + 1) * 60_000 })),
  ];
  const simulated = (setPoint: string) => {
    const sim = new Simulator({
      detectorModels: [DetectorModelDefinition.fromJson(THERMOSTAT)],
      inputs: [SETUP, READING].map((i) => InputDefinition.fromJson(i)),
      startTime: new Date(T0),
    });
    for (const m of messages(setPoint)) {
      sim.batchPutMessage({ messages: [{ messageId: `x${m.timestampMs}`, inputName: m.inputName, payload: m.payload, timestamp: { timeInMillis: m.timestampMs } }] });
    }
    const { state } = sim.describeDetector({ detectorModelName: 'zoneThermostat', keyValue: 'z1' }).detector;
    return { stateName: state.stateName, variables: state.variables };
  };

  test.each([
    ['20.0', DECIMAL_STATES.at(-1), '19.94'],
    ['20', INTEGER_STATES.at(-1), '19'],
  ])('set point %s: the zone ends %s with mean %s, the same detector as in the simulator', async (setPoint, stateName, mean) => {
    const run = await runEngineLocally({ models: [ZONE], messages: messages(setPoint), batchWindowMs: 1_000, keepOpen: true });
    try {
      expect(run.invocations.ingest).toBe(3);
      const { state } = (await run.runtime.backend.describeDetector({ detectorModelName: 'zoneThermostat', keyValue: 'z1' })).detector;
      const got = { stateName: state.stateName, variables: state.variables };
      expect(got).toEqual(simulated(setPoint));
      expect(got).toEqual({
        stateName,
        variables: [{ name: 'margin', value: '0.5' }, { name: 'mean', value: mean }, { name: 'sensors', value: '10' }, { name: 'target', value: '20' }],
      });
    } finally {
      await run.close();
    }
  });

  test('BatchUpdateDetector\'s "20.0" is a decimal; a reading sent through the Data API as bytes then cools the zone', async () => {
    const run = await runEngineLocally({ models: [ZONE], messages: messages('21'), batchWindowMs: 1_000, keepOpen: true });
    try {
      const backend = run.runtime.backend;
      const variables = [{ name: 'target', value: '20.0' }, { name: 'mean', value: '20.0' }, { name: 'margin', value: '0.5' }, { name: 'sensors', value: '10' }];
      const updated = await backend.batchUpdateDetector({ detectors: [{ messageId: 'u1', detectorModelName: 'zoneThermostat', keyValue: 'z1', state: { stateName: 'holding', variables, timers: [] } }] });
      expect(updated.batchUpdateDetectorErrorEntries).toEqual([]);
      await run.drain();
      const put = await backend.batchPutMessage({
        messages: [{ messageId: 'r9', inputName: 'ZoneReading', payload: new TextEncoder().encode(readingText('z1', 26)), timestamp: { timeInMillis: run.nowMs + 60_000 } }],
      });
      expect(put.batchPutMessageErrorEntries).toEqual([]);
      await run.drain();
      const { state } = (await backend.describeDetector({ detectorModelName: 'zoneThermostat', keyValue: 'z1' })).detector;
      // (20.0 * 9 + 26) / 10 = 20.6 > 20.5: cooling; with "20" it would be the integer 20, still holding
      expect(state.stateName).toBe('cooling');
      expect(state.variables).toContainEqual({ name: 'mean', value: '20.6' });
    } finally {
      await run.close();
    }
  });
});

describe('a messageId sent again within 5 minutes is ignored, as IoT Events ignored it', () => {
  test('backend calls and REST requests: the runtime ignores the same messages as the simulator; the runtime per detector, the simulator for all', async () => {
    const run = await runEngineLocally({ models: [REFERENCE], messages: [pressure('m9', 50, T0)], keepOpen: true });
    try {
      const message = (messageId: string, motorid: string, value: number, at: number) => ({
        messageId, inputName: 'PressureInput', payload: JSON.stringify({ motorid, sensorData: { pressure: value } }), timestamp: { timeInMillis: at },
      });
      const requests = [
        message('reading', 'm1', 80, T0 + 10_000), // Dangerous, breaches 3
        message('reading', 'm1', 50, T0 + 20_000), // 10 s later: ignored
        message('reading', 'm2', 50, T0 + 25_000), // another detector: ignored by the simulator only
        message('other', 'm1', 50, T0 + 30_000), // breaches 2
        message('reading', 'm1', 60, T0 + 309_999), // 299.999 s after the first: ignored
        message('reading', 'm1', 60, T0 + 310_000), // 5 minutes after: evaluated, breaches 1 (still Dangerous: BATCH saw 2)
        message('reading', 'm1', 60, T0 + 320_000), // 10 s after that one: ignored
      ];
      // the first three through the backend (a new request id each), the others as REST requests with API Gateway's request ids
      for (const m of requests.slice(0, 3)) {
        expect((await run.runtime.backend.batchPutMessage({ messages: [m] })).batchPutMessageErrorEntries).toEqual([]);
        await run.drain();
      }
      for (const [i, m] of requests.slice(3).entries()) {
        const res = await handleDataApiRequest(run.runtime.backend, {
          method: 'POST',
          path: '/inputs/messages',
          query: {},
          body: JSON.stringify({ messages: [{ ...m, payload: Buffer.from(m.payload).toString('base64') }] }),
          requestId: `c0ffee00-0000-4000-8000-00000000000${i}`,
        });
        expect([res.statusCode, JSON.parse(res.body)]).toEqual([200, { BatchPutMessageErrorEntries: [] }]);
        await run.drain();
      }

      const sim = new Simulator({
        detectorModels: [DetectorModelDefinition.fromJson(REFERENCE.detectorModel)],
        inputs: REFERENCE.inputs.map((i) => InputDefinition.fromJson(i)),
        startTime: new Date(T0),
      });
      for (const m of requests) expect(sim.batchPutMessage({ messages: [m] }).batchPutMessageErrorEntries).toEqual([]);
      const state = async (keyValue: string) => {
        const { stateName, variables } = (await run.runtime.backend.describeDetector({ detectorModelName: 'motorPressure', keyValue })).detector.state;
        return { stateName, variables };
      };
      const simulated = (keyValue: string) => {
        const { stateName, variables } = sim.describeDetector({ detectorModelName: 'motorPressure', keyValue }).detector.state;
        return { stateName, variables };
      };
      expect(await state('m1')).toEqual({ stateName: 'Dangerous', variables: [{ name: 'breaches', value: '1' }] });
      expect(await state('m1')).toEqual(simulated('m1'));
      // the runtime remembers messageIds per detector: m2's 'reading' was new to it; the simulator remembers them for all detectors
      expect(await state('m2')).toEqual({ stateName: 'Normal', variables: [{ name: 'breaches', value: '0' }] });
      expect(() => sim.describeDetector({ detectorModelName: 'motorPressure', keyValue: 'm2' })).toThrow(/no detector for key value 'm2'/);
      expect(sim.trace.filter((t) => t.type === 'duplicate').map((t) => [t.keyValue, t.timeInMillis - T0])).toEqual([
        ['m1', 20_000], ['m2', 25_000], ['m1', 309_999], ['m1', 320_000],
      ]);
      // m9 (Kinesis), m1 three times, m2 once; three duplicates of m1
      expect(run.metrics.MessagesEvaluated).toBe(5);
      expect(run.metrics.DuplicateMessages).toBe(3);
      expect(run.actions.filter((a) => a.service === 'SNS')).toHaveLength(sim.actions.filter((a) => a.type === 'sns').length);
    } finally {
      await run.close();
    }
  });
});

describe('one request\'s messages are evaluated in timestamp order, on the runtime and in the simulator', () => {
  test('[80 at +20 s, 50 at +10 s, 60 without timestamp] in one BatchPutMessage: 60, 50, then 80 in both', async () => {
    const run = await runEngineLocally({ models: [REFERENCE], messages: [pressure('m9', 50, T0)], keepOpen: true });
    try {
      const t = run.nowMs;
      const message = (messageId: string, motorid: string, value: number, at?: number) => ({
        messageId, inputName: 'PressureInput', payload: JSON.stringify({ motorid, sensorData: { pressure: value } }), ...(at !== undefined ? { timestamp: { timeInMillis: at } } : {}),
      });
      const request = { messages: [message('a', 'm1', 80, t + 20_000), message('b', 'm1', 50, t + 10_000), message('c', 'm1', 60)] };
      expect((await run.runtime.backend.batchPutMessage(request)).batchPutMessageErrorEntries).toEqual([]);
      await run.drain();
      const sim = new Simulator({
        detectorModels: [DetectorModelDefinition.fromJson(REFERENCE.detectorModel)],
        inputs: REFERENCE.inputs.map((i) => InputDefinition.fromJson(i)),
        startTime: new Date(t),
      });
      expect(sim.batchPutMessage(request).batchPutMessageErrorEntries).toEqual([]);
      const { state, lastUpdateTime } = (await run.runtime.backend.describeDetector({ detectorModelName: 'motorPressure', keyValue: 'm1' })).detector;
      // in request order, 80 then 50 would leave breaches 2
      expect({ stateName: state.stateName, variables: state.variables, lastUpdateTime }).toEqual({
        stateName: 'Dangerous', variables: [{ name: 'breaches', value: '3' }], lastUpdateTime: new Date(t + 20_000),
      });
      const simulated = sim.describeDetector({ detectorModelName: 'motorPressure', keyValue: 'm1' }).detector;
      expect({ stateName: simulated.state.stateName, variables: simulated.state.variables, lastUpdateTime: simulated.lastUpdateTime })
        .toEqual({ stateName: state.stateName, variables: state.variables, lastUpdateTime });
      expect(sim.trace.filter((x) => x.type === 'message').map((x) => x.details.messageId)).toEqual(['c', 'b', 'a']);
    } finally {
      await run.close();
    }
  });
});

// the relay model (test/detector/relay-model.ts) on the runtime and in the simulator
const RELAY = { detectorModel: RELAY_MODEL as any, inputs: RELAY_INPUTS };
const relayState = async (run: LocalRunResult, keyValue: string) => {
  const { stateName, variables, timers } = (await run.runtime.backend.describeDetector({ detectorModelName: 'relay', keyValue })).detector.state;
  return { stateName, variables, timers };
};
const relaySimulator = (startMs: number) => new Simulator({
  detectorModels: [DetectorModelDefinition.fromJson(RELAY_MODEL)],
  inputs: RELAY_INPUTS.map((i) => InputDefinition.fromJson(i)),
  startTime: new Date(startMs),
});


describe('a message an iotEvents action sends is evaluated after the request\'s messages, on the runtime and in the simulator', () => {
  test('[m1 sends v 100 to Fb, m2 with v 2] in one request: both end with last 100', async () => {
    const run = await runEngineLocally({ models: [RELAY], messages: [{ inputName: 'Fa', payload: { id: 'd0', v: 0 }, timestampMs: T0 }], keepOpen: true });
    try {
      const t = run.nowMs;
      const request = { messages: [relayMessage('m1', 'Fa', 'd1', 1, t + 1_000), relayMessage('m2', 'Fa', 'd1', 2, t + 2_000)] };
      expect((await run.runtime.backend.batchPutMessage(request)).batchPutMessageErrorEntries).toEqual([]);
      await run.drain();
      const sim = relaySimulator(t);
      expect(sim.batchPutMessage(request).batchPutMessageErrorEntries).toEqual([]);
      const expected = { stateName: 'Watching', variables: [{ name: 'last', value: '100' }], timers: [{ name: 'hb', timestamp: new Date(t + 2_000 + 60_000) }] };
      expect(await relayState(run, 'd1')).toEqual(expected);
      expect(sim.describeDetector({ detectorModelName: 'relay', keyValue: 'd1' }).detector.state).toEqual(expected);
    } finally {
      await run.close();
    }
  });
});

describe('each detector has its own clock, on the runtime and in the simulator', () => {
  test('d1 at +100 s, then d2 at +10 s (60 s heartbeat), then d2 at +120 s: d2 went Silent at +70 s in both', async () => {
    const run = await runEngineLocally({ models: [RELAY], messages: [{ inputName: 'Fa', payload: { id: 'd0', v: 0 }, timestampMs: T0 }], keepOpen: true });
    try {
      const t = run.nowMs;
      const requests = [[relayMessage('m1', 'Fa', 'd1', 5, t + 100_000)], [relayMessage('m2', 'Fa', 'd2', 6, t + 10_000)], [relayMessage('m3', 'Fa', 'd2', 7, t + 120_000)]];
      const sim = relaySimulator(t);
      for (const messages of requests) {
        expect((await run.runtime.backend.batchPutMessage({ messages })).batchPutMessageErrorEntries).toEqual([]);
        await run.drain();
        expect(sim.batchPutMessage({ messages }).batchPutMessageErrorEntries).toEqual([]);
      }
      // the heartbeat of +70 s fired before the message of +120 s, which brought d2 back: last 1000 + 7
      const d2 = { stateName: 'Watching', variables: [{ name: 'last', value: '1007' }], timers: [{ name: 'hb', timestamp: new Date(t + 180_000) }] };
      expect(await relayState(run, 'd2')).toEqual(d2);
      expect(sim.describeDetector({ detectorModelName: 'relay', keyValue: 'd2' }).detector.state).toEqual(d2);
      for (const keyValue of ['d1', 'd2']) {
        const { creationTime, lastUpdateTime } = (await run.runtime.backend.describeDetector({ detectorModelName: 'relay', keyValue })).detector;
        expect({ creationTime, lastUpdateTime }).toEqual((({ creationTime: c, lastUpdateTime: u }) => ({ creationTime: c, lastUpdateTime: u }))(
          sim.describeDetector({ detectorModelName: 'relay', keyValue }).detector));
      }
      // the schedules that fire later find nothing new: the same end state, on the runtime and after advanceTime
      await run.advanceTo(t + 600_000);
      sim.advanceTime(Duration.millis(t + 600_000 - sim.currentTime.getTime()));
      for (const keyValue of ['d1', 'd2']) {
        expect(await relayState(run, keyValue)).toEqual(sim.describeDetector({ detectorModelName: 'relay', keyValue }).detector.state);
        expect((await relayState(run, keyValue)).stateName).toBe('Silent');
      }
    } finally {
      await run.close();
    }
  });
});

describe('BatchUpdateDetector behaves the same on the runtime and in the simulator', () => {
  test('a key value with no detector gets one in the given state, running no event; no keyValue is ResourceNotFoundException in both', async () => {
    const run = await runEngineLocally({ models: [REFERENCE], messages: [pressure('m9', 50, T0)], keepOpen: true });
    try {
      const t = run.nowMs;
      const sim = new Simulator({
        detectorModels: [DetectorModelDefinition.fromJson(REFERENCE.detectorModel)],
        inputs: REFERENCE.inputs.map((i) => InputDefinition.fromJson(i)),
        startTime: new Date(t),
      });
      const request = {
        detectors: [
          { messageId: 'u1', detectorModelName: 'motorPressure', keyValue: 'new1', state: { stateName: 'Dangerous', variables: [{ name: 'breaches', value: '2' }], timers: [{ name: 'heartbeat', seconds: 120 }] } },
          { messageId: 'u2', detectorModelName: 'motorPressure', state: { stateName: 'Normal', variables: [], timers: [] } },
        ],
      };
      const missingKey = [{ messageId: 'u2', errorCode: 'ResourceNotFoundException', errorMessage: "detector model 'motorPressure' has the key motorid; give keyValue" }];
      expect((await run.runtime.backend.batchUpdateDetector(request)).batchUpdateDetectorErrorEntries).toEqual(missingKey);
      expect(sim.batchUpdateDetector(request).batchUpdateDetectorErrorEntries).toEqual(missingKey);
      await run.drain();
      // Normal's onEnter (breaches 0, a 300 s heartbeat) did not run, nor Dangerous' (the SNS alarm)
      expect(run.actions).toEqual([]);
      expect(sim.actions).toEqual([]);
      const describe = async () => {
        const onRuntime = (await run.runtime.backend.describeDetector({ detectorModelName: 'motorPressure', keyValue: 'new1' })).detector;
        expect(onRuntime).toEqual(sim.describeDetector({ detectorModelName: 'motorPressure', keyValue: 'new1' }).detector);
        return onRuntime;
      };
      expect(await describe()).toEqual({
        detectorModelName: 'motorPressure',
        keyValue: 'new1',
        detectorModelVersion: '1',
        state: { stateName: 'Dangerous', variables: [{ name: 'breaches', value: '2' }], timers: [{ name: 'heartbeat', timestamp: new Date(t + 120_000) }] },
        creationTime: new Date(t),
        lastUpdateTime: new Date(t),
      });
      // two readings at 50 go through Dangerous' onInput: breaches 1, then 'recovered' to Normal
      for (const [i, at] of [t + 1_000, t + 2_000].entries()) {
        const message = { messageId: `r${i}`, inputName: 'PressureInput', payload: JSON.stringify({ motorid: 'new1', sensorData: { pressure: 50 } }), timestamp: { timeInMillis: at } };
        await run.runtime.backend.batchPutMessage({ messages: [message] });
        await run.drain();
        sim.batchPutMessage({ messages: [message] });
        expect((await describe()).state.stateName).toBe(i === 0 ? 'Dangerous' : 'Normal');
      }
    } finally {
      await run.close();
    }
  });
});
