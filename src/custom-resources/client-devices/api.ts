/** CloudFormation resource type of the client devices associated with a core device. */
export const CLIENT_DEVICES_RESOURCE_TYPE = 'Custom::GreengrassV2ClientDeviceAssociation';

/** Largest batch BatchAssociateClientDeviceWithCoreDevice accepts. */
export const CLIENT_DEVICE_BATCH_SIZE = 100;

/** Properties shared by the construct and the handler. */
export interface ClientDeviceAssociationProperties {
  readonly CoreDeviceThingName: string;
  readonly ClientDeviceThingNames: string[];
}
