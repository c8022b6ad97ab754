import { Duration, Stack, Token } from 'aws-cdk-lib';
import { CfnDeployment } from 'aws-cdk-lib/aws-greengrassv2';
import { IConstruct } from 'constructs';
import { AbortCriterion, Rollout } from '../deployment/iot-job';
import { rateFor } from './private/engine';
import { AbortRule, RolloutRules } from './private/rules';
import { renderIotJobConfiguration } from '../private/iot-job-render';

/**
 * The rollout settings of a deployment, as written in `DeploymentProps`.
 */
export interface SimulationPolicyOptions {
  /**
   * How fast the deployment reaches the devices.
   *
   * @default - the IoT jobs default rate (1000 devices per minute)
   */
  readonly rollout?: Rollout;

  /**
   * When the deployment is canceled because it fails on too many devices.
   *
   * @default - never canceled
   */
  readonly abortCriteria?: AbortCriterion[];

  /**
   * How long each device has to complete the deployment once started.
   *
   * @default - no timeout
   */
  readonly inProgressTimeout?: Duration;
}

/**
 * The rollout, abort and timeout rules of an IoT job, as `RolloutSimulator` applies them.
 */
export class SimulationPolicy {
  /**
   * The rules of an IoT job configuration, as written in a Greengrass deployment
   * (`CfnDeployment.DeploymentIoTJobConfigurationProperty`: `jobExecutionsRolloutConfig`, `abortConfig`,
   * `timeoutConfig`).
   */
  public static fromJobConfiguration(config: CfnDeployment.DeploymentIoTJobConfigurationProperty): SimulationPolicy {
    return new SimulationPolicy(parseJobConfiguration(normalizeKeys(config) ?? {}));
  }

  /**
   * The rules given by the same value objects a `Deployment` takes (`Rollout`, `AbortCriterion`,
   * `inProgressTimeout`), to try a policy before writing the deployment.
   */
  public static of(options: SimulationPolicyOptions): SimulationPolicy {
    const config = renderIotJobConfiguration(options.rollout, options.abortCriteria, options.inProgressTimeout);
    return new SimulationPolicy(parseJobConfiguration(normalizeKeys(config) ?? {}));
  }

  /**
   * The rules of the deployment defined by this construct: a `Deployment` of this library, a
   * `CfnDeployment`, or any construct that contains exactly one `CfnDeployment`.
   */
  public static fromDeployment(deployment: IConstruct): SimulationPolicy {
    const cfn = findCfnDeployment(deployment);
    const resolved = Stack.of(cfn).resolve(cfn.iotJobConfiguration);
    return new SimulationPolicy(parseJobConfiguration(normalizeKeys(resolved) ?? {}));
  }

  /** @internal */
  public readonly _rules: RolloutRules;

  private constructor(rules: RolloutRules) {
    this._rules = rules;
  }

  /**
   * Notifications per minute once this many things are notified and this many succeeded
   * (the rollout rule alone, as the simulator applies it).
   */
  public ratePerMinute(notifiedThings: number, succeededThings: number): number {
    return rateFor(this._rules, notifiedThings, succeededThings);
  }
}

function findCfnDeployment(scope: IConstruct): CfnDeployment {
  if (scope instanceof CfnDeployment) return scope;
  const found = scope.node.findAll().filter((c): c is CfnDeployment => c instanceof CfnDeployment);
  if (found.length !== 1) {
    throw new Error(`SimulationPolicy.fromDeployment needs a construct with exactly one CfnDeployment, got ${found.length} under '${scope.node.path}': pass the Deployment itself`);
  }
  return found[0];
}

/** Accepts both the L1's camelCase props and CloudFormation's PascalCase. */
function normalizeKeys(value: any): any {
  if (Array.isArray(value)) return value.map(normalizeKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(value)) {
      const intrinsic = k === 'Ref' || k.startsWith('Fn::');
      out[intrinsic ? k : k.charAt(0).toLowerCase() + k.slice(1)] = intrinsic ? v : normalizeKeys(v);
    }
    return out;
  }
  return value;
}

function literal(path: string, value: any, fix: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (Token.isUnresolved(value) || typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${path} must be a literal number to simulate, got ${JSON.stringify(value)}: ${fix}`);
  }
  return value;
}

function inRange(path: string, value: number, min: number, max: number, integer: boolean): number {
  if (value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new Error(`${path} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got ${value}`);
  }
  return value;
}

const FAILURE_TYPES = ['FAILED', 'REJECTED', 'TIMED_OUT', 'ALL'];

function parseJobConfiguration(config: any): RolloutRules {
  const fix = 'write the number, not a token';
  const rollout = config.jobExecutionsRolloutConfig ?? {};
  const max = literal('jobExecutionsRolloutConfig.maximumPerMinute', rollout.maximumPerMinute, fix);
  const rules: { -readonly [K in keyof RolloutRules]: RolloutRules[K] } = {
    maximumPerMinute: max === undefined ? 1000 : inRange('jobExecutionsRolloutConfig.maximumPerMinute', max, 1, 1000, true),
    abort: [],
  };
  const exp = rollout.exponentialRate;
  if (exp) {
    const p = 'jobExecutionsRolloutConfig.exponentialRate';
    const base = inRange(`${p}.baseRatePerMinute`, literal(`${p}.baseRatePerMinute`, exp.baseRatePerMinute, fix) ?? NaN, 1, 1000, true);
    const factor = inRange(`${p}.incrementFactor`, literal(`${p}.incrementFactor`, exp.incrementFactor, fix) ?? NaN, 1, 5, false);
    if (Math.round(factor * 10) !== factor * 10) {
      throw new Error(`${p}.incrementFactor supports one digit after the decimal point, got ${factor}: round it (for example 1.5)`);
    }
    const crit = exp.rateIncreaseCriteria ?? {};
    const notified = literal(`${p}.rateIncreaseCriteria.numberOfNotifiedThings`, crit.numberOfNotifiedThings, fix);
    const succeeded = literal(`${p}.rateIncreaseCriteria.numberOfSucceededThings`, crit.numberOfSucceededThings, fix);
    if ((notified === undefined) === (succeeded === undefined)) {
      throw new Error(`${p}.rateIncreaseCriteria needs exactly one of numberOfNotifiedThings and numberOfSucceededThings, got ${JSON.stringify(crit)}`);
    }
    rules.exponential = {
      baseRatePerMinute: base,
      incrementFactor: factor,
      notifiedThings: notified === undefined ? undefined : inRange(`${p}.rateIncreaseCriteria.numberOfNotifiedThings`, notified, 1, Number.MAX_SAFE_INTEGER, true),
      succeededThings: succeeded === undefined ? undefined : inRange(`${p}.rateIncreaseCriteria.numberOfSucceededThings`, succeeded, 1, Number.MAX_SAFE_INTEGER, true),
    };
  }
  const criteria: any[] = config.abortConfig?.criteriaList ?? [];
  rules.abort = criteria.map((c, i): AbortRule => {
    const p = `abortConfig.criteriaList[${i}]`;
    if (!FAILURE_TYPES.includes(c.failureType)) {
      throw new Error(`${p}.failureType must be one of ${FAILURE_TYPES.join(', ')}, got ${JSON.stringify(c.failureType)}`);
    }
    if (c.action !== undefined && c.action !== 'CANCEL') {
      throw new Error(`${p}.action must be CANCEL, got ${JSON.stringify(c.action)}`);
    }
    const threshold = inRange(`${p}.thresholdPercentage`, literal(`${p}.thresholdPercentage`, c.thresholdPercentage, fix) ?? NaN, 0, 100, false);
    const min = inRange(`${p}.minNumberOfExecutedThings`, literal(`${p}.minNumberOfExecutedThings`, c.minNumberOfExecutedThings, fix) ?? NaN, 1, Number.MAX_SAFE_INTEGER, true);
    return { failureType: c.failureType, thresholdPercentage: threshold, minNumberOfExecutedThings: min };
  });
  const timeout = literal('timeoutConfig.inProgressTimeoutInMinutes', config.timeoutConfig?.inProgressTimeoutInMinutes, fix);
  if (timeout !== undefined) {
    rules.timeoutMinutes = inRange('timeoutConfig.inProgressTimeoutInMinutes', timeout, 1, 10080, true);
  }
  return rules;
}
