import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { connectivityInfoArn } from '../custom-resources/private/arns';

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
  /** The core device's thing name (its MQTT client id). */
  readonly thingName: string;
  /** ARN of the token-exchange role alias the device may assume. */
  readonly roleAliasArn: string;
  /** Whether the device runs the client-device auth component (client devices connect to it). */
  readonly clientDeviceAuth: boolean;
  /** Extra topics for components that talk to AWS IoT Core. */
  readonly extraTopics: readonly TopicGrant[];
}

/**
 * The ONE renderer of AWS IoT policy documents for Greengrass core devices: the documented minimal
 * core-device policy, scoped to the device's own client id, topics and role alias. Actions are
 * always listed by name (never `iot:*` or `greengrass:*`); `Resource: *` is used only for the
 * Greengrass data-plane actions the nucleus calls, which IoT policies do not scope by resource.
 */
export function renderCoreDeviceIotPolicy(scope: IConstruct, input: CoreDeviceIotPolicyInput): Record<string, unknown> {
  const stack = Stack.of(scope);
  const iotArn = (resource: string) => `arn:${stack.partition}:iot:${stack.region}:${stack.account}:${resource}`;
  const thing = input.thingName;
  const topic = (t: string) => iotArn(`topic/${t}`);
  const filter = (t: string) => iotArn(`topicfilter/${t}`);
  const own = (suffix: string) => `$aws/things/${thing}/${suffix}`;

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

  if (input.clientDeviceAuth) {
    statements.push(
      {
        Sid: 'ClientDeviceAuth',
        Effect: 'Allow',
        Action: ['greengrass:PutCertificateAuthorities', 'greengrass:VerifyClientDeviceIdentity', 'greengrass:VerifyClientDeviceIoTCertificateAssociation'],
        Resource: '*',
      },
      {
        Sid: 'ClientDeviceConnectivityInfo',
        Effect: 'Allow',
        Action: 'greengrass:GetConnectivityInfo',
        Resource: connectivityInfoArn(scope, thing),
      },
      {
        Sid: 'ClientDeviceShadowTopics',
        Effect: 'Allow',
        Action: ['iot:Publish', 'iot:Receive'],
        Resource: [topic(`$aws/things/${thing}-gci/shadow/*`)],
      },
      {
        Sid: 'ClientDeviceShadowTopicFilters',
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: [filter(`$aws/things/${thing}-gci/shadow/*`)],
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
      { Sid: 'ExtraReceive', Effect: 'Allow', Action: 'iot:Receive', Resource: unique(sub).map(topic) },
    );
  }

  return { Version: '2012-10-17', Statement: statements };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
