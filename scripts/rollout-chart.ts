// Simulates a deployment's rollout policy over a fleet and writes the timeline as an SVG chart.
//
//   ts-node scripts/rollout-chart.ts --size 500 --base 5 --factor 2 --succeeded 10 --max 100 \
//     --abort FAILED:10:20 --abort TIMED_OUT:20:20 --timeout 30 --failure 0.03 --duration-mean 4 \
//     --out docs/rollout.svg
//
// Rollout: --max N (devices per minute), --base N --factor F and one of --notified N / --succeeded N
// (exponential rate), --abort TYPE:PERCENT:MIN (repeatable; TYPE is FAILED, REJECTED, TIMED_OUT or ALL),
// --timeout MINUTES (in-progress timeout), or --config FILE (an IoT job configuration as JSON).
// Fleet: --size N, --failure P, --reject P, --offline P, --duration-mean MINUTES (exponential) or
// --duration MIN-MAX (uniform, minutes), --seed N. Output: --out FILE (default: stdout), --title TEXT.
import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { CfnDeployment } from 'aws-cdk-lib/aws-greengrassv2';
import { ExecutionDuration, RolloutChart, RolloutSimulator, SimulationPolicy } from '../src/rollout';

function parseArgs(argv: string[]): Map<string, string[]> {
  const args = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (!key.startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`expected --option value pairs, got '${key}'`);
    }
    args.set(key.slice(2), [...(args.get(key.slice(2)) ?? []), argv[++i]]);
  }
  return args;
}

function num(args: Map<string, string[]>, key: string): number | undefined {
  const v = args.get(key)?.[0];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${key} must be a number, got '${v}'`);
  return n;
}

function jobConfiguration(args: Map<string, string[]>): CfnDeployment.DeploymentIoTJobConfigurationProperty {
  const file = args.get('config')?.[0];
  if (file) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const base = num(args, 'base');
  const notified = num(args, 'notified');
  const succeeded = num(args, 'succeeded');
  const abort = (args.get('abort') ?? []).map((spec) => {
    const [failureType, pct, min] = spec.split(':');
    return { failureType, action: 'CANCEL', thresholdPercentage: Number(pct), minNumberOfExecutedThings: Number(min) };
  });
  const timeout = num(args, 'timeout');
  return {
    jobExecutionsRolloutConfig: {
      maximumPerMinute: num(args, 'max'),
      exponentialRate: base === undefined ? undefined : {
        baseRatePerMinute: base,
        incrementFactor: num(args, 'factor') ?? 2,
        rateIncreaseCriteria: { numberOfNotifiedThings: notified, numberOfSucceededThings: succeeded },
      },
    },
    abortConfig: abort.length ? { criteriaList: abort } : undefined,
    timeoutConfig: timeout === undefined ? undefined : { inProgressTimeoutInMinutes: timeout },
  };
}

function executionDuration(args: Map<string, string[]>): ExecutionDuration | undefined {
  const mean = num(args, 'duration-mean');
  if (mean !== undefined) return ExecutionDuration.exponential(Duration.seconds(mean * 60));
  const range = args.get('duration')?.[0];
  if (range) {
    const [lo, hi] = range.split('-').map(Number);
    return ExecutionDuration.uniform(Duration.seconds(lo * 60), Duration.seconds(hi * 60));
  }
  return undefined;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const policy = SimulationPolicy.fromJobConfiguration(jobConfiguration(args));
  const sim = RolloutSimulator.simulate(policy, {
    size: num(args, 'size') ?? 1000,
    failureProbability: num(args, 'failure'),
    rejectionProbability: num(args, 'reject'),
    offlineFraction: num(args, 'offline'),
    executionDuration: executionDuration(args),
    seed: num(args, 'seed'),
  });
  const svg = RolloutChart.renderSvg(sim, { title: args.get('title')?.[0] ?? 'Simulated rollout' });
  const out = args.get('out')?.[0];
  if (out) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, svg);
    console.error(`${sim.summary()}\nwrote ${out}`);
  } else {
    process.stdout.write(svg);
  }
}

try {
  main();
} catch (e) {
  console.error(`rollout-chart: ${(e as Error).message}`);
  process.exit(1);
}
