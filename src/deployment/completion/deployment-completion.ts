import { ArnFormat, CfnResource, CustomResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ATTR_SUCCEEDED, CompletionProperties, DEPLOYMENT_COMPLETION_RESOURCE_TYPE } from './api';
import { CompletionIsCompleteFunction } from './completion-is-complete-function';
import { CompletionOnEventFunction } from './completion-on-event-function';
import * as perms from './private/permissions';
import { SharedProvider } from '../../private/provider';
import { IDeploymentTarget } from '../target';

/** Longest wait: CloudFormation gives a custom resource one hour, and the last poll and the report need a margin. */
const MAX_TIMEOUT_MINUTES = 55;
/** Largest number of failing devices a failure reason names (each costs two API calls, once). */
const MAX_NAMED_DEVICES = 5;

/**
 * How many devices must complete the deployment successfully.
 */
export class SuccessThreshold {
  /**
   * Every device of the target (see `OfflineDevices` for devices that never answer).
   */
  public static all(): SuccessThreshold {
    return new SuccessThreshold('ALL', 100);
  }

  /**
   * At least this percentage of the target's devices (more than 0, at most 100, two decimals).
   */
  public static percentage(percent: number): SuccessThreshold {
    if (Token.isUnresolved(percent) || !(percent > 0 && percent <= 100) || Math.round(percent * 100) !== percent * 100) {
      throw new Error(`successThreshold percentage must be more than 0 and at most 100 with at most two decimals, got ${percent}: for example SuccessThreshold.percentage(95)`);
    }
    return new SuccessThreshold('PERCENTAGE', percent);
  }

  /**
   * At least this many devices (an integer of at least 1).
   */
  public static count(devices: number): SuccessThreshold {
    if (Token.isUnresolved(devices) || !Number.isInteger(devices) || devices < 1) {
      throw new Error(`successThreshold count must be an integer of at least 1, got ${devices}: for example SuccessThreshold.count(10)`);
    }
    return new SuccessThreshold('COUNT', devices);
  }

  /** ALL, PERCENTAGE or COUNT. */
  public readonly kind: string;
  /** The percentage (PERCENTAGE), the number of devices (COUNT), or 100 (ALL). */
  public readonly value: number;

  private constructor(kind: string, value: number) {
    this.kind = kind;
    this.value = value;
  }
}

/**
 * What the wait makes of devices that never start the deployment (offline devices stay QUEUED).
 */
export enum OfflineDevices {
  /** They may still come online: keep waiting for them until the timeout. */
  WAIT = 'WAIT',
  /** Once every device was notified and none is in progress, devices still queued count as failed. */
  COUNT_AS_FAILED = 'COUNT_AS_FAILED',
  /** Once every device was notified and none is in progress, devices still queued are left out of the fleet. */
  EXCLUDE = 'EXCLUDE',
}

/**
 * What happens to the deployment when it is deleted: on stack deletion, or when a change replaces it
 * (Greengrass deployments cannot be changed in place, so every change creates a new one).
 */
export enum DeploymentDeletion {
  /**
   * Cancel the deployment: devices that have not received it never will; devices that did keep
   * their components.
   */
  CANCEL = 'CANCEL',
  /**
   * Leave the deployment active and retain it (CloudFormation removal policy RETAIN): devices keep
   * their components, and devices joining the thing group later still receive it.
   */
  LEAVE = 'LEAVE',
  /**
   * On stack deletion, deploy an empty configuration to the same target so devices remove the
   * deployment's components. Skipped when a newer deployment already targets the same thing or
   * group (a replacement), so a change never empties the fleet. The empty deployment stays in the
   * account after the stack is gone.
   */
  REMOVE_COMPONENTS = 'REMOVE_COMPONENTS',
}

/**
 * Options of `DeploymentCompletion.waitFor`.
 */
export interface DeploymentWaitOptions {
  /**
   * How long `cdk deploy` waits for the fleet before failing with a summary (1 to 55 minutes:
   * CloudFormation gives a custom resource one hour).
   *
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;

  /**
   * How many devices must succeed.
   *
   * @default SuccessThreshold.all()
   */
  readonly successThreshold?: SuccessThreshold;

  /**
   * What devices that never start the deployment count as.
   *
   * @default OfflineDevices.WAIT
   */
  readonly offlineDevices?: OfflineDevices;

  /**
   * How many failing devices (with their status details) the failure message names (0 to 5).
   *
   * @default 3
   */
  readonly failingDevicesToName?: number;

  /**
   * What happens to the deployment when it is deleted or replaced.
   *
   * @default DeploymentDeletion.CANCEL
   */
  readonly onDelete?: DeploymentDeletion;
}

/**
 * Options of `DeploymentCompletion.noWait`.
 */
export interface DeploymentNoWaitOptions {
  /**
   * What happens to the deployment when it is deleted or replaced.
   *
   * @default DeploymentDeletion.CANCEL
   */
  readonly onDelete?: DeploymentDeletion;
}

/**
 * What a deployment tells its completion when binding it.
 */
export interface DeploymentCompletionBindOptions {
  /** The deployment's ID. */
  readonly deploymentId: string;
  /** The deployment's target. */
  readonly target: IDeploymentTarget;
  /** The deployment's name (the empty deployment of REMOVE_COMPONENTS is named after it). */
  readonly deploymentName: string;
  /**
   * The deployment's CloudFormation resource, retained with `DeploymentDeletion.LEAVE`.
   *
   * @default - none
   */
  readonly deploymentResource?: CfnResource;
}

type ModeProperties = Omit<CompletionProperties, 'DeploymentId' | 'TargetArn' | 'EmptyDeploymentName'>;

/**
 * Whether `cdk deploy` waits for a deployment to reach its devices, and what deleting it does.
 */
export class DeploymentCompletion {
  /**
   * Make the stack wait until enough devices completed the deployment, and fail with a summary
   * (counts per status and the first failing devices) otherwise.
   */
  public static waitFor(options: DeploymentWaitOptions = {}): DeploymentCompletion {
    const timeout = options.timeout ?? Duration.minutes(30);
    const minutes = timeout.toMinutes({ integral: false });
    if (Token.isUnresolved(minutes) || !(minutes >= 1 && minutes <= MAX_TIMEOUT_MINUTES)) {
      throw new Error(`completion timeout must be from 1 to ${MAX_TIMEOUT_MINUTES} minutes, got ${timeout.toHumanString()}: CloudFormation fails a custom resource after one hour; for longer rollouts wait for a count of devices instead of all of them`);
    }
    const named = options.failingDevicesToName ?? 3;
    if (!Number.isInteger(named) || named < 0 || named > MAX_NAMED_DEVICES) {
      throw new Error(`failingDevicesToName must be an integer from 0 to ${MAX_NAMED_DEVICES}, got ${named}`);
    }
    return new DeploymentCompletion({
      Mode: 'WAIT',
      TimeoutSeconds: String(Math.round(timeout.toSeconds({ integral: false }))),
      Threshold: (options.successThreshold ?? SuccessThreshold.all()).kind as CompletionProperties['Threshold'],
      ThresholdValue: String((options.successThreshold ?? SuccessThreshold.all()).value),
      OfflineDevices: options.offlineDevices ?? OfflineDevices.WAIT,
      FailingDevicesToName: String(named),
      OnDelete: options.onDelete ?? DeploymentDeletion.CANCEL,
    });
  }

  /**
   * Do not wait for devices; only apply a deletion choice.
   */
  public static noWait(options: DeploymentNoWaitOptions = {}): DeploymentCompletion {
    return new DeploymentCompletion({
      Mode: 'NO_WAIT',
      TimeoutSeconds: '0',
      Threshold: 'ALL',
      ThresholdValue: '100',
      OfflineDevices: 'WAIT',
      FailingDevicesToName: '0',
      OnDelete: options.onDelete ?? DeploymentDeletion.CANCEL,
    });
  }

  /** @internal */
  public readonly _properties: ModeProperties;

  private constructor(properties: ModeProperties) {
    this._properties = properties;
  }

  /**
   * Adds the waiter of this completion next to a deployment (construct id `Completion`).
   */
  public bind(scope: Construct, options: DeploymentCompletionBindOptions): DeploymentWaiter {
    return new DeploymentWaiter(scope, 'Completion', { ...options, completion: this });
  }
}

/**
 * Properties of a `DeploymentWaiter`.
 */
export interface DeploymentWaiterProps extends DeploymentCompletionBindOptions {
  /**
   * Whether to wait, for what, and what deleting the deployment does.
   */
  readonly completion: DeploymentCompletion;
}

/**
 * The custom resource that waits for a deployment's fleet and applies its deletion choice.
 * Created by `DeploymentCompletion.bind`; one provider serves every waiter of a stack.
 */
export class DeploymentWaiter extends Construct {
  /**
   * How many devices had succeeded when the wait ended (a deploy-time value); an empty string when
   * the resource did not wait (`noWait`, an update that changed nothing, a superseded deployment).
   */
  public readonly succeededDevices: string;

  constructor(scope: Construct, id: string, props: DeploymentWaiterProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const provider = SharedProvider.getOrCreate(this, {
      id: 'GreengrassV2DeploymentCompletionProvider',
      onEvent: (s, i, p) => new CompletionOnEventFunction(s, i, p),
      isComplete: (s, i, p) => new CompletionIsCompleteFunction(s, i, p),
      queryInterval: Duration.seconds(30),
      totalTimeout: Duration.minutes(MAX_TIMEOUT_MINUTES + 3),
      timeout: Duration.minutes(3),
    });
    const deploymentArn = stack.formatArn({
      service: 'greengrass', resource: 'deployments', resourceName: props.deploymentId, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const jobArns = stack.formatArn({ service: 'iot', resource: 'job', resourceName: '*' });
    const targetArn = props.target.targetArn;
    const isThing = !Token.isUnresolved(targetArn) && /:thing\//.test(targetArn);
    const thingArns = isThing ? targetArn : stack.formatArn({ service: 'iot', resource: 'thing', resourceName: '*' });

    // Each handler gets what it calls: onEvent reads the deployment and applies the deletion choice,
    // isComplete reads the job and its executions.
    const onEvent: iam.PolicyStatement[] = [
      new iam.PolicyStatement({ actions: perms.READ_DEPLOYMENT, resources: [deploymentArn] }),
    ];
    const isComplete: iam.PolicyStatement[] = [
      new iam.PolicyStatement({ actions: perms.READ_JOB, resources: [jobArns] }),
      new iam.PolicyStatement({ actions: perms.READ_JOB_EXECUTION_THING, resources: [thingArns] }),
    ];
    const mode = props.completion._properties;
    const onDelete = mode.OnDelete;
    if (onDelete === 'LEAVE') {
      props.deploymentResource?.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    if (onDelete === 'CANCEL') {
      onEvent.push(new iam.PolicyStatement({ actions: perms.CANCEL_DEPLOYMENT, resources: [deploymentArn] }));
      onEvent.push(new iam.PolicyStatement({ actions: perms.CANCEL_DEPLOYMENT_IOT, resources: [jobArns, targetArn] }));
    } else if (onDelete === 'REMOVE_COMPONENTS') {
      onEvent.push(new iam.PolicyStatement({ actions: perms.REMOVE_COMPONENTS, resources: ['*'] }));
      onEvent.push(new iam.PolicyStatement({ actions: perms.REMOVE_COMPONENTS_IOT, resources: [jobArns, targetArn] }));
    }
    for (const s of onEvent) provider.onEventFunction.addToRolePolicy(s);
    for (const s of isComplete) provider.isCompleteFunction?.addToRolePolicy(s);
    // The job behind a deployment gets its id when Greengrass creates it (deploy time); a group's members change.
    provider.acknowledgeWildcards([jobArns], 'the IoT job behind a Greengrass deployment gets its id when the deployment is created; '
      + 'only reads of jobs and their executions', provider.isCompleteFunction);
    if (!isThing) {
      provider.acknowledgeWildcards([thingArns], 'DescribeJobExecution also authorizes on the device: the target is a thing group, whose '
        + 'members change at any time; only reads of the executions of the few failing devices the waiter names', provider.isCompleteFunction);
    }
    if (onDelete === 'CANCEL') {
      provider.acknowledgeWildcards([jobArns], "onDelete CANCEL: Greengrass cancels the deployment's IoT job (whose id is known only at deploy "
        + "time) on the caller's behalf, so CancelDeployment needs the job actions on it");
    } else if (onDelete === 'REMOVE_COMPONENTS') {
      provider.acknowledgeWildcards(['*', jobArns], 'onDelete REMOVE_COMPONENTS: greengrass:ListDeployments and CreateDeployment have no '
        + "resource-level permissions, and Greengrass creates and cancels the target's IoT jobs (ids known only at deploy time) on the caller's behalf");
    }

    const properties: CompletionProperties = {
      ...mode,
      DeploymentId: props.deploymentId,
      TargetArn: targetArn,
      EmptyDeploymentName: Token.isUnresolved(props.deploymentName) ? props.deploymentName : `${props.deploymentName}-removed`.slice(0, 256),
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: DEPLOYMENT_COMPLETION_RESOURCE_TYPE,
      properties: { ...properties },
    });
    this.succeededDevices = resource.getAttString(ATTR_SUCCEEDED);
  }
}
