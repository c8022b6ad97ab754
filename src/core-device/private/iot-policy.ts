import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { IotPolicyDocument } from './iot-policy-size';
import { connectivityInfoArn } from '../../private/arns';

/**
 * The AWS IoT policy variable for the connected thing's name. Passed as `thingName`, it renders
 * one policy that a whole fleet shares, each device allowed only its own topics and shadows.
 */
export const THING_NAME_POLICY_VARIABLE = '${iot:Connection.Thing.ThingName}';

/**
 * What an extra MQTT permission allows (internal form of `MqttTopicAccess`).
 */
export interface TopicGrant {
  /** Topic name or filter, without `arn:...:topic/`. May use the IoT policy wildcard `*`. */
  readonly topic: string;
  readonly publish: boolean;
  readonly subscribe: boolean;
}

/**
 * Inputs of the core-device IoT policy.
 */
export interface CoreDeviceIotPolicyInput {
  /**
   * The core device's thing name (its MQTT client id), or {@link THING_NAME_POLICY_VARIABLE} for a
   * policy shared by many devices (for example a fleet-provisioning template's policy).
   */
  readonly thingName: string;
  /** ARN of the token-exchange role alias the device may assume. */
  readonly roleAliasArn: string;
  /**
   * Thing names of the client devices that connect to the device (through the client-device auth
   * component). Empty: no client-device permissions.
   */
  readonly clientDeviceThingNames: readonly string[];
  /**
   * Whether this app sets the device's connectivity information. When it does not and client devices
   * connect, the device may update its own (the IP detector component does).
   */
  readonly connectivityInfoManaged: boolean;
  /** Extra topics for components that talk to AWS IoT Core. */
  readonly extraTopics: readonly TopicGrant[];
}

/**
 * The ONE renderer of AWS IoT policy documents for Greengrass core devices: the documented minimal
 * core-device policy, scoped to the device's own client id, topics and role alias. Actions are
 * always listed by name (never `iot:*` or `greengrass:*`); `Resource: *` is used only for the
 * Greengrass data-plane actions the nucleus calls, which IoT policies do not scope by resource.
 */
export function renderCoreDeviceIotPolicy(scope: IConstruct, input: CoreDeviceIotPolicyInput): IotPolicyDocument {
  const stack = Stack.of(scope);
  const iotArn = (resource: string) => `arn:${stack.partition}:iot:${stack.region}:${stack.account}:${resource}`;
  const thing = input.thingName;
  const topic = (t: string) => iotArn(`topic/${t}`);
  const filter = (t: string) => iotArn(`topicfilter/${t}`);
  const own = (suffix: string) => `$aws/things/${thing}/${suffix}`;
  const gci = `$aws/things/${thing}-gci/shadow`;

  const publishReceive = [
    own('greengrass/health/json'),
    own('greengrassv2/health/json'),
    own('jobs/*'),
    own('shadow/*'),
  ];
  const subscribe = [own('jobs/*'), own('shadow/*')];

  const statements: Record<string, unknown>[] = [
    {
      Sid: 'Connect',
      Effect: 'Allow',
      Action: 'iot:Connect',
      // The nucleus connects with the thing name, and with `<thing>#<n>` for extra connections.
      Resource: [iotArn(`client/${thing}`), iotArn(`client/${thing}#*`)],
    },
    { Sid: 'OwnTopics', Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: publishReceive.map(topic) },
    { Sid: 'OwnTopicFilters', Effect: 'Allow', Action: 'iot:Subscribe', Resource: subscribe.map(filter) },
    {
      // Shadow manager: the device's classic shadow (`thing/<thing>`) and named shadows
      // (`thing/<thing>/<shadowName>`).
      Sid: 'OwnShadow',
      Effect: 'Allow',
      Action: SHADOW_ACTIONS,
      Resource: [iotArn(`thing/${thing}`), iotArn(`thing/${thing}/*`)],
    },
    { Sid: 'TokenExchange', Effect: 'Allow', Action: 'iot:AssumeRoleWithCertificate', Resource: input.roleAliasArn },
    {
      Sid: 'GreengrassDataPlane',
      Effect: 'Allow',
      Action: [
        'greengrass:GetComponentVersionArtifact',
        'greengrass:GetDeploymentConfiguration',
        'greengrass:ListThingGroupsForCoreDevice',
        'greengrass:ResolveComponentCandidates',
      ],
      Resource: '*',
    },
  ];

  const clientThings = unique([...input.clientDeviceThingNames]).map((name) => iotArn(`thing/${name}`));
  if (clientThings.length > 0) {
    statements.push(
      {
        // Neither action has a resource type.
        Sid: 'ClientDeviceAuth',
        Effect: 'Allow',
        Action: ['greengrass:PutCertificateAuthorities', 'greengrass:VerifyClientDeviceIdentity'],
        Resource: '*',
      },
      {
        Sid: 'ClientDeviceCertificates',
        Effect: 'Allow',
        Action: 'greengrass:VerifyClientDeviceIoTCertificateAssociation',
        Resource: clientThings,
      },
      {
        // Shadow manager syncs the client devices' shadows.
        Sid: 'ClientDeviceShadows',
        Effect: 'Allow',
        Action: SHADOW_ACTIONS,
        Resource: clientThings,
      },
      {
        Sid: 'ClientDeviceConnectivityInfo',
        Effect: 'Allow',
        // Without connectivity information from this app, the IP detector component publishes it.
        Action: input.connectivityInfoManaged ? 'greengrass:GetConnectivityInfo' : ['greengrass:GetConnectivityInfo', 'greengrass:UpdateConnectivityInfo'],
        Resource: connectivityInfoArn(scope, thing),
      },
      // The connectivity-information shadow `<thing>-gci`: only what client-device support needs
      // (the documented minimal policy): ask for it, and hear the answer and the changes.
      {
        Sid: 'ClientDeviceShadowGet',
        Effect: 'Allow',
        Action: 'iot:Publish',
        Resource: topic(`${gci}/get`),
      },
      {
        Sid: 'ClientDeviceShadowSubscribe',
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: [filter(`${gci}/update/delta`), filter(`${gci}/get/accepted`)],
      },
      {
        Sid: 'ClientDeviceShadowReceive',
        Effect: 'Allow',
        Action: 'iot:Receive',
        Resource: [topic(`${gci}/update/delta`), topic(`${gci}/get/accepted`)],
      },
    );
  }

  const pub = input.extraTopics.filter((t) => t.publish).map((t) => t.topic);
  const sub = input.extraTopics.filter((t) => t.subscribe).map((t) => t.topic);
  if (pub.length > 0) {
    statements.push({ Sid: 'ExtraPublish', Effect: 'Allow', Action: 'iot:Publish', Resource: unique(pub).map(topic) });
  }
  if (sub.length > 0) {
    statements.push(
      { Sid: 'ExtraSubscribe', Effect: 'Allow', Action: 'iot:Subscribe', Resource: unique(sub).map(filter) },
      // Receive is checked against the topic of each message, where MQTT wildcards are not literal.
      { Sid: 'ExtraReceive', Effect: 'Allow', Action: 'iot:Receive', Resource: unique(sub.map(filterToTopicPattern)).map(topic) },
    );
  }

  return { Version: '2012-10-17', Statement: statements };
}

/**
 * The prop of `CoreDevice` (and of the fleets) a statement of {@link renderCoreDeviceIotPolicy}
 * comes from, by its `Sid`, for size errors.
 */
export function coreDevicePolicyPropOf(sid: string): string {
  if (sid.startsWith('Extra')) return 'mqttTopics';
  if (sid.startsWith('ClientDevice')) return 'clientDeviceThingNames';
  if (sid.startsWith('TokenExchange')) return 'tokenExchangeRole';
  return 'thingName';
}

const SHADOW_ACTIONS = ['iot:GetThingShadow', 'iot:UpdateThingShadow', 'iot:DeleteThingShadow'];

/**
 * The topics an MQTT topic filter matches, as an IoT policy pattern: AWS IoT policies treat `+` and
 * `#` literally, so a level that is `+` or `#` becomes the policy wildcard `*`.
 */
export function filterToTopicPattern(filter: string): string {
  return filter.split('/').map((level) => (level === '+' || level === '#' ? '*' : level)).join('/');
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
