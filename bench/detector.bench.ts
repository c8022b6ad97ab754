// Detector evaluator speed: messages per second through one detector model on one core, JSON payload
// parsing, key routing and timer firing included. The reference model is the IoT Events guide's pressure
// example (a motor goes Dangerous above 70 and back to Normal after three normal readings), written out
// here, plus a heartbeat timer that takes a motor Offline after 5 minutes without a message.
import {
  CompiledDetectorModel, DetectorInstance, DetectorModelShape, InputShape, compileDetectorModel, evaluateInput, fireTimer, keyValueOf,
} from '../src/private/detector-engine/evaluator';
import { parseJsonText } from '../src/private/detector-engine/json-text';

export const INPUT: InputShape = {
  inputName: 'PressureInput',
  inputDefinition: { attributes: [{ jsonPath: 'motorid' }, { jsonPath: 'sensorData.pressure' }] },
};

const HEARTBEAT_SECONDS = 300;

export const MODEL: DetectorModelShape = {
  detectorModelName: 'motorPressure',
  key: 'motorid',
  detectorModelDefinition: {
    initialStateName: 'Normal',
    states: [
      {
        stateName: 'Normal',
        onEnter: {
          events: [{
            eventName: 'start',
            actions: [
              { setVariable: { variableName: 'breaches', value: '0' } },
              { setTimer: { timerName: 'heartbeat', seconds: HEARTBEAT_SECONDS } },
            ],
          }],
        },
        onInput: {
          events: [{ eventName: 'alive', condition: 'currentInput("PressureInput")', actions: [{ resetTimer: { timerName: 'heartbeat' } }] }],
          transitionEvents: [
            {
              eventName: 'tooHigh',
              condition: '$input.PressureInput.sensorData.pressure > 70',
              actions: [{ setVariable: { variableName: 'breaches', value: '$variable.breaches + 3' } }],
              nextState: 'Dangerous',
            },
            { eventName: 'silent', condition: 'timeout("heartbeat")', nextState: 'Offline' },
          ],
        },
      },
      {
        stateName: 'Dangerous',
        onEnter: {
          events: [{
            eventName: 'alarm',
            condition: '$variable.breaches > 1',
            actions: [{ sns: { targetArn: 'arn:aws:sns:us-east-1:123456789012:motorAlarm' } }],
          }],
        },
        onInput: {
          events: [
            { eventName: 'alive', condition: 'currentInput("PressureInput")', actions: [{ resetTimer: { timerName: 'heartbeat' } }] },
            {
              eventName: 'stillHigh',
              condition: '$input.PressureInput.sensorData.pressure > 70',
              actions: [{ setVariable: { variableName: 'breaches', value: '3' } }],
            },
            {
              eventName: 'okay',
              condition: '$input.PressureInput.sensorData.pressure <= 70',
              actions: [{ setVariable: { variableName: 'breaches', value: '$variable.breaches - 1' } }],
            },
          ],
          transitionEvents: [
            {
              eventName: 'recovered',
              condition: '$input.PressureInput.sensorData.pressure <= 70 && $variable.breaches <= 1',
              nextState: 'Normal',
            },
            { eventName: 'silent', condition: 'timeout("heartbeat")', nextState: 'Offline' },
          ],
        },
        onExit: {
          events: [{
            eventName: 'cleared',
            actions: [{
              iotTopicPublish: {
                mqttTopic: 'motors/${$input.PressureInput.motorid}/cleared',
                payload: { type: 'JSON', contentExpression: '\'{"motor":"${$input.PressureInput.motorid}","breaches":${$variable.breaches}}\'' },
              },
            }],
          }],
        },
      },
      {
        stateName: 'Offline',
        onInput: { transitionEvents: [{ eventName: 'back', condition: 'currentInput("PressureInput")', nextState: 'Normal' }] },
      },
    ],
  },
};

// The runtime reads only the new instance and the actions: it evaluates without a trace.
const NO_TRACE = { trace: false };

const KEYS = 10_000;
const MESSAGES = 1_000_000;
// Messages are parsed in batches of 10 000, the largest batch Lambda reads from Kinesis or DynamoDB streams:
// the texts of one batch are held in memory at a time (larger batches only make the garbage collector copy
// texts the runtime would not hold).
const CHUNK = 10_000;
const MESSAGE_INTERVAL_MS = 2; // 1 000 000 messages over 2 000 s: each motor reports every ~20 s

/* eslint-disable no-bitwise */
/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Stats { messages: number; timers: number; actions: number; seconds: number; cpuSeconds: number; states: Record<string, number> }

/**
 * The heartbeat timers' schedule, as a runtime keeps it: a min-heap of (due time, key) with at most one
 * entry per detector whose timer runs. A detector that resets its timer keeps its entry; when the entry
 * comes due and the timer now runs later, the entry moves to the timer's due time.
 */
class TimerSchedule {
  private readonly due: number[] = [];
  private readonly keys: string[] = [];
  private readonly scheduled = new Set<string>();

  public get size(): number { return this.due.length; }
  /** The earliest due time (epoch ms); `Infinity` when empty. */
  public get nextDue(): number { return this.due.length > 0 ? this.due[0] : Infinity; }
  public has(key: string): boolean { return this.scheduled.has(key); }

  public push(key: string, dueAtMs: number): void {
    this.scheduled.add(key);
    let i = this.due.length;
    this.due.push(dueAtMs);
    this.keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.due[parent] <= dueAtMs) break;
      this.due[i] = this.due[parent];
      this.keys[i] = this.keys[parent];
      i = parent;
    }
    this.due[i] = dueAtMs;
    this.keys[i] = key;
  }

  /** Removes the earliest entry and returns its key (its due time was `nextDue`). */
  public pop(): string {
    const key = this.keys[0];
    this.scheduled.delete(key);
    const lastDue = this.due.pop()!;
    const lastKey = this.keys.pop()!;
    const n = this.due.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && this.due[child + 1] < this.due[child]) child++;
        if (this.due[child] >= lastDue) break;
        this.due[i] = this.due[child];
        this.keys[i] = this.keys[child];
        i = child;
      }
      this.due[i] = lastDue;
      this.keys[i] = lastKey;
    }
    return key;
  }
}

function simulate(model: CompiledDetectorModel, messages: number): Stats {
  const rnd = random(42);
  const detectors = new Map<string, DetectorInstance>();
  const schedule = new TimerSchedule();
  let timers = 0;
  let actions = 0;
  let seconds = 0;
  let cpuSeconds = 0;
  // a detector whose timer runs has an entry in the schedule (one that ran before has one already)
  const note = (key: string, before: DetectorInstance | undefined, after: DetectorInstance) => {
    const t = after.timers.heartbeat;
    if (t !== undefined && before?.timers.heartbeat === undefined && !schedule.has(key)) schedule.push(key, t.dueAtMs);
  };
  const keyNames = Array.from({ length: KEYS }, (_, i) => `motor-${i}`);
  for (let done = 0; done < messages; done += CHUNK) {
    // payload texts are built outside the timed part; parsing them is timed
    const n = Math.min(CHUNK, messages - done);
    const texts: string[] = new Array(n);
    const times: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      let k = Math.floor(rnd() * KEYS);
      // one motor in a hundred goes quiet half-way, so its heartbeat times out
      const m = done + i;
      if (m > messages / 2 && k % 100 === 0) k++;
      const pressure = rnd() < 0.2 ? 75 + Math.floor(rnd() * 20) : 40 + Math.floor(rnd() * 30);
      texts[i] = `{"motorid":"${keyNames[k]}","sensorData":{"pressure":${pressure},"temperature":${20 + (m % 15)}}}`;
      times[i] = m * MESSAGE_INTERVAL_MS;
    }
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const now = times[i];
      // every timer due by now fires first, in due order
      while (schedule.nextDue <= now) {
        const due = schedule.nextDue;
        const key = schedule.pop();
        const d = detectors.get(key)!;
        const t = d.timers.heartbeat;
        if (t === undefined) continue; // cleared since
        if (t.dueAtMs !== due) { schedule.push(key, t.dueAtMs); continue; } // reset since
        const r = fireTimer(model, d, 'heartbeat', due, NO_TRACE);
        detectors.set(key, r.instance);
        note(key, undefined, r.instance);
        timers++;
        actions += r.actions.length;
      }
      // as the runtime reads a payload: JSON.parse after the test for an integral decimal (20.0)
      const payload = parseJsonText(texts[i]);
      const key = keyValueOf(model, 'PressureInput', payload)!;
      const before = detectors.get(key);
      const r = evaluateInput(model, before, { inputName: 'PressureInput', payload, timestampMs: now }, NO_TRACE);
      detectors.set(key, r.instance);
      note(key, before, r.instance);
      actions += r.actions.length;
    }
    const c = process.cpuUsage(c0);
    cpuSeconds += (c.user + c.system) / 1e6;
    seconds += Number(process.hrtime.bigint() - t0) / 1e9;
  }
  const states: Record<string, number> = {};
  for (const d of detectors.values()) states[d.stateName] = (states[d.stateName] ?? 0) + 1;
  return { messages, timers, actions, seconds, cpuSeconds, states };
}

export async function run(): Promise<void> {
  const model = compileDetectorModel(MODEL, [INPUT]);
  simulate(model, 200_000); // warm-up
  const runs: Stats[] = [];
  for (let i = 0; i < 3; i++) runs.push(simulate(model, MESSAGES));
  // The machine may be shared: the figure is messages per second of this process's CPU time (one core,
  // as the process is single-threaded); the wall-clock rate is printed beside it.
  const best = runs.reduce((a, b) => (a.cpuSeconds <= b.cpuSeconds ? a : b));
  const rate = Math.round(best.messages / best.cpuSeconds);
  const wall = Math.round(best.messages / best.seconds);
  console.log(`detector evaluator: ${rate} messages/s`);
  console.log(`  (${best.messages} messages, ${KEYS} keys, ${best.timers} heartbeat timers fired, ${best.actions} actions, payload parsing included; `
    + `CPU s per run ${runs.map((r) => r.cpuSeconds.toFixed(3)).join(', ')}; wall clock ${wall} messages/s; `
    + `end states ${JSON.stringify(best.states)})`);
}

if (require.main === module) {
  run().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
