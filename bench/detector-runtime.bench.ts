// Detector runtime on AWS: the AWS requests per message, by service, and the cost per million messages.
// The engine (ingest → SQS FIFO → processor → DynamoDB, timers on EventBridge Scheduler) runs locally
// (src/detector-runtime/private/engine/local-harness.ts): DynamoDB is dynalite, SQS and Scheduler are
// in-memory fakes behind the real SDK clients, so every request the runtime's code sends is counted.
// The reference model is bench/detector.bench.ts' (the guide's pressure example plus a 5-minute heartbeat
// timer). Requests and capacity units are counted, never timed: the figures do not depend on the machine.
import { MODEL, INPUT } from './detector.bench';
import { LocalRunResult, runEngineLocally } from '../src/detector-runtime/private/engine/local-harness';

/**
 * List prices, us-east-1, as published on the AWS pricing pages (dated 2025-11; check them before quoting):
 * - DynamoDB on-demand: $0.625 per million write request units, $0.125 per million read request units
 *   (aws.amazon.com/dynamodb/pricing/on-demand, after the 2024-11 reduction);
 * - SQS FIFO: $0.50 per million requests, each 64 KiB chunk of a request counting as one
 *   (aws.amazon.com/sqs/pricing);
 * - Lambda: $0.20 per million requests, $0.0000166667 per GB-second on x86 (aws.amazon.com/lambda/pricing);
 * - EventBridge Scheduler: $1.00 per million scheduled invocations, API requests not charged
 *   (aws.amazon.com/eventbridge/pricing);
 * - SNS: $0.50 per million publishes (aws.amazon.com/sns/pricing).
 * Free tiers are left out.
 */
export const PRICES_USD = {
  dated: '2025-11 (us-east-1 list prices)',
  dynamodbWriteUnit: 0.625e-6,
  dynamodbReadUnit: 0.125e-6,
  sqsFifoRequest: 0.5e-6,
  lambdaRequest: 0.2e-6,
  lambdaGbSecond: 0.0000166667,
  schedulerInvocation: 1.0e-6,
  snsPublish: 0.5e-6,
};

/** Assumed, not measured here: the Lambda duration (billed per ms) and memory of both functions. */
const LAMBDA_MEMORY_GB = 0.5;
const INGEST_MS_PER_INVOCATION = 150;
const PROCESSOR_MS_PER_INVOCATION = 120;

interface Scenario {
  readonly name: string;
  readonly motors: number;
  readonly intervalMs: number;
  readonly durationMs: number;
  readonly batchWindowMs: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'steady: 100 motors, a reading every 2 s each, Kinesis batching window 10 s', motors: 100, intervalMs: 2_000, durationMs: 300_000, batchWindowMs: 10_000 },
  { name: 'one work per pack: 100 motors, a reading every 10 s each, batching window 1 s', motors: 100, intervalMs: 10_000, durationMs: 500_000, batchWindowMs: 1_000 },
];

const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);

function messagesOf(s: Scenario) {
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const out = [];
  for (let m = 0; m < s.motors; m++) {
    const phase = Math.floor(rnd() * s.intervalMs);
    // one motor in ten stops reporting halfway: its heartbeat fires
    const stop = m % 10 === 0 ? s.durationMs / 2 : s.durationMs;
    for (let t = phase; t < stop; t += s.intervalMs) {
      const p = rnd() < 0.05 ? 71 + Math.floor(rnd() * 20) : 40 + Math.floor(rnd() * 30);
      out.push({ inputName: INPUT.inputName, payload: { motorid: `motor-${m}`, sensorData: { pressure: p } }, timestampMs: T0 + t });
    }
  }
  return out;
}

function report(s: Scenario, messages: number, r: LocalRunResult): void {
  const per1000 = (n: number) => ((n / messages) * 1000).toFixed(1).padStart(8);
  const c = r.counter;
  const processor = r.invocations.processor;
  const ingest = r.invocations.ingest;
  // the Lambda SQS poller's requests on the FIFO queue: one ReceiveMessage and one DeleteMessageBatch per
  // batch it delivers (empty polls left out: they depend on the traffic's shape, not the message count)
  const sqsSend = c.count('SQS.SendMessageBatch') + c.count('SQS.SendMessage');
  const sqsPoller = 2 * processor;
  const schedulerApi = c.count('Scheduler');
  const lines: Array<[string, number]> = [
    ['DynamoDB write capacity units', c.writeCapacityUnits],
    ['DynamoDB read capacity units', c.readCapacityUnits],
    ['  DynamoDB PutItem requests', c.count('DynamoDB.PutItem')],
    ['  DynamoDB GetItem requests', c.count('DynamoDB.GetItem')],
    ['SQS requests (SendMessageBatch by ingest)', sqsSend],
    ['SQS requests (Lambda poller: receive + delete)', sqsPoller],
    ['Scheduler API requests (Create/Update/Delete)', schedulerApi],
    ['Scheduler invocations (timer firings)', r.scheduleFirings],
    ['Lambda invocations: ingest', ingest],
    ['Lambda invocations: processor', processor],
    ['SNS Publish (the alarm action)', c.count('SNS.Publish')],
  ];
  console.log(`\n## ${s.name}`);
  console.log(`${messages} messages, ${s.motors} detectors, ${(messages / Math.max(1, c.count('DynamoDB.PutItem'))).toFixed(2)} messages per state write; `
    + `stale timer firings ${r.metrics.StaleTimers ?? 0}, timers fired ${r.metrics.TimersFired ?? 0}, dead letters ${r.deadLetters}`);
  console.log('per 1 000 messages:');
  for (const [label, n] of lines) console.log(`  ${label.padEnd(48)} ${per1000(n)}`);
  const lambdaSeconds = (ingest * INGEST_MS_PER_INVOCATION + processor * PROCESSOR_MS_PER_INVOCATION) / 1000;
  const cost = {
    'DynamoDB': c.writeCapacityUnits * PRICES_USD.dynamodbWriteUnit + c.readCapacityUnits * PRICES_USD.dynamodbReadUnit,
    'SQS FIFO': (sqsSend + sqsPoller) * PRICES_USD.sqsFifoRequest,
    'Lambda requests': (ingest + processor) * PRICES_USD.lambdaRequest,
    'Lambda duration': lambdaSeconds * LAMBDA_MEMORY_GB * PRICES_USD.lambdaGbSecond,
    'Scheduler': r.scheduleFirings * PRICES_USD.schedulerInvocation,
  };
  const scale = 1_000_000 / messages;
  let total = 0;
  console.log(`cost per million messages (USD, ${PRICES_USD.dated}; Lambda ${LAMBDA_MEMORY_GB * 1024} MB, `
    + `${INGEST_MS_PER_INVOCATION}/${PROCESSOR_MS_PER_INVOCATION} ms per ingest/processor invocation assumed; actions' own services excluded):`);
  for (const [k, v] of Object.entries(cost)) {
    total += v * scale;
    console.log(`  ${k.padEnd(20)} ${(v * scale).toFixed(3).padStart(8)}`);
  }
  console.log(`  ${'total'.padEnd(20)} ${total.toFixed(3).padStart(8)}`);
  const wcu = c.writeCapacityUnits / messages;
  const inv = (ingest + processor) / messages;
  console.log(`goal: <= 2 DynamoDB write units per message: ${wcu.toFixed(3)} (${wcu <= 2 ? 'met' : 'NOT met'}); `
    + `<= 1 Lambda invocation per 10 messages: ${(inv * 10).toFixed(3)} per 10 (${inv <= 0.1 ? 'met' : 'NOT met'})`);
}

export async function run(): Promise<void> {
  for (const s of SCENARIOS) {
    const messages = messagesOf(s);
    const r = await runEngineLocally({
      models: [{ detectorModel: MODEL, inputs: [INPUT] }],
      messages,
      batchWindowMs: s.batchWindowMs,
      untilMs: T0 + s.durationMs + 400_000,
    });
    report(s, messages.length, r);
  }
  console.log(`
Throughput bounds (AWS quotas, us-east-1 defaults):
  per detector: one pack in flight per FIFO message group; a pack costs ~2 DynamoDB round trips plus its
    actions (~10-20 ms), and a DynamoDB item takes at most 1 000 write units/s: ~50-100 packs/s per key,
    each pack up to 256 KiB of works, far above what one device sends.
  per account: SQS FIFO 3 000 messages/s per API action with batching (300 requests/s x 10) on a queue,
    high-throughput mode up to 70 000/s; Lambda 1 000 concurrent executions (the SQS FIFO poller scales to one
    concurrent batch per active message group, up to the function's concurrency); DynamoDB on-demand 40 000
    write units/s per table; Scheduler CreateSchedule/UpdateSchedule/DeleteSchedule 1 000 requests/s each
    (the heartbeat pattern needs ~1 per timer period per detector, not per message).`);
}

if (require.main === module) {
  run().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
