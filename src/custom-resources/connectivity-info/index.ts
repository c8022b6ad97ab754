import { Aspects, Annotations, CustomResource, IAspect, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { CfnDeployment } from 'aws-cdk-lib/aws-greengrassv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { CONNECTIVITY_INFO_RESOURCE_TYPE, ConnectivityInfoProperties } from './api';
import { ConnectivityInfoFunction } from './connectivity-info-function';
import type { ICoreDevice } from '../../core-device/core-device-ref';
import { connectivityInfoArn, iotArn } from '../../private/arns';
import { SharedProvider } from '../../private/provider';
import { applyOnDeletion, keptOrDeleted } from '../../private/removal-policy';

const IP_DETECTOR_COMPONENT_NAME = 'aws.greengrass.clientdevices.IPDetector';

/**
 * One endpoint where client devices reach a core device's MQTT broker.
 */
export interface ConnectivityEndpoint {
  /**
   * IP address or DNS name of the core device.
   */
  readonly hostAddress: string;

  /**
   * Port of the MQTT broker.
   * @default 8883
   */
  readonly port?: number;

  /**
   * Extra information given to client devices.
   * @default - none
   */
  readonly metadata?: string;

  /**
   * Identifier of this endpoint in the list.
   * @default - `endpoint-<index>`
   */
  readonly id?: string;
}

/**
 * Properties of `ConnectivityInfo`.
 */
export interface ConnectivityInfoProps {
  /** The core device whose connectivity information is set. */
  readonly coreDevice: ICoreDevice;

  /** The whole list of endpoints (UpdateConnectivityInfo replaces it). At least one. */
  readonly endpoints: ConnectivityEndpoint[];

  /**
   * Thing groups the core device belongs to, so that a deployment of the IP detector to one of
   * them is detected too.
   * @default - the thing groups known from the core device, if it is a `CoreDevice`
   */
  readonly thingGroupArns?: string[];

  /**
   * What removing this construct (or deleting the stack) does: `DESTROY` empties the list (when it is
   * still the one set here); `RETAIN` leaves it (no Delete reaches the handler), so that client
   * devices keep finding the core device. Updates apply either way.
   * @default RemovalPolicy.DESTROY
   * @throws if not RETAIN or DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The connectivity information of a core device: where client devices that use cloud discovery
 * connect to its MQTT broker.
 *
 * The list is replaced as a whole. When the IP detector component
 * (`aws.greengrass.clientdevices.IPDetector`) is deployed to the same device (or to a thing group
 * of the device) in this app, a synth-time warning says so: the detector overwrites the list.
 */
export class ConnectivityInfo extends Construct {
  /** The component that rewrites a core device's connectivity information from its IP addresses. */
  public static readonly IP_DETECTOR_COMPONENT_NAME = IP_DETECTOR_COMPONENT_NAME;

  /** The core device. */
  public readonly coreDevice: ICoreDevice;

  private readonly groupArns: string[];

  constructor(scope: Construct, id: string, props: ConnectivityInfoProps) {
    super(scope, id);
    const removalPolicy = keptOrDeleted('removalPolicy', props.removalPolicy, RemovalPolicy.DESTROY, 'connectivity information');
    if (props.endpoints.length === 0) {
      throw new Error('connectivity info endpoints is empty: pass at least one endpoint, for example { hostAddress: \'192.168.1.10\' }');
    }
    const ids = new Map<string, number>();
    const endpoints = props.endpoints.map((e, i) => {
      const port = e.port ?? 8883;
      if (!Token.isUnresolved(port) && (!Number.isInteger(port) || port < 1 || port > 65535)) {
        throw new Error(`connectivity info endpoint ${i} port is ${port}: use an integer between 1 and 65535 (the MQTT broker's port, usually 8883)`);
      }
      if (!Token.isUnresolved(e.hostAddress) && e.hostAddress.trim() === '') {
        throw new Error(`connectivity info endpoint ${i} hostAddress is empty: pass the core device's IP address or DNS name`);
      }
      const endpointId = e.id ?? `endpoint-${i}`;
      const first = ids.get(endpointId);
      if (first !== undefined) {
        const shown = Token.isUnresolved(endpointId) ? 'id (a value known only at deploy time, the same token twice)' : `id '${endpointId}'`;
        throw new Error(`connectivity info endpoints ${first} and ${i} have the same ${shown}: give each endpoint a unique id`);
      }
      ids.set(endpointId, i);
      return { Id: endpointId, HostAddress: e.hostAddress, PortNumber: String(port), ...(e.metadata ? { Metadata: e.metadata } : {}) };
    });

    this.coreDevice = props.coreDevice;
    // Kept by reference: a fleet adds its group after creating the device.
    this.groupArns = props.thingGroupArns ?? (props.coreDevice as { thingGroupArns?: string[] }).thingGroupArns ?? [];

    const provider = SharedProvider.getOrCreate(this, {
      id: 'GreengrassV2ConnectivityInfoProvider',
      onEvent: (s, i, p) => new ConnectivityInfoFunction(s, i, p),
      readsStack: true,
    });
    const thingName = props.coreDevice.thingName;
    provider.grant(new iam.PolicyStatement({
      actions: ['greengrass:GetConnectivityInfo', 'greengrass:UpdateConnectivityInfo'],
      resources: [connectivityInfoArn(this, thingName)],
    }));
    provider.grant(new iam.PolicyStatement({
      // Connectivity information is kept in the device's shadow.
      actions: ['iot:GetThingShadow', 'iot:UpdateThingShadow'],
      resources: [iotArn(this, `thing/${thingName}`)],
    }));

    const properties: ConnectivityInfoProperties = { ThingName: thingName, ConnectivityInfo: endpoints };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: CONNECTIVITY_INFO_RESOURCE_TYPE,
      properties,
    });
    applyOnDeletion(resource, removalPolicy);
    // Inside the core device that creates it, the thing name's Ref orders it after the thing; depending
    // on the whole device from inside it would make the device's resources depend on each other.
    if (!this.node.scopes.includes(props.coreDevice)) {
      resource.node.addDependency(props.coreDevice);
    }

    Aspects.of(Stack.of(this)).add(IP_DETECTOR_CHECK);
  }

  /** ARNs a deployment of the IP detector conflicts with: the core device's thing and its thing groups. */
  public get targetArns(): string[] {
    return [this.coreDevice.thingArn, ...this.groupArns];
  }
}

/**
 * Whether `deployment` includes the IP detector component and goes to one of `targetArns`.
 * Tokens are compared in their resolved (CloudFormation) form.
 */
function deploysIpDetectorTo(deployment: CfnDeployment, targetArns: string[]): boolean {
  const stack = Stack.of(deployment);
  const components = stack.resolve(deployment.components);
  if (!components || typeof components !== 'object' || !(IP_DETECTOR_COMPONENT_NAME in components)) return false;
  const target = JSON.stringify(stack.resolve(deployment.targetArn));
  return targetArns.some((arn) => JSON.stringify(Stack.of(deployment).resolve(arn)) === target);
}

class IpDetectorCheck implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof ConnectivityInfo)) return;
    const deployments = node.node.root.node.findAll().filter((c): c is CfnDeployment => c instanceof CfnDeployment);
    for (const d of deployments) {
      if (deploysIpDetectorTo(d, node.targetArns)) {
        Annotations.of(node).addWarningV2('cdk-greengrass-v2:ipDetectorOverwritesConnectivityInfo',
          `deployment '${d.node.path}' includes ${IP_DETECTOR_COMPONENT_NAME}, which overwrites the connectivity information set here for core device ${node.coreDevice.node.path}: remove the IP detector from that deployment or remove this ConnectivityInfo`);
      }
    }
  }
}

const IP_DETECTOR_CHECK = new IpDetectorCheck();
