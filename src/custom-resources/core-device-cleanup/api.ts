/** CloudFormation resource type that deletes the Greengrass core device when removed. */
export const CORE_DEVICE_CLEANUP_RESOURCE_TYPE = 'Custom::GreengrassV2CoreDeviceCleanup';

/** Properties shared by the construct and the handler. */
export interface CoreDeviceCleanupProperties {
  readonly CoreDeviceThingName: string;
}
