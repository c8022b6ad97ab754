import { CustomResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CORE_DEVICE_CLEANUP_RESOURCE_TYPE, CoreDeviceCleanupProperties } from './api';
import { CoreDeviceCleanupFunction } from './core-device-cleanup-function';
import { coreDeviceArn, iotArn } from '../../private/arns';
import { SharedProvider } from '../../private/provider';

/**
 * Deletes the Greengrass core device (DeleteCoreDevice) when removed from the stack. Internal:
 * `CoreDevice` creates it when `removeCoreDeviceOnDelete` is set.
 */
export class CoreDeviceCleanup extends Construct {
  constructor(scope: Construct, id: string, props: { readonly thingName: string }) {
    super(scope, id);
    const provider = SharedProvider.getOrCreate(this, {
      id: 'GreengrassV2CoreDeviceCleanupProvider',
      onEvent: (s, i, p) => new CoreDeviceCleanupFunction(s, i, p),
      readsStack: true,
    });
    provider.grant(new iam.PolicyStatement({
      actions: ['greengrass:DeleteCoreDevice'],
      resources: [coreDeviceArn(this, props.thingName)],
    }));
    provider.grant(new iam.PolicyStatement({
      // What DeleteCoreDevice does on the device's thing on the caller's behalf.
      actions: ['iot:DescribeThing', 'iot:GetThingShadow', 'iot:UpdateThingShadow', 'iot:DeleteThingShadow'],
      resources: [iotArn(this, `thing/${props.thingName}`)],
    }));
    const properties: CoreDeviceCleanupProperties = { CoreDeviceThingName: props.thingName };
    new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: CORE_DEVICE_CLEANUP_RESOURCE_TYPE,
      properties,
    });
  }
}
