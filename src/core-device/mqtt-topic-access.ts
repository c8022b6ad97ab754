import { Token } from 'aws-cdk-lib';
import { THING_NAME_POLICY_VARIABLE, TopicGrant } from './private/iot-policy';

/**
 * Extra MQTT permissions in a core device's IoT policy, for components that talk to AWS IoT Core.
 *
 * Topics are written without the `arn:...:topic/` prefix and may use the IoT policy wildcard `*`
 * (for example `factory/line1/*`), and the device's own thing name as `MqttTopicAccess.THING_NAME`
 * (for example `` `devices/${MqttTopicAccess.THING_NAME}/telemetry` ``), so that one policy shared
 * by a fleet stays per device.
 *
 * A topic whose wildcard could match AWS IoT reserved topics (`$aws/...`, which include every
 * other thing's `$aws/things/<thing>/shadow/...` and `jobs/...` topics) is an error: for example
 * `*`, `$*` or a subscription to `#` or `+/...`.
 *
 * @see https://docs.aws.amazon.com/iot/latest/developerguide/pub-sub-policy.html
 */
export class MqttTopicAccess {
  /**
   * The device's own thing name in a topic, rendered as the AWS IoT policy variable
   * `${iot:Connection.Thing.ThingName}` (the thing name of the connected client).
   *
   * @see https://docs.aws.amazon.com/iot/latest/developerguide/thing-policy-variables.html
   */
  public static readonly THING_NAME = THING_NAME_POLICY_VARIABLE;

  /** Publish to a topic (`iot:Publish`). MQTT wildcards `+` and `#` are not allowed in topic names. */
  public static publish(topic: string): MqttTopicAccess {
    validateTopic(topic, true);
    return new MqttTopicAccess(topic, true, false);
  }

  /** Subscribe to a topic filter and receive its messages (`iot:Subscribe`, `iot:Receive`). */
  public static subscribe(topicFilter: string): MqttTopicAccess {
    validateTopic(topicFilter, false);
    return new MqttTopicAccess(topicFilter, false, true);
  }

  /** Both publish and subscribe to the same topic. */
  public static publishAndSubscribe(topic: string): MqttTopicAccess {
    validateTopic(topic, true);
    return new MqttTopicAccess(topic, true, true);
  }

  private constructor(
    /** The topic or topic filter. */
    public readonly topic: string,
    /** Whether publishing is allowed. */
    public readonly canPublish: boolean,
    /** Whether subscribing and receiving are allowed. */
    public readonly canSubscribe: boolean,
  ) {}

  /** @internal */
  public _toGrant(): TopicGrant {
    return { topic: this.topic, publish: this.canPublish, subscribe: this.canSubscribe };
  }
}

function validateTopic(topic: string, isPublish: boolean): void {
  if (Token.isUnresolved(topic)) return;
  if (topic.length === 0 || Buffer.byteLength(topic, 'utf8') > 256) {
    throw new Error(`MQTT topic '${topic}' must be 1 to 256 bytes long`);
  }
  if (topic.startsWith('arn:')) {
    throw new Error(`MQTT topic '${topic}' is an ARN: pass the topic itself, for example 'factory/line1/telemetry'`);
  }
  if (isPublish && /[+#]/.test(topic)) {
    throw new Error(`MQTT topic '${topic}' contains '+' or '#': those are subscription wildcards; to publish to many topics use the IoT policy wildcard '*', for example 'factory/*/telemetry'`);
  }
  if (topic.startsWith('$aws/rules/')) {
    if (!isPublish) {
      throw new Error(`MQTT topic '${topic}' is a Basic Ingest topic: devices can only publish to $aws/rules/<rule>/..., use MqttTopicAccess.publish()`);
    }
  } else if (topic.startsWith('$aws/')) {
    throw new Error(`MQTT topic '${topic}' is a reserved $aws topic: the core device's own $aws/things/<thing>/ topics are already allowed (only $aws/rules/<rule> Basic Ingest topics can be added)`);
  }
  // `${...}` is an IoT policy variable: only the typed one (the device's own thing name) is allowed.
  const variables = topic.match(/\$\{[^}]*\}?/g) ?? [];
  for (const v of variables) {
    if (v !== THING_NAME_POLICY_VARIABLE) {
      throw new Error(`MQTT topic '${topic}' contains the policy variable '${v}': only the device's own thing name is allowed, as MqttTopicAccess.THING_NAME ('${THING_NAME_POLICY_VARIABLE}')`);
    }
  }
  const reserved = reachesReservedTopics(topic, isPublish);
  if (reserved) {
    throw new Error(`MQTT topic '${topic}' would also match AWS IoT reserved topics (${reserved}, including other things' $aws/things/<thing>/shadow/update): `
      + 'start it with a literal first level, for example \'factory/*\', or name the device itself with MqttTopicAccess.THING_NAME, '
      + `for example 'devices/${THING_NAME_POLICY_VARIABLE}/*'`);
  }
  // AWS IoT allows at most 7 slashes, not counting the first 3 of a Basic Ingest topic.
  const slashes = (topic.match(/\//g) ?? []).length - (topic.startsWith('$aws/rules/') ? 3 : 0);
  if (slashes > 7) {
    throw new Error(`MQTT topic '${topic}' has ${slashes} forward slashes: AWS IoT allows at most 7 in a topic or topic filter (not counting the $aws/rules/<rule>/ prefix); use fewer levels`);
  }
  if (!isPublish) {
    const levels = topic.split('/');
    levels.forEach((level, i) => {
      if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
        throw new Error(`MQTT topic filter '${topic}' uses '#' inside a level or before the last level: '#' must be a whole level at the end, for example 'factory/line1/#'`);
      }
      if (level.includes('+') && level !== '+') {
        throw new Error(`MQTT topic filter '${topic}' uses '+' inside a level: '+' must be a whole level, for example 'factory/+/telemetry'`);
      }
    });
  }
}

/** What the reserved `$aws/` prefix would let a topic match, or undefined when it cannot. */
function reachesReservedTopics(topic: string, isPublish: boolean): string | undefined {
  // The literal start of what the policy resource matches: up to the first IoT policy wildcard
  // (`*`, `?`) or, for a subscription, the first MQTT wildcard level (Receive is checked on the
  // topic of each message, where `+` and `#` become `*`).
  const policyWildcard = topic.search(/[*?]/);
  let literalEnd = policyWildcard < 0 ? topic.length : policyWildcard;
  if (!isPublish) {
    const levels = topic.split('/');
    let offset = 0;
    for (const level of levels) {
      if (level === '+' || level === '#') {
        literalEnd = Math.min(literalEnd, offset);
        break;
      }
      offset += level.length + 1;
    }
  }
  if (literalEnd === topic.length) return undefined;
  const literal = topic.slice(0, literalEnd);
  // '', '$', '$a', ..., '$aws/': the wildcard may continue into any $aws/ topic.
  return '$aws/'.startsWith(literal) ? `'${literal || topic}' can continue into $aws/...` : undefined;
}
