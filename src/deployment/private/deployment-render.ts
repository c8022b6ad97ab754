import { Duration, Stack } from 'aws-cdk-lib';
import { CfnDeployment } from 'aws-cdk-lib/aws-greengrassv2';
import { IConstruct } from 'constructs';
import { IComponent } from '../../component/component';
import { ComponentDeploymentOptions } from '../component-options';
import { AbortCriterion, Rollout } from '../iot-job';
import { ComponentUpdatePolicy, FailureHandling } from '../policies';

/**
 * The only code that builds the `AWS::GreengrassV2::Deployment` properties from the typed
 * deployment model. Values are validated before they get here.
 */

/** One component of a deployment, as it is rendered. */
export interface RenderedComponentEntry {
  readonly component: IComponent;
  readonly options?: ComponentDeploymentOptions;
}

/** One entry of the `Components` map: the component's version, configuration update and run-with. */
export function renderComponent(scope: IConstruct, entry: RenderedComponentEntry): CfnDeployment.ComponentDeploymentSpecificationProperty {
  const options = entry.options;
  return {
    componentVersion: entry.component.componentVersion,
    configurationUpdate: renderConfigurationUpdate(scope, options),
    runWith: renderRunWith(options),
  };
}

function renderConfigurationUpdate(scope: IConstruct, options?: ComponentDeploymentOptions)
  : CfnDeployment.ComponentConfigurationUpdateProperty | undefined {
  const merge = options?.configurationMerge;
  const reset = options?.configurationReset;
  if (merge === undefined && (reset === undefined || reset.length === 0)) {
    return undefined;
  }
  return {
    merge: merge === undefined ? undefined : Stack.of(scope).toJsonString(merge),
    reset: reset && reset.length > 0 ? reset : undefined,
  };
}

function renderRunWith(options?: ComponentDeploymentOptions): CfnDeployment.ComponentRunWithProperty | undefined {
  const runWith = options?.runWith;
  if (!runWith) {
    return undefined;
  }
  const limits = runWith.systemResourceLimits;
  const hasLimits = limits !== undefined && (limits.memory !== undefined || limits.cpus !== undefined);
  if (runWith.posixUser === undefined && runWith.windowsUser === undefined && !hasLimits) {
    return undefined;
  }
  return {
    posixUser: runWith.posixUser,
    windowsUser: runWith.windowsUser,
    systemResourceLimits: hasLimits ? {
      memory: limits!.memory?.toKibibytes(),
      cpus: limits!.cpus,
    } : undefined,
  };
}

/**
 * The `DeploymentPolicies` property. `configurationValidationTimeoutSeconds` is the timeout in
 * seconds when already known (as `checkDuration` returns it).
 */
export function renderPolicies(failureHandling?: FailureHandling, componentUpdatePolicy?: ComponentUpdatePolicy,
  configurationValidationTimeout?: Duration, configurationValidationTimeoutSeconds?: number): CfnDeployment.DeploymentPoliciesProperty | undefined {
  if (failureHandling === undefined && componentUpdatePolicy === undefined && configurationValidationTimeout === undefined) {
    return undefined;
  }
  return {
    failureHandlingPolicy: failureHandling,
    componentUpdatePolicy: componentUpdatePolicy === undefined ? undefined : {
      action: componentUpdatePolicy.notify ? 'NOTIFY_COMPONENTS' : 'SKIP_NOTIFY_COMPONENTS',
      timeoutInSeconds: componentUpdatePolicy.timeout?.toSeconds(),
    },
    configurationValidationPolicy: configurationValidationTimeout === undefined ? undefined : {
      timeoutInSeconds: configurationValidationTimeoutSeconds ?? configurationValidationTimeout.toSeconds(),
    },
  };
}

/**
 * The `IotJobConfiguration` property. `inProgressTimeoutMinutes` is the timeout in minutes when
 * already known (as `checkDuration` returns it).
 */
export function renderIotJobConfiguration(rollout?: Rollout, abortCriteria?: AbortCriterion[], inProgressTimeout?: Duration,
  inProgressTimeoutMinutes?: number): CfnDeployment.DeploymentIoTJobConfigurationProperty | undefined {
  const abort = abortCriteria ?? [];
  if (rollout === undefined && abort.length === 0 && inProgressTimeout === undefined) {
    return undefined;
  }
  return {
    jobExecutionsRolloutConfig: rollout === undefined ? undefined : {
      exponentialRate: rollout.baseRatePerMinute === undefined ? undefined : {
        baseRatePerMinute: rollout.baseRatePerMinute,
        incrementFactor: rollout.incrementFactor!,
        // Typed `any` in the L1: its keys are passed through as written, so they are in
        // CloudFormation case already.
        rateIncreaseCriteria: rollout.rateIncreaseCriteria!.numberOfNotifiedThings !== undefined
          ? { NumberOfNotifiedThings: rollout.rateIncreaseCriteria!.numberOfNotifiedThings }
          : { NumberOfSucceededThings: rollout.rateIncreaseCriteria!.numberOfSucceededThings },
      },
      maximumPerMinute: rollout.maximumPerMinute,
    },
    abortConfig: abort.length === 0 ? undefined : {
      criteriaList: abort.map((c) => ({
        action: 'CANCEL',
        failureType: c.failureType,
        thresholdPercentage: c.thresholdPercentage,
        minNumberOfExecutedThings: c.minNumberOfExecutedThings,
      })),
    },
    timeoutConfig: inProgressTimeout === undefined ? undefined : {
      inProgressTimeoutInMinutes: inProgressTimeoutMinutes ?? inProgressTimeout.toMinutes(),
    },
  };
}
