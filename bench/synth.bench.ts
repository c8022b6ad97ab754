// Synthesizes 1000 components + 1000 deployments with the library, and the same resources written
// by hand with L1 constructs, in one process with the CDK validator off, and prints the ratio.
//
//   npx projen bench synth
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as greengrassv2 from 'aws-cdk-lib/aws-greengrassv2';
import {
  AbortCriterion, AbortFailureType, ComponentVersion, Deployment, DeploymentTarget, FailureHandling, LifecycleStep,
  Platform, RateIncreaseCriteria, Recipe, Rollout, VersioningMode,
} from '../src';

const COUNT = Number(process.env.BENCH_COUNT ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
// CloudFormation allows 500 resources per stack: 200 component + deployment pairs per stack.
const PER_STACK = 200;

function stackFor(app: App, prefix: string, i: number): Stack {
  const id = `${prefix}${Math.floor(i / PER_STACK)}`;
  return (app.node.tryFindChild(id) as Stack | undefined) ?? new Stack(app, id);
}

function recipeFor(i: number) {
  return {
    RecipeFormatVersion: '2020-01-25',
    ComponentName: `com.example.Bench${i}`,
    ComponentVersion: '1.0.0',
    ComponentDescription: `Benchmark component ${i}`,
    ComponentPublisher: 'Example Corp',
    ComponentConfiguration: { DefaultConfiguration: { interval: i } },
    Manifests: [{
      Platform: { os: 'linux' },
      Lifecycle: { run: { Script: `echo bench ${i}`, Timeout: 30 } },
    }],
  };
}

// Both sides render the same properties. The library also retains component versions on deletion
// and records their content hash in the template metadata (work the L1 side does not do).
function withL1(app: App): void {
  for (let i = 0; i < COUNT; i++) {
    const stack = stackFor(app, 'L1', i);
    const component = new greengrassv2.CfnComponentVersion(stack, `Component${i}`, {
      inlineRecipe: JSON.stringify(recipeFor(i)),
    });
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

function withLibrary(app: App): void {
  for (let i = 0; i < COUNT; i++) {
    const stack = stackFor(app, 'L2', i);
    const component = new ComponentVersion(stack, `Component${i}`, {
      versioning: VersioningMode.PINNED,
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

function timeSynth(build: (app: App) => void, stackTraces: boolean): number {
  const start = process.hrtime.bigint();
  // The first measurement uses aws-cdk-lib's defaults, as `cdk synth` runs an app (the CLI sets no
  // stack-trace context); the second turns construct stack traces off, which makes every construct
  // cheaper and so the library's extra constructs weigh more.
  const app = new App({
    builtinCloudFormationValidation: false,
    treeMetadata: false,
    context: stackTraces ? {} : {
      'aws:cdk:disable-stack-trace': true,
      'aws:cdk:disable-creation-stack-traces': true,
    },
  });
  build(app);
  app.synth();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function measure(stackTraces: boolean): { l1: number; l2: number } {
  // One warm-up round each, then the best of ROUNDS (the same process, interleaved).
  timeSynth(withL1, stackTraces);
  timeSynth(withLibrary, stackTraces);
  const l1: number[] = [];
  const l2: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    l1.push(timeSynth(withL1, stackTraces));
    l2.push(timeSynth(withLibrary, stackTraces));
  }
  return { l1: Math.min(...l1), l2: Math.min(...l2) };
}

export async function run(): Promise<void> {
  const asCdkSynth = measure(true);
  const noTraces = measure(false);
  console.log(`components + deployments: ${COUNT} + ${COUNT}, best of ${ROUNDS} rounds, CDK validator off`);
  console.log(`l1 synth: ${asCdkSynth.l1.toFixed(0)} ms (${(asCdkSynth.l1 / COUNT).toFixed(3)} ms per component)`);
  console.log(`l2 synth: ${asCdkSynth.l2.toFixed(0)} ms (${(asCdkSynth.l2 / COUNT).toFixed(3)} ms per component)`);
  console.log(`l2/l1 synth ratio: ${(asCdkSynth.l2 / asCdkSynth.l1).toFixed(2)}`);
  console.log(`without construct stack traces: l1 ${(noTraces.l1 / COUNT).toFixed(3)} ms, l2 ${(noTraces.l2 / COUNT).toFixed(3)} ms per component, l2/l1 synth ratio: ${(noTraces.l2 / noTraces.l1).toFixed(2)}`);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}
