import { Duration, Stack } from 'aws-cdk-lib';
import { CfnDeployment } from 'aws-cdk-lib/aws-greengrassv2';
import { IConstruct } from 'constructs';
import { IComponent } from '../../component/component';
import { ComponentDeploymentOptions } from '../component-options';
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
