import {
  CancelDeploymentCommand, CreateDeploymentCommand, GetDeploymentCommand, GreengrassV2Client, ListDeploymentsCommand,
} from '@aws-sdk/client-greengrassv2';
import { ATTR_IOT_JOB_ARN, ATTR_IOT_JOB_ID, ATTR_STARTED_AT, ATTR_SUCCEEDED } from './api';
import { ParsedProperties, parseProperties } from './private/properties';
import {
  CustomResourceEvent, HandlerDeps, OnEventResponse, clientToken, createLogger, isNotFound, propertiesUnchanged,
  withCloudFormationErrors, withRetries,
} from '../../private/handler-kit';

const greengrass = new GreengrassV2Client({ maxAttempts: 1 });

/**
 * The SucceededDevices attribute when the resource does not wait (noWait, an update that changes
 * nothing, a superseded deployment): always present, so that `Fn::GetAtt` never fails.
 */
const NOT_WAITED = { [ATTR_SUCCEEDED]: '' };

/** Handler dependencies: the toolkit's clock plus wall-clock time. */
export interface CompletionHandlerDeps extends HandlerDeps {
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * onEvent of the fleet waiter.
 *
 * Create/Update: reads the IoT job behind the deployment (GetDeployment) and hands its ID to
 * isComplete, with the time the wait started; a deployment superseded by a newer one (INACTIVE) is
 * not waited for. Nothing is created: replaying the request is harmless.
 * Delete: applies the deletion choice (cancel the deployment, leave it, or deploy an empty
 * configuration to the target) and never fails, so it never blocks stack deletion.
 */
export function createHandler(deps: CompletionHandlerDeps = {}) {
  const log = createLogger('deployment-completion');
  const retry = { sleep: deps.sleep, random: deps.random, log, budgetMs: 60_000 };
  const now = deps.now ?? Date.now;

  const onDelete = async (event: CustomResourceEvent, props: ParsedProperties): Promise<void> => {
    const deploymentId = event.PhysicalResourceId ?? props.deploymentId;
    if (props.onDelete === 'LEAVE') {
      log.info('leaving the deployment in place', { deploymentId });
      return;
    }
    if (props.onDelete === 'CANCEL') {
      try {
        await withRetries(() => greengrass.send(new CancelDeploymentCommand({ deploymentId })), { ...retry, label: 'CancelDeployment' });
      } catch (error) {
        // Already canceled, completed or deleted: nothing to do.
        if (isNotFound(error) || (error as Error).name === 'ConflictException') {
          log.info('deployment not cancelable', { deploymentId, error: (error as Error).name });
          return;
        }
        // The deployment may still be rolling out: say which IoT job to cancel by hand.
        const iotJobId = await withRetries(() => greengrass.send(new GetDeploymentCommand({ deploymentId })), { ...retry, label: 'GetDeployment' })
          .then((d) => d.iotJobId, () => undefined);
        log.error('cancel failed: the deployment may still be rolling out; cancel its IoT job (aws iot cancel-job --job-id <iotJobId>)', {
          deploymentId, iotJobId: iotJobId ?? 'unknown', error: (error as Error)?.name, reason: (error as Error)?.message,
        });
      }
      return;
    }
    // REMOVE_COMPONENTS: only when this deployment is still the target's latest one; after a
    // replacement the new deployment is the latest and must be left alone.
    const latest = await withRetries(() => greengrass.send(new ListDeploymentsCommand({
      targetArn: props.targetArn, historyFilter: 'LATEST_ONLY', maxResults: 1,
    })), { ...retry, label: 'ListDeployments' });
    const latestId = latest.deployments?.[0]?.deploymentId;
    if (latestId !== deploymentId) {
      log.info('not removing components: the target has a newer deployment', { deploymentId, latestId });
      return;
    }
    await withRetries(() => greengrass.send(new CreateDeploymentCommand({
      targetArn: props.targetArn,
      deploymentName: props.emptyDeploymentName,
      components: {},
      clientToken: clientToken(event, 'remove-components'),
    })), { ...retry, label: 'CreateDeployment' });
  };

  return withCloudFormationErrors(log, async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    if (event.RequestType === 'Delete') {
      try {
        await onDelete(event, parseProperties(event.ResourceProperties));
      } catch (error) {
        log.error('delete did not complete; not blocking stack deletion', { error });
      }
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    const props = parseProperties(event.ResourceProperties);
    if (propertiesUnchanged(event)) {
      return { PhysicalResourceId: event.PhysicalResourceId, Data: NOT_WAITED };
    }
    if (!props.wait) {
      return { PhysicalResourceId: props.deploymentId, Data: NOT_WAITED };
    }
    const deployment = await withRetries(() => greengrass.send(new GetDeploymentCommand({ deploymentId: props.deploymentId })),
      { ...retry, label: 'GetDeployment' });
    if (deployment.deploymentStatus === 'INACTIVE') {
      // A newer deployment to the same target superseded this one: its job no longer rolls out, so
      // there is nothing to wait for. This is what a rollback meets: CloudFormation updates the wait
      // back to the previous deployment, which the failed one superseded; waiting for it would fail
      // the rollback too (UPDATE_ROLLBACK_FAILED).
      log.info('not waiting: the deployment was superseded by a newer deployment to the same target', { deploymentId: props.deploymentId });
      return { PhysicalResourceId: props.deploymentId, Data: NOT_WAITED };
    }
    if (!deployment.iotJobId) {
      throw new Error(`deployment ${props.deploymentId} has no IoT job (status ${deployment.deploymentStatus ?? 'unknown'}): it was not rolled out`);
    }
    return {
      PhysicalResourceId: props.deploymentId,
      Data: {
        [ATTR_IOT_JOB_ID]: deployment.iotJobId,
        [ATTR_IOT_JOB_ARN]: deployment.iotJobArn ?? '',
        [ATTR_STARTED_AT]: String(now()),
        // Until isComplete replaces it with the count it saw.
        ...NOT_WAITED,
      },
    };
  });
}

export const handler = createHandler();
