// Synthesizes 1000 components + 1000 deployments with the library, and the same templates written by
// hand with L1 constructs, in one process with the CDK validator off, and prints the l2/l1 ratio for
// both versioning modes (CONTENT_HASH, the default, and PINNED). Rounds are interleaved (each round
// measures L1 and L2 of both modes, in an order that changes from round to round) and the best of each
// side is kept. Before timing, one synthesis of each side is compared:
// the templates must be equal once logical IDs are numbered in order (the library's IDs carry a path
// hash), and the bench prints whether they are.
//
//   npx projen bench synth
//   BENCH_COUNT=200 BENCH_ROUNDS=3 npx projen bench synth
//   BENCH_SIDE=l2 ... (only the library side, or l1 only the L1 side, no comparison: what
//                      `npx projen bench:profile` profiles; its rounds after the warm-up run in `measuredRound`)
import * as crypto from 'crypto';
import * as v8 from 'v8';
import * as vm from 'vm';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as greengrassv2 from 'aws-cdk-lib/aws-greengrassv2';
import {
  AbortCriterion, AbortFailureType, ComponentVersion, Deployment, DeploymentTarget, FailureHandling, LifecycleStep,
  Platform, RateIncreaseCriteria, Recipe, Rollout, VersioningMode,
} from '../src';

const COUNT = Number(process.env.BENCH_COUNT ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
// CloudFormation allows 500 resources per stack: 200 component + deployment pairs per stack.
const PER_STACK = 200;
// `npx projen bench:profile` sets BENCH_PROFILE: the library side unless BENCH_SIDE says otherwise
// A full garbage collection before each measurement, so that no round pays for the garbage the one
// before it left (the apps of one round take hundreds of MiB).
v8.setFlagsFromString('--expose-gc');
const collectGarbage: () => void = vm.runInNewContext('gc');

const SIDE = process.env.BENCH_SIDE ?? (process.env.BENCH_PROFILE ? 'l2' : undefined);

function stackFor(app: App, i: number): Stack {
  const id = `Bench${Math.floor(i / PER_STACK)}`;
  return (app.node.tryFindChild(id) as Stack | undefined) ?? new Stack(app, id);
}

/** The recipe as the library renders it, without ComponentVersion (what the content hash covers). */
function recipeFor(i: number): Record<string, unknown> {
  return {
    RecipeFormatVersion: '2020-01-25',
    ComponentName: `com.example.Bench${i}`,
    ComponentDescription: `Benchmark component ${i}`,
    ComponentPublisher: 'Example Corp',
    ComponentConfiguration: { DefaultConfiguration: { interval: i } },
    Manifests: [{
      Platform: { os: 'linux' },
      Lifecycle: { run: { Script: `echo bench ${i}`, Timeout: 30 } },
    }],
  };
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(`${text.length}:${text}`).digest('hex');
}

// What a hand-written L1 app does to get the same resources: the recipe JSON with its version (for
// content-hash versioning, `1.0.0-c` + the first 10 hex digits of a sha256 over the construct path
// and the recipe's hash, as the library documents), the component version retained on deletion and
// its content hash recorded in the template metadata.
function withL1(app: App, versioning: VersioningMode): void {
  for (let i = 0; i < COUNT; i++) {
    const stack = stackFor(app, i);
    const recipe = recipeFor(i);
    const text = JSON.stringify(recipe);
    const hash = sha256(text);
    const version = versioning === VersioningMode.PINNED ? '1.0.0' : `1.0.0-c${sha256(`Component${i}\n${hash}`).slice(0, 10)}`;
    const { RecipeFormatVersion, ComponentName, ...rest } = recipe;
    const component = new greengrassv2.CfnComponentVersion(stack, `Component${i}`, {
      inlineRecipe: JSON.stringify({ RecipeFormatVersion, ComponentName, ComponentVersion: version, ...rest }),
    });
    component.applyRemovalPolicy(RemovalPolicy.RETAIN);
    component.addMetadata('cdk-greengrass-v2:contentHash', hash);
    new greengrassv2.CfnDeployment(stack, `Deployment${i}`, {
      targetArn: stack.formatArn({ service: 'iot', resource: 'thinggroup', resourceName: `group-${i}` }),
      deploymentName: `bench-${i}`,
      components: {
        [`com.example.Bench${i}`]: { componentVersion: component.attrComponentVersion },
      },
      deploymentPolicies: { failureHandlingPolicy: 'ROLLBACK' },
      iotJobConfiguration: {
        jobExecutionsRolloutConfig: {
          exponentialRate: { baseRatePerMinute: 10, incrementFactor: 2, rateIncreaseCriteria: { NumberOfSucceededThings: 10 } },
          maximumPerMinute: 100,
        },
        abortConfig: { criteriaList: [{ action: 'CANCEL', failureType: 'FAILED', minNumberOfExecutedThings: 10, thresholdPercentage: 5 }] },
        timeoutConfig: { inProgressTimeoutInMinutes: 30 },
      },
    });
  }
}

function withLibrary(app: App, versioning: VersioningMode): void {
  for (let i = 0; i < COUNT; i++) {
    const stack = stackFor(app, i);
    const component = new ComponentVersion(stack, `Component${i}`, {
      versioning,
      recipe: Recipe.of({
        componentName: `com.example.Bench${i}`,
        componentVersion: '1.0.0',
        description: `Benchmark component ${i}`,
        publisher: 'Example Corp',
        defaultConfiguration: { interval: i },
        manifests: [{
          platform: Platform.linux(),
          lifecycle: { run: LifecycleStep.script(`echo bench ${i}`, { timeout: Duration.seconds(30) }) },
        }],
      }),
    });
    new Deployment(stack, `Deployment${i}`, {
      target: DeploymentTarget.fromThingGroupName(stack, `group-${i}`),
      deploymentName: `bench-${i}`,
      components: [component],
      failureHandling: FailureHandling.ROLLBACK,
      rollout: Rollout.exponential({
        baseRatePerMinute: 10,
        incrementFactor: 2,
        rateIncreaseCriteria: RateIncreaseCriteria.succeededThings(10),
        maximumPerMinute: 100,
      }),
      abortCriteria: [AbortCriterion.of({ failureType: AbortFailureType.FAILED, thresholdPercentage: 5, minNumberOfExecutedThings: 10 })],
      inProgressTimeout: Duration.minutes(30),
    });
  }
}

type Build = (app: App, versioning: VersioningMode) => void;

function newApp(): App {
  // aws-cdk-lib's defaults, as `cdk synth` runs an app (the CLI sets no stack-trace context).
  return new App({ builtinCloudFormationValidation: false, treeMetadata: false });
}

/**
 * Milliseconds of this process's CPU time (user + system, garbage collector threads included) to
 * build and synthesize the app: on a shared machine, time spent waiting for a core is not counted.
 */
function timeSynth(build: Build, versioning: VersioningMode): number {
  // (not when profiling: the collection would count as the round's garbage collector time)
  if (!process.env.BENCH_PROFILE) collectGarbage();
  const start = process.cpuUsage();
  const app = newApp();
  build(app, versioning);
  app.synth();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e3;
}

/** One round of each mode (a function of its own, so that profiles can single out the measured rounds). */
function measuredRound(build: Build, modes: VersioningMode[]): number[] {
  return modes.map((mode) => timeSynth(build, mode));
}

/** The templates of an app's stacks, with each stack's logical IDs numbered in template order. */
function normalizedTemplates(build: Build, versioning: VersioningMode): string {
  const app = newApp();
  build(app, versioning);
  const assembly = app.synth();
  return JSON.stringify(assembly.stacks.map((s) => {
    const ids = new Map(Object.keys(s.template.Resources ?? {}).map((id, n) => [id, `R${n}`]));
    const rename = (value: any, key?: string): any => {
      if (Array.isArray(value)) {
        return value.map((v, n) => (key === 'Fn::GetAtt' && n === 0) || key === 'DependsOn' ? ids.get(v) ?? v : rename(v));
      }
      if (value === null || typeof value !== 'object') return key === 'Ref' || key === 'DependsOn' ? ids.get(value) ?? value : value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [ids.get(k) ?? k, rename(v, k)]));
    };
    return { stackName: s.stackName, template: rename(s.template) };
  }));
}

function firstDifference(a: string, b: string): string {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return `at character ${n}: l1 '${a.slice(Math.max(0, n - 80), n + 80)}', l2 '${b.slice(Math.max(0, n - 80), n + 80)}'`;
}

export async function run(): Promise<void> {
  const modes: [string, VersioningMode][] = [['content-hash', VersioningMode.CONTENT_HASH], ['pinned', VersioningMode.PINNED]];
  if (SIDE === 'l1' || SIDE === 'l2') {
    const build = SIDE === 'l1' ? withL1 : withLibrary;
    const line = (times: number[]) => modes.map(([name], n) => `${name} ${times[n].toFixed(0)} ms`).join(', ');
    console.log(`${SIDE} side only, ${COUNT} + ${COUNT}, warm-up: ${line(modes.map(([, mode]) => timeSynth(build, mode)))}`);
    for (let r = 1; r <= ROUNDS; r++) {
      console.log(`${SIDE} side only, ${COUNT} + ${COUNT}, round ${r}: ${line(measuredRound(build, modes.map(([, mode]) => mode)))}`);
    }
    return;
  }
  for (const [name, mode] of modes) {
    const l1 = normalizedTemplates(withL1, mode);
    const l2 = normalizedTemplates(withLibrary, mode);
    console.log(`templates (${name}): ${l1 === l2 ? 'l1 and l2 match' : `l1 and l2 DIFFER ${firstDifference(l1, l2)}`} (${l1.length} bytes of JSON)`);
  }

  // One warm-up round of each, then ROUNDS interleaved rounds: L1 and L2 of both modes in turn.
  const times: Record<string, { l1: number[]; l2: number[] }> = {};
  for (const [name, mode] of modes) {
    timeSynth(withL1, mode);
    timeSynth(withLibrary, mode);
    times[name] = { l1: [], l2: [] };
  }
  // The four measurements of a round (L1 and L2 of each mode) in an order that changes from round to round:
  // rotated every other round and reversed in odd rounds, so that no side always runs in the same place or
  // after the same measurement (a fixed order made the fourth one, L2 of the second mode, slower by 5-15 %).
  const measurements = modes.flatMap(([name, mode]) => ([['l1', withL1], ['l2', withLibrary]] as const)
    .map(([side, build]) => ({ name, mode, side, build })));
  for (let r = 0; r < ROUNDS; r++) {
    const shift = Math.floor(r / 2) % measurements.length;
    const order = [...measurements.slice(shift), ...measurements.slice(0, shift)];
    if (r % 2 === 1) order.reverse();
    for (const m of order) times[m.name][m.side].push(timeSynth(m.build, m.mode));
  }

  console.log(`components + deployments: ${COUNT} + ${COUNT}, best of ${ROUNDS} interleaved rounds (order changed each round), CPU ms, CDK validator off`);
  for (const [name] of modes) {
    const l1 = Math.min(...times[name].l1);
    const l2 = Math.min(...times[name].l2);
    console.log(`  ${name}: l1 ${l1.toFixed(0)} ms (${(l1 / COUNT).toFixed(3)} ms per pair), l2 ${l2.toFixed(0)} ms (${(l2 / COUNT).toFixed(3)} ms per pair); `
      + `rounds l1 ${times[name].l1.map((t) => t.toFixed(0)).join(', ')}, l2 ${times[name].l2.map((t) => t.toFixed(0)).join(', ')}`);
  }
  for (const [name] of modes) {
    console.log(`l2/l1 synth ratio (${name}): ${(Math.min(...times[name].l2) / Math.min(...times[name].l1)).toFixed(2)}`);
  }
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}
