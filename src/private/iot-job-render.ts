import { Duration } from 'aws-cdk-lib';
import { CfnDeployment } from 'aws-cdk-lib/aws-greengrassv2';
import { AbortCriterion, Rollout } from '../deployment/iot-job';

// The ONE renderer of a Greengrass deployment's IoT job configuration: deployments render it, and
// the rollout simulation policy renders the same to compare with.

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
