import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CERTIFICATE_ID_PARAMETER, SERIAL_NUMBER_PARAMETER, SERIAL_NUMBER_PLACEHOLDER } from './fleet-provisioning-api';

/**
 * Inputs of the provisioning template body.
 */
export interface ProvisioningTemplateBodyInput {
  /** Literal prefix of every thing name ('' for none). */
  readonly thingNamePrefix: string;
  /** The fleet's thing group (the group must exist when a device registers). */
  readonly thingGroupName: string;
  /** The fleet's core-device IoT policies, attached to each device's certificate. */
  readonly policyNames: readonly string[];
}

/**
 * The ONE renderer of the fleet-provisioning template body: a thing named
 * `<prefix><SerialNumber>` (the serial number also kept as its `serialNumber` attribute) in the
 * fleet's thing group, the certificate AWS IoT created for the device (activated), and the fleet's
 * core-device policies, whose policy variables scope them to the device's own thing name.
 *
 * @see https://docs.aws.amazon.com/iot/latest/developerguide/provision-template.html#fleet-provision-template
 */
export function renderProvisioningTemplateBody(input: ProvisioningTemplateBodyInput): Record<string, unknown> {
  const serial = { Ref: SERIAL_NUMBER_PARAMETER };
  return {
    Parameters: {
      [SERIAL_NUMBER_PARAMETER]: { Type: 'String' },
      [CERTIFICATE_ID_PARAMETER]: { Type: 'String' },
    },
    Resources: {
      thing: {
        Type: 'AWS::IoT::Thing',
        // A device that registers again (re-imaged) keeps its thing and its other groups.
        OverrideSettings: { AttributePayload: 'MERGE', ThingTypeName: 'REPLACE', ThingGroups: 'MERGE' },
        Properties: {
          ThingName: input.thingNamePrefix ? { 'Fn::Join': ['', [input.thingNamePrefix, serial]] } : serial,
          AttributePayload: { serialNumber: serial },
          ThingGroups: [input.thingGroupName],
        },
      },
      certificate: {
        Type: 'AWS::IoT::Certificate',
        Properties: { CertificateId: { Ref: CERTIFICATE_ID_PARAMETER }, Status: 'Active' },
      },
      ...Object.fromEntries(input.policyNames.map((name, i) => [i === 0 ? 'policy' : `policy${i + 1}`, {
        Type: 'AWS::IoT::Policy',
        Properties: { PolicyName: name },
      }])),
    },
  };
}

/** The MQTT topics of fleet provisioning by claim, for one template (device provisioning MQTT API). */
export function claimTopics(templateName: string): string[] {
  return ['$aws/certificates/create/*', `$aws/provisioning-templates/${templateName}/provision/*`];
}

const TEMPLATE_NAME_RE = /^[0-9A-Za-z_-]{1,36}$/;

/**
 * The ONE renderer of the claim certificate's IoT policy, as the Greengrass fleet-provisioning guide
 * documents it: connect, then publish, receive and subscribe on the certificate-creation topics and
 * on this template's provision topics only. A template name that is a token or contains anything but
 * `[0-9A-Za-z_-]` (so could widen the topics, for example with `*`) is refused.
 *
 * @see https://docs.aws.amazon.com/greengrass/v2/developerguide/fleet-provisioning-setup.html#create-claim-certificates
 */
export function renderClaimIotPolicy(scope: IConstruct, templateName: string): Record<string, unknown> {
  if (Token.isUnresolved(templateName) || !TEMPLATE_NAME_RE.test(templateName)) {
    throw new Error(`the claim policy needs the literal provisioning template name, got '${templateName}': use 1-36 characters of [0-9A-Za-z_-]`);
  }
  const stack = Stack.of(scope);
  const iotArn = (resource: string) => `arn:${stack.partition}:iot:${stack.region}:${stack.account}:${resource}`;
  const topics = claimTopics(templateName);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        // The plugin connects with a random client id (its `deviceId`): no name to scope it to.
        Sid: 'Connect',
        Effect: 'Allow',
        Action: 'iot:Connect',
        Resource: iotArn('client/*'),
      },
      { Sid: 'ProvisioningTopics', Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: topics.map((t) => iotArn(`topic/${t}`)) },
      { Sid: 'ProvisioningTopicFilters', Effect: 'Allow', Action: 'iot:Subscribe', Resource: topics.map((t) => iotArn(`topicfilter/${t}`)) },
    ],
  };
}

/** Device-side files of a fleet-provisioned device, under the Greengrass root folder. */
export interface DevicePaths {
  readonly rootPath: string;
  readonly claimCertificatePath: string;
  readonly claimCertificatePrivateKeyPath: string;
  readonly rootCaPath: string;
}

/** The installer's documented default layout on Linux. */
export function defaultDevicePaths(rootPath = '/greengrass/v2'): DevicePaths {
  return {
    rootPath,
    claimCertificatePath: `${rootPath}/claim-certs/claim.pem.crt`,
    claimCertificatePrivateKeyPath: `${rootPath}/claim-certs/claim.private.pem.key`,
    rootCaPath: `${rootPath}/AmazonRootCA1.pem`,
  };
}

/** Inputs of the plugin configuration. */
export interface PluginConfigInput {
  readonly region: string;
  readonly iotDataEndpoint: string;
  readonly iotCredentialEndpoint: string;
  readonly roleAlias: string;
  readonly templateName: string;
  readonly paths: DevicePaths;
}

/**
 * The ONE renderer of the installer's `--init-config` for fleet provisioning: the
 * `aws.greengrass.FleetProvisioningByClaim` plugin configuration, with the serial number as a
 * placeholder each device replaces. JSON, hence valid YAML.
 *
 * @see https://docs.aws.amazon.com/greengrass/v2/developerguide/fleet-provisioning-configuration.html
 */
export function renderPluginConfig(input: PluginConfigInput): Record<string, unknown> {
  return {
    services: {
      'aws.greengrass.FleetProvisioningByClaim': {
        configuration: {
          rootPath: input.paths.rootPath,
          awsRegion: input.region,
          iotDataEndpoint: input.iotDataEndpoint,
          iotCredentialEndpoint: input.iotCredentialEndpoint,
          iotRoleAlias: input.roleAlias,
          provisioningTemplate: input.templateName,
          claimCertificatePath: input.paths.claimCertificatePath,
          claimCertificatePrivateKeyPath: input.paths.claimCertificatePrivateKeyPath,
          rootCaPath: input.paths.rootCaPath,
          templateParameters: { [SERIAL_NUMBER_PARAMETER]: SERIAL_NUMBER_PLACEHOLDER },
        },
      },
    },
  };
}
