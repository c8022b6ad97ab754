import { DeleteCoreDeviceCommand, GreengrassV2Client } from '@aws-sdk/client-greengrassv2';
import { CoreDeviceCleanupProperties } from './api';
import {
  CustomResourceEvent, HandlerDeps, OnEventResponse, createLogger, isNotFound, isRetryable, withCloudFormationErrors, withRetries, SDK_CLIENT_CONFIG,
} from '../../private/handler-kit';

const greengrass = new GreengrassV2Client(SDK_CLIENT_CONFIG);

/**
 * Does nothing on Create and Update; on Delete, removes the Greengrass core device
 * (DeleteCoreDevice; the IoT thing is left to CloudFormation). A device already gone is success.
 */
export function createHandler(deps: HandlerDeps = {}) {
  const log = createLogger('core-device-cleanup');
  return withCloudFormationErrors(log, async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    const props = event.ResourceProperties as unknown as CoreDeviceCleanupProperties;
    const thingName = props.CoreDeviceThingName;
    if (!thingName) throw new Error('CoreDeviceThingName is required');
    if (event.RequestType !== 'Delete') return { PhysicalResourceId: thingName };
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
