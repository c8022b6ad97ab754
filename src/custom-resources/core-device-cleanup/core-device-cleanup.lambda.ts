import { DeleteCoreDeviceCommand, GreengrassV2Client } from '@aws-sdk/client-greengrassv2';
import { CoreDeviceCleanupProperties } from './api';
import {
  CustomResourceEvent, HandlerDeps, OnEventResponse, createLogger, isNotFound, isRetryable, withCloudFormationErrors, withRetries, SDK_CLIENT_CONFIG,
} from '../../private/handler-kit';
import { StackReader, cloudFormationStackReader, otherOwners } from '../../private/stack-claims';

const greengrass = new GreengrassV2Client(SDK_CLIENT_CONFIG);

/** What tests replace. */
export interface CoreDeviceCleanupHandlerDeps extends HandlerDeps {
  /** @default the stack's resources and template, read with the Lambda environment's CloudFormation client */
  readonly stack?: StackReader;
}

/**
 * Does nothing on Create and Update; on Delete, removes the Greengrass core device
 * (DeleteCoreDevice; the IoT thing is left to CloudFormation). A device already gone is success. A device another
 * cleanup resource of the stack now covers is left (a moved or renamed construct: CloudFormation creates the new
 * resource first; a rollback).
 */
export function createHandler(deps: CoreDeviceCleanupHandlerDeps = {}) {
  const log = createLogger('core-device-cleanup');
  const stack = deps.stack ?? cloudFormationStackReader({ sleep: deps.sleep, random: deps.random, log });
  return withCloudFormationErrors(log, async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    const props = event.ResourceProperties as unknown as CoreDeviceCleanupProperties;
    const thingName = props.CoreDeviceThingName;
    if (!thingName) throw new Error('CoreDeviceThingName is required');
    if (event.RequestType !== 'Delete') return { PhysicalResourceId: thingName };
    const owners = await otherOwners(event, stack);
    if (owners.length > 0) {
      log.info('leaving the core device: another resource of the stack now removes it on delete', { thingName, others: owners.map((o) => o.LogicalResourceId) });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    try {
      await withRetries(() => greengrass.send(new DeleteCoreDeviceCommand({ coreDeviceThingName: thingName })), {
        sleep: deps.sleep,
        random: deps.random,
        log,
        label: 'DeleteCoreDevice',
        // ConflictException: a deployment is being applied to the device; it clears by itself.
        retryable: (e) => isRetryable(e) || (e as Error)?.name === 'ConflictException',
      });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  });
}

export const handler = createHandler();
