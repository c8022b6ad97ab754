import { CustomResource, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CLIENT_DEVICES_RESOURCE_TYPE, ClientDeviceAssociationProperties } from './api';
import { ClientDevicesFunction } from './client-devices-function';
import type { ICoreDevice } from '../../core-device/core-device-ref';
import { coreDeviceArn } from '../../private/arns';
import { SharedProvider } from '../../private/provider';
import { applyOnDeletion, keptOrDeleted } from '../../private/removal-policy';

/**
 * Properties of `ClientDeviceAssociation`.
 */
export interface ClientDeviceAssociationProps {
  /** The core device the client devices discover. */
  readonly coreDevice: ICoreDevice;

  /** Thing names of the client devices. At least one, each at most once. */
  readonly clientDeviceThingNames: string[];

  /**
   * What removing this construct (or deleting the stack) does: `DESTROY` disassociates the client
   * devices; `RETAIN` leaves them associated (no Delete reaches the handler), so that they keep
   * discovering the core device. Updates apply either way: a device removed from
   * `clientDeviceThingNames` is disassociated, and another core device moves the association.
   * @default RemovalPolicy.DESTROY
   * @throws if not RETAIN or DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Associates client devices with a core device, so that they find it through Greengrass cloud
 * discovery (BatchAssociateClientDeviceWithCoreDevice, 100 devices per call; failed entries with
 * a retryable code are retried, others fail the deployment with their names and codes).
 */
export class ClientDeviceAssociation extends Construct {
  constructor(scope: Construct, id: string, props: ClientDeviceAssociationProps) {
    super(scope, id);
    const removalPolicy = keptOrDeleted('removalPolicy', props.removalPolicy, RemovalPolicy.DESTROY, 'a client-device association');
    const names = props.clientDeviceThingNames;
    if (names.length === 0) {
      throw new Error('clientDeviceThingNames is empty: pass the thing names of the client devices to associate');
    }
    const seen = new Set<string>();
    for (const n of names) {
      if (Token.isUnresolved(n)) continue;
      if (!/^[a-zA-Z0-9:_-]{1,128}$/.test(n)) {
        throw new Error(`clientDeviceThingNames contains '${n}', which is not a valid thing name: use 1-128 characters of [a-zA-Z0-9:_-]`);
      }
      if (seen.has(n)) throw new Error(`clientDeviceThingNames contains '${n}' twice: list each client device once`);
      seen.add(n);
    }

    const provider = SharedProvider.getOrCreate(this, {
      id: 'GreengrassV2ClientDevicesProvider',
      onEvent: (s, i, p) => new ClientDevicesFunction(s, i, p),
      readsStack: true,
    });
    provider.grant(new iam.PolicyStatement({
      actions: ['greengrass:BatchAssociateClientDeviceWithCoreDevice', 'greengrass:BatchDisassociateClientDeviceFromCoreDevice'],
      resources: [coreDeviceArn(this, props.coreDevice.thingName)],
    }));

    const properties: ClientDeviceAssociationProperties = {
      CoreDeviceThingName: props.coreDevice.thingName,
      ClientDeviceThingNames: names,
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: CLIENT_DEVICES_RESOURCE_TYPE,
      properties,
    });
    applyOnDeletion(resource, removalPolicy);
    // Inside the core device that creates it, the thing name's Ref orders it after the thing; depending
    // on the whole device from inside it would make the device's resources depend on each other.
    if (!this.node.scopes.includes(props.coreDevice)) {
      resource.node.addDependency(props.coreDevice);
    }
  }
}
