/**
 * An action a detector takes when an event fires (IoT Events' `Action`).
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/apireference/API_Action.html
 */
export interface IAction {
  /**
   * Returns the action as IoT Events' API shape.
   */
  renderActionConfig(): ActionConfig;
}

/**
 * An action as IoT Events' API shape.
 */
export interface ActionConfig {
  /**
   * The API's `Action` object (camelCase), with exactly one member: `setVariable`, `setTimer`,
   * `resetTimer`, `clearTimer`, `sns`, `iotTopicPublish`, `lambda`, `iotEvents`, `sqs`, `firehose`,
   * `dynamoDB`, `dynamoDBv2` or `iotSiteWise`, e.g. `{ sns: { targetArn: 'arn:...' } }`.
   */
  readonly configuration: any;
}

/**
 * The type of a custom action payload.
 */
export enum PayloadType {
  /** The content expression's result is sent as a string. */
  STRING = 'STRING',
  /** The content expression's result is sent as JSON. */
  JSON = 'JSON',
}

/**
 * A custom payload of an external action (IoT Events' `Payload`). Without one, IoT Events sends its
 * default payload: a JSON object with `eventTime`, `payload.detector` (detectorModelName, keyValue,
 * detectorModelVersion), `payload.eventTriggerDetails` (inputName, messageId, triggerType),
 * `payload.state` (stateName, variables, timers), `payload.actionExecutionId` and `eventName`.
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/developerguide/iotevents-event-actions.html
 */
export class Payload {
  /**
   * A payload sent as a string: `contentExpression` is an expression such as `'temperature is ${$input.In.t}'`.
   */
  public static text(contentExpression: string): Payload {
    return new Payload(contentExpression, PayloadType.STRING);
  }

  /**
   * A payload sent as JSON: `contentExpression` is an expression whose result is a JSON text, such as
   * `'{"temperature": ${$input.In.t}}'`.
   */
  public static json(contentExpression: string): Payload {
    return new Payload(contentExpression, PayloadType.JSON);
  }

  /**
   * A payload of the given type.
   */
  public static of(contentExpression: string, type: PayloadType): Payload {
    return new Payload(contentExpression, type);
  }

  private constructor(
    /** The content expression. */
    public readonly contentExpression: string,
    /** The payload type. */
    public readonly type: PayloadType,
  ) {
    if (contentExpression.length === 0) {
      throw new Error('payload contentExpression must not be empty; give an expression such as \'${$variable.x}\' or omit the payload for the default one');
    }
  }

  /** @internal */
  public _render(): { contentExpression: string; type: string } {
    return { contentExpression: this.contentExpression, type: this.type };
  }
}
