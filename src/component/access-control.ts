import { Token } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/**
 * IPC services a component's access control refers to.
 */
export enum IpcService {
  /** Local publish/subscribe (`aws.greengrass.ipc.pubsub`). */
  PUBSUB = 'aws.greengrass.ipc.pubsub',
  /** AWS IoT Core MQTT (`aws.greengrass.ipc.mqttproxy`). */
  IOT_CORE = 'aws.greengrass.ipc.mqttproxy',
  /** Local shadows (`aws.greengrass.ShadowManager`). */
  SHADOW = 'aws.greengrass.ShadowManager',
  /** Secrets (`aws.greengrass.SecretManager`). */
  SECRETS = 'aws.greengrass.SecretManager',
}

/**
 * Operations on a local shadow.
 */
export enum ShadowOperation {
  /** `aws.greengrass#GetThingShadow`. */
  GET = 'aws.greengrass#GetThingShadow',
  /** `aws.greengrass#UpdateThingShadow`. */
  UPDATE = 'aws.greengrass#UpdateThingShadow',
  /** `aws.greengrass#DeleteThingShadow`. */
  DELETE = 'aws.greengrass#DeleteThingShadow',
}

/**
 * Which shadows of a thing a component may use.
 */
export interface ShadowAccessOptions {
  /**
   * The thing; `{iot:thingName}` is the core device itself.
   *
   * @default '{iot:thingName}'
   */
  readonly thingName?: string;

  /**
   * Named shadows; the classic shadow is not included unless `classic` is true.
   *
   * @default - no named shadow
   */
  readonly shadowNames?: string[];

  /**
   * Include the classic (unnamed) shadow.
   *
   * @default - true when `shadowNames` is empty, otherwise false
   */
  readonly classic?: boolean;

  /**
   * The operations allowed.
   *
   * @default [ShadowOperation.GET]
   */
  readonly operations?: ShadowOperation[];
}

interface Policy {
  readonly service: string;
  readonly kind: string;
  readonly description: string;
  readonly operations: string[];
  readonly resources: string[];
}

/**
 * The IPC authorization policies of a component (`accessControl` in its default configuration), built
 * with one policy per operation and only the resources named, so a component gets what it uses and no more.
 *
 * Secrets passed to `allowGetSecretValue` are also granted to the devices' role when the component
 * is deployed, since the secret manager component fetches them with that role.
 */
export class AccessControl {
  /**
   * An empty access control, to be filled with the `allow*` methods.
   */
  public static create(): AccessControl {
    return new AccessControl();
  }

  private readonly policies: Policy[] = [];
  private readonly secretList: secretsmanager.ISecret[] = [];

  private constructor() {}

  /**
   * Allow publishing to local topics (MQTT wildcards `+` and `#` are allowed in resources).
   */
  public allowPublishToTopic(...topics: string[]): AccessControl {
    return this.add(IpcService.PUBSUB, 'pubsub', 'publish to local topics', ['aws.greengrass#PublishToTopic'], topics);
  }

  /**
   * Allow subscribing to local topics.
   */
  public allowSubscribeToTopic(...topics: string[]): AccessControl {
    return this.add(IpcService.PUBSUB, 'pubsub', 'subscribe to local topics', ['aws.greengrass#SubscribeToTopic'], topics);
  }

  /**
   * Allow publishing to AWS IoT Core MQTT topics. The core device's AWS IoT policy must allow it too.
   */
  public allowPublishToIotCore(...topics: string[]): AccessControl {
    return this.add(IpcService.IOT_CORE, 'mqttproxy', 'publish to AWS IoT Core topics', ['aws.greengrass#PublishToIoTCore'], topics);
  }

  /**
   * Allow subscribing to AWS IoT Core MQTT topics. The core device's AWS IoT policy must allow it too.
   */
  public allowSubscribeToIotCore(...topics: string[]): AccessControl {
    return this.add(IpcService.IOT_CORE, 'mqttproxy', 'subscribe to AWS IoT Core topics', ['aws.greengrass#SubscribeToIoTCore'], topics);
  }

  /**
   * Allow operations on local shadows (requires `aws.greengrass.ShadowManager`).
   */
  public allowShadow(options: ShadowAccessOptions = {}): AccessControl {
    const thing = options.thingName ?? '{iot:thingName}';
    const names = options.shadowNames ?? [];
    const classic = options.classic ?? names.length === 0;
    const resources = [
      ...(classic ? [`$aws/things/${thing}/shadow`] : []),
      ...names.map((n) => `$aws/things/${thing}/shadow/name/${n}`),
    ];
    const operations = options.operations ?? [ShadowOperation.GET];
    if (operations.length === 0) {
      throw new Error('allowShadow operations is empty: pass at least one ShadowOperation');
    }
    return this.add(IpcService.SHADOW, 'shadow', 'use local shadows', [...new Set(operations)], resources);
  }

  /**
   * Allow reading secrets through `aws.greengrass.SecretManager`; the devices' role is granted read
   * access to the same secrets when the component is deployed.
   */
  public allowGetSecretValue(...secrets: secretsmanager.ISecret[]): AccessControl {
    this.secretList.push(...secrets);
    return this.add(IpcService.SECRETS, 'secrets', 'read secrets', ['aws.greengrass#GetSecretValue'], secrets.map((s) => s.secretArn));
  }

  /**
   * The secrets this access control reads.
   */
  public get secrets(): secretsmanager.ISecret[] {
    return [...this.secretList];
  }

  /**
   * The `accessControl` object of the default configuration.
   * @internal
   */
  public _render(componentName: string): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    const counters: Record<string, number> = {};
    for (const policy of this.policies) {
      const n = (counters[policy.kind] ?? 0) + 1;
      counters[policy.kind] = n;
      out[policy.service] = out[policy.service] ?? {};
      out[policy.service][`${componentName}:${policy.kind}:${n}`] = {
        policyDescription: `Allows ${componentName} to ${policy.description}.`,
        operations: policy.operations,
        resources: policy.resources,
      };
    }
    return out;
  }

  private add(service: IpcService, kind: string, description: string, operations: string[], resources: string[]): AccessControl {
    if (resources.length === 0) {
      throw new Error(`access control for ${service} (${operations.join(', ')}) names no resource: pass the topics, shadows or secrets the component uses`);
    }
    for (const r of resources) {
      if (!Token.isUnresolved(r) && r.trim().length === 0) {
        throw new Error(`access control for ${service} has an empty resource: pass a topic, shadow or secret`);
      }
    }
    this.policies.push({ service, kind, description, operations, resources: [...resources] });
    return this;
  }
}
