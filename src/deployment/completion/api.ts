/** CloudFormation resource type of the fleet waiter. */
export const DEPLOYMENT_COMPLETION_RESOURCE_TYPE = 'Custom::GreengrassV2DeploymentCompletion';

/** Whether the resource waits for the fleet. */
export type CompletionMode = 'WAIT' | 'NO_WAIT';
/** How the success threshold is expressed. */
export type ThresholdKind = 'ALL' | 'PERCENTAGE' | 'COUNT';
/** What devices that never start the deployment (they stay QUEUED) count as. */
export type OfflineMode = 'WAIT' | 'COUNT_AS_FAILED' | 'EXCLUDE';
/** What deleting the resource does to the deployment. */
export type DeleteMode = 'CANCEL' | 'LEAVE' | 'REMOVE_COMPONENTS';

/**
 * Properties shared by the construct and the handlers. CloudFormation delivers every value as a
 * string: numbers are parsed by the handlers.
 */
export interface CompletionProperties {
  /** The Greengrass deployment to watch. */
  readonly DeploymentId: string;
  /** The deployment's target (thing or thing group ARN). */
  readonly TargetArn: string;
  readonly Mode: CompletionMode;
  /** Seconds to wait before failing with a summary. */
  readonly TimeoutSeconds: string;
  readonly Threshold: ThresholdKind;
  /** Percentage (PERCENTAGE) or number of devices (COUNT); unused for ALL. */
  readonly ThresholdValue: string;
  readonly OfflineDevices: OfflineMode;
  /** How many failing devices the failure reason names. */
  readonly FailingDevicesToName: string;
  readonly OnDelete: DeleteMode;
  /** Name of the empty deployment created by REMOVE_COMPONENTS. */
  readonly EmptyDeploymentName: string;
}

/** Attributes returned in `Data`. */
export const ATTR_IOT_JOB_ID = 'IotJobId';
export const ATTR_IOT_JOB_ARN = 'IotJobArn';
export const ATTR_STARTED_AT = 'StartedAt';
export const ATTR_SUCCEEDED = 'SucceededDevices';
