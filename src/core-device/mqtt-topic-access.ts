import { Token } from 'aws-cdk-lib';
import { TopicGrant } from '../private/iot-policy';

/**
 * Extra MQTT permissions in a core device's IoT policy, for components that talk to AWS IoT Core.
 *
 * Topics are written without the `arn:...:topic/` prefix and may use the IoT policy wildcard `*`
 * (for example `factory/line1/*`).
 */
export class MqttTopicAccess {
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
  if (topic.startsWith('$aws/')) {
    throw new Error(`MQTT topic '${topic}' is a reserved $aws topic: the core device's own $aws/things/<thing>/ topics are already allowed`);
  }
}
