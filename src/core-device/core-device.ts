import { Arn, CfnOutput, CfnResource, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CoreDeviceCertificate } from './certificate';
import { ICoreDevice } from './core-device-ref';
import { MqttTopicAccess } from './mqtt-topic-access';
import { TokenExchangeRole } from './token-exchange-role';
import { GeneratedCertificate, identityRemovalPolicy, keyRecoveryWindowDays } from '../custom-resources/certificate';
import { ClientDeviceAssociation } from '../custom-resources/client-devices';
import { ConnectivityEndpoint, ConnectivityInfo } from '../custom-resources/connectivity-info';
import { CoreDeviceCleanup } from '../custom-resources/core-device-cleanup';
import { IotEndpoints } from '../custom-resources/iot-endpoints';
import { ThingGroupMembership } from '../custom-resources/thing-group-membership';
import { coreDevicePolicyPropOf, renderCoreDeviceIotPolicy } from './private/iot-policy';
import { splitIotPolicy } from './private/iot-policy-size';
import { checkStackOutputQuota } from './private/output-quota';
import { keyTarget } from '../private/deployment-registry';
import { describeName } from '../private/describe-name';
import { claimThingName } from '../private/thing-registry';

/** The Greengrass root folder the installer documents for Linux. */
const DEFAULT_ROOT_PATH = '/greengrass/v2';

/**
 * Properties of `CoreDevice`.
 */
export interface CoreDeviceProps {
  /**
   * The IoT thing name (also the core device name and MQTT client id).
   * @default - a name unique in the app, derived from the construct path
   * @throws if another `CoreDevice` of the app (in any stack of the same account and region, a
   * fleet's devices included) has the same thing name
   */
  readonly thingName?: string;

  /**
   * Where the device's certificate comes from.
   * @default CoreDeviceCertificate.generated()
   */
  readonly certificate?: CoreDeviceCertificate;

  /**
   * The token-exchange role and role alias (shared by a fleet).
   * @default - a new one for this device
   */
  readonly tokenExchangeRole?: TokenExchangeRole;

  /**
   * Extra MQTT topics the device's components publish or subscribe to in AWS IoT Core.
   *
   * The device's IoT policy document is split into several policies (all attached to its
   * certificate) where it would exceed AWS IoT's 2048 characters; AWS IoT attaches at most 10 to
   * a certificate, so synthesis fails when the topics and client devices need more.
   * @see https://docs.aws.amazon.com/general/latest/gr/iot-core.html#limits_iot
   * @default - only the device's own `$aws/things/<thing>/` health, jobs and shadow topics
   */
  readonly mqttTopics?: MqttTopicAccess[];

  /**
   * Thing names of client devices that discover this core device (adds the client-device auth
   * permissions to the device's IoT policy).
   * @default - no client devices
   */
  readonly clientDeviceThingNames?: string[];

  /**
   * Where client devices reach this core device's MQTT broker (replaces the whole list).
   * @default - not managed by this stack
   */
  readonly connectivityInfo?: ConnectivityEndpoint[];

  /**
   * Names of static thing groups to add the device to.
   * @default - none
   */
  readonly thingGroupNames?: string[];

  /**
   * Delete the Greengrass core device (DeleteCoreDevice) when this construct is removed.
   * @default false - the core device stays listed in Greengrass after the thing is deleted
   */
  readonly removeCoreDeviceOnDelete?: boolean;

  /**
   * What removing this device from the stack, deleting the stack, moving the construct or rotating
   * its certificate does to the device's identity and to everything the running device uses: the
   * thing, the certificate and its key secret, the IoT policies and their attachments, the
   * token-exchange role with its policy and role alias (when the device creates them, not a
   * `tokenExchangeRole` passed in), and what the library set up for it: thing-group memberships,
   * client-device associations and connectivity information. `RETAIN` keeps all of them
   * (CloudFormation DeletionPolicy and UpdateReplacePolicy `Retain`; no Delete reaches a custom
   * resource), so no stack change revokes a device or takes its credentials. `DESTROY` deletes them:
   * the certificate is deactivated and deleted, the key secret is deleted after
   * `keyRecoveryWindow`, and memberships, associations and connectivity information are undone.
   * @default RemovalPolicy.RETAIN
   * @throws if not RETAIN or DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * With `removalPolicy: RemovalPolicy.DESTROY` and a generated certificate: how long Secrets
   * Manager keeps the deleted key secret restorable, 7 to 30 days (whole days).
   * @default Duration.days(30)
   * @throws if outside 7-30 days, or set without `DESTROY`
   */
  readonly keyRecoveryWindow?: Duration;

  /**
   * Emit the nucleus configuration as stack outputs: `NucleusConfig`, a JSON document (valid YAML) to
   * pass to the installer with `--init-config`, with the device-side paths of the certificate, key
   * and root CA under `/greengrass/v2`; the certificate's ARN; and the secret's ARN for generated keys.
   * Three outputs per device: CloudFormation accepts 200 per template, and synthesis fails above that.
   * @default true
   */
  readonly emitOutputs?: boolean;
}

/**
 * What a device needs to start the Greengrass nucleus. No secret: the private key (for generated
 * certificates) is in `certificateSecretArn`.
 */
export interface NucleusConfiguration {
  /** `system.thingName` */
  readonly thingName: string;
  /** `services.aws.greengrass.Nucleus.configuration.iotRoleAlias` */
  readonly roleAlias: string;
  /** `...iotDataEndpoint` (resolved at deploy time with iot:DescribeEndpoint). */
  readonly iotDataEndpoint: string;
  /** `...iotCredEndpoint` (resolved at deploy time with iot:DescribeEndpoint). */
  readonly iotCredentialEndpoint: string;
  /** `...awsRegion` */
  readonly region: string;
  /** The certificate's ARN. */
  readonly certificateArn: string;
  /**
   * The secret holding `certificatePem` and `privateKey`.
   * @default - none: the certificate was made from your CSR and the key is on the device
   */
  readonly certificateSecretArn?: string;
}

/**
 * A Greengrass core device: its IoT thing, certificate (from your CSR, or generated with the
 * private key in Secrets Manager), least-privilege IoT policy, token-exchange role and role alias,
 * thing-group membership, and optionally client devices and connectivity information.
 *
 * It is a deployment target: a `Deployment` to it grants the components' needs (artifacts,
 * streams) to its token-exchange role.
 */
export class CoreDevice extends Construct implements ICoreDevice {
  public readonly thingName: string;
  public readonly thingArn: string;
  public readonly targetArn: string;
  /** The token-exchange role (always set; also `tokenExchangeRole.role`). */
  public readonly deviceRole?: iam.IRole;
  /** The token-exchange role and its alias. */
  public readonly tokenExchangeRole: TokenExchangeRole;
  /** The certificate's id. */
  public readonly certificateId: string;
  /** The certificate's ARN. */
  public readonly certificateArn: string;
  /**
   * The secret holding the generated certificate and private key (JSON keys `certificatePem`,
   * `privateKey`); grant read to whoever provisions the device.
   */
  public readonly certificateSecret?: secretsmanager.ISecret;
  /** The device's IoT policy: the first of `iotPolicies`. */
  public readonly iotPolicy: iot.CfnPolicy;
  /**
   * The device's IoT policies, all attached to its certificate: one document, split where it would
   * exceed AWS IoT's 2048-character policy limit (see `mqttTopics`).
   */
  public readonly iotPolicies: iot.CfnPolicy[];
  /** The nucleus configuration values (also emitted as outputs unless `emitOutputs` is false). */
  public readonly nucleusConfiguration: NucleusConfiguration;
  /** ARNs of the thing groups the device was added to with this library. */
  public readonly thingGroupArns: string[] = [];
  /**
   * What removing the device from the stack or deleting the stack does to its identity and to what it
   * runs on (`CoreDeviceProps.removalPolicy`).
   */
  public readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: CoreDeviceProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const name = props.thingName ?? Names.uniqueResourceName(this, { maxLength: 128, allowedSpecialCharacters: '_-' });
    if (!Token.isUnresolved(name) && !/^[a-zA-Z0-9:_-]{1,128}$/.test(name)) {
      throw new Error(`thingName '${name}' is invalid: use 1-128 characters of [a-zA-Z0-9:_-]`);
    }

    const removalPolicy = identityRemovalPolicy('removalPolicy', props.removalPolicy);
    keyRecoveryWindowDays('keyRecoveryWindow', props.keyRecoveryWindow);
    if (props.keyRecoveryWindow !== undefined && removalPolicy !== RemovalPolicy.DESTROY) {
      throw new Error('keyRecoveryWindow is set but removalPolicy is RETAIN: the key secret is never deleted; set removalPolicy: RemovalPolicy.DESTROY or remove keyRecoveryWindow');
    }
    // One construct per thing in the app: a second one would fail its deployment or take over the thing.
    const other = claimThingName(this, name);
    if (other) {
      throw new Error(`${describeName('thing', name)} is created twice in this app, by CoreDevice ${other.node.path} and by CoreDevice ${this.node.path}: `
        + 'AWS IoT has one thing per name in an account and region; give each core device its own thingName, or use the existing CoreDevice');
    }
    // Everything a device needs to connect follows the identity's removal policy.
    const identity = <T extends CfnResource>(r: T): T => {
      r.applyRemovalPolicy(removalPolicy);
      return r;
    };

    const thing = new iot.CfnThing(this, 'Thing', { thingName: name });
    identity(thing);
    this.thingName = thing.ref;
    this.thingArn = Arn.format({ service: 'iot', resource: 'thing', resourceName: this.thingName }, stack);
    this.targetArn = this.thingArn;
    // Deployments to this device and to its thing by name or construct compare equal.
    keyTarget(this, this, 'thing', name, thing);
    this.tokenExchangeRole = props.tokenExchangeRole ?? new TokenExchangeRole(this, 'TokenExchange', { removalPolicy });
    this.deviceRole = this.tokenExchangeRole.role;
    this.tokenExchangeRole._allowLogStreamsOf(name);

    const clientDevices = props.clientDeviceThingNames ?? [];
    const policyDocument = renderCoreDeviceIotPolicy(this, {
      thingName: this.thingName,
      roleAliasArn: this.tokenExchangeRole.roleAliasArn,
      clientDeviceThingNames: clientDevices,
      connectivityInfoManaged: props.connectivityInfo !== undefined,
      extraTopics: (props.mqttTopics ?? []).map((t) => t._toGrant()),
    });
    // AWS IoT refuses a document over 2048 characters: a long one becomes several policies, all
    // attached to the device's certificate.
    this.iotPolicies = splitIotPolicy(this, policyDocument, { owner: `CoreDevice ${this.node.path}`, propOf: coreDevicePolicyPropOf })
      .map((document, i) => identity(new iot.CfnPolicy(this, i === 0 ? 'Policy' : `Policy${i + 1}`, { policyDocument: document })));
    this.iotPolicy = this.iotPolicies[0];

    const certificate = props.certificate ?? CoreDeviceCertificate.generated();
    if (certificate.keysGenerated) {
      const generated = new GeneratedCertificate(this, 'Certificate', {
        thingName: this.thingName,
        secretNameBase: name,
        encryptionKey: certificate.encryptionKey,
        rotation: certificate.rotation,
        removalPolicy,
        keyRecoveryWindow: props.keyRecoveryWindow,
      });
      this.certificateId = generated.certificateId;
      this.certificateArn = generated.certificateArn;
      this.certificateSecret = generated.secret;
    } else {
      const cert = new iot.CfnCertificate(this, 'Certificate', { certificateSigningRequest: certificate.csrPem, status: 'ACTIVE' });
      identity(cert);
      this.certificateId = cert.attrId;
      this.certificateArn = cert.attrArn;
    }
    this.iotPolicies.forEach((policy, i) => identity(new iot.CfnPolicyPrincipalAttachment(this, i === 0 ? 'PolicyAttachment' : `PolicyAttachment${i + 1}`, {
      policyName: policy.ref,
      principal: this.certificateArn,
    })));
    identity(new iot.CfnThingPrincipalAttachment(this, 'ThingAttachment', { thingName: this.thingName, principal: this.certificateArn }));

    this.removalPolicy = removalPolicy;
    for (const group of props.thingGroupNames ?? []) this.addToThingGroup(group);
    if (clientDevices.length > 0) {
      new ClientDeviceAssociation(this, 'ClientDevices', { coreDevice: this, clientDeviceThingNames: clientDevices, removalPolicy });
    }
    if (props.connectivityInfo) {
      new ConnectivityInfo(this, 'ConnectivityInfo', { coreDevice: this, endpoints: props.connectivityInfo, thingGroupArns: this.thingGroupArns, removalPolicy });
    }
    if (props.removeCoreDeviceOnDelete) {
      new CoreDeviceCleanup(this, 'Cleanup', { thingName: this.thingName });
    }

    const endpoints = IotEndpoints.of(this);
    this.nucleusConfiguration = {
      thingName: this.thingName,
      roleAlias: this.tokenExchangeRole.roleAliasName,
      iotDataEndpoint: endpoints.dataEndpoint,
      iotCredentialEndpoint: endpoints.credentialEndpoint,
      region: stack.region,
      certificateArn: this.certificateArn,
      certificateSecretArn: this.certificateSecret?.secretArn,
    };
    if (props.emitOutputs ?? true) {
      checkStackOutputQuota(this, 'CoreDevice');
      const c = this.nucleusConfiguration;
      new CfnOutput(this, 'NucleusConfig', {
        description: `Greengrass nucleus configuration of ${this.node.path} (no secret): save as config.yaml for the installer's --init-config`,
        value: stack.toJsonString({
          // The installer's documented default paths (device-side: edit them for another root folder).
          system: {
            certificateFilePath: `${DEFAULT_ROOT_PATH}/device.pem.crt`,
            privateKeyPath: `${DEFAULT_ROOT_PATH}/private.pem.key`,
            rootCaPath: `${DEFAULT_ROOT_PATH}/AmazonRootCA1.pem`,
            rootpath: DEFAULT_ROOT_PATH,
            thingName: c.thingName,
          },
          services: {
            'aws.greengrass.Nucleus': {
              componentType: 'NUCLEUS',
              configuration: {
                awsRegion: c.region,
                iotRoleAlias: c.roleAlias,
                iotDataEndpoint: c.iotDataEndpoint,
                iotCredEndpoint: c.iotCredentialEndpoint,
              },
            },
          },
        }),
      });
      new CfnOutput(this, 'CertificateArnOutput', { description: `Certificate of ${this.node.path}`, value: c.certificateArn });
      if (c.certificateSecretArn) {
        new CfnOutput(this, 'CertificateSecretArn', {
          description: `Secrets Manager secret with the certificate and key of ${this.node.path}`,
          value: c.certificateSecretArn,
        });
      }
    }
  }

  /**
   * Adds the device to a static thing group (the group must exist; create it with `iot.CfnThingGroup`).
   */
  public addToThingGroup(thingGroupName: string): void {
    new ThingGroupMembership(this, `Group${this.thingGroupArns.length}`, { thingGroupName, thingNames: [this.thingName], removalPolicy: this.removalPolicy });
    this.thingGroupArns.push(Arn.format({ service: 'iot', resource: 'thinggroup', resourceName: thingGroupName }, Stack.of(this)));
  }
}
