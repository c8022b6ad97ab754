import { Expression } from './expression';

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
 * The content is an expression: an `Expression`, as conditions and `setVariable` values are
 * (`fromExpression`), or its text (`json`, `text`, `of`).
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/developerguide/iotevents-event-actions.html
 */
export class Payload {
  /**
   * A payload whose content is an `Expression`, as conditions and `setVariable` values are, e.g.
   * `Payload.fromExpression(Expression.fromString('\'{"deviceId": "${$input.In.deviceId}"}\''))`
   * (a string literal whose `${…}` are substituted when the action runs).
   *
   * @param expression the content expression (checked when the detector model is defined)
   * @param type how its result is sent (PayloadType.JSON when omitted)
   */
  public static fromExpression(expression: Expression, type: PayloadType = PayloadType.JSON): Payload {
    if (!(expression instanceof Expression)) {
      throw new Error(`payload expression must be an Expression (Payload.fromExpression), got ${describe(expression)}; `
        + 'pass Expression.fromString(text), or give the text to Payload.json(text) or Payload.text(text)');
    }
    return new Payload(expression.evaluate(), type, 'Payload.fromExpression');
  }

  /**
   * A payload sent as a string: `contentExpression` is the text of an expression such as
   * `'temperature is ${$input.In.t}'`. For an `Expression`, use `Payload.fromExpression(expression, PayloadType.STRING)`.
   */
  public static text(contentExpression: string): Payload {
    return new Payload(contentExpression, PayloadType.STRING, 'Payload.text');
  }

  /**
   * A payload sent as JSON: `contentExpression` is the text of an expression whose result is a JSON text,
   * such as `'{"temperature": ${$input.In.t}}'`: a string literal, in single quotes, not raw JSON (`{"t": 1}`
   * fails when the model is defined; write `'{"t": 1}'`). For an `Expression`, use `Payload.fromExpression(expression)`.
   */
  public static json(contentExpression: string): Payload {
    return new Payload(contentExpression, PayloadType.JSON, 'Payload.json');
  }

  /**
   * A payload of the given type, from the text of its content expression.
   */
  public static of(contentExpression: string, type: PayloadType): Payload {
    return new Payload(contentExpression, type, 'Payload.of');
  }

  /** The content expression. */
  public readonly contentExpression: string;

  /** The payload type. */
  public readonly type: PayloadType;

  private constructor(contentExpression: string, type: PayloadType, factory: string) {
    if ((contentExpression as unknown) instanceof Expression) {
      // a JavaScript caller (or a cast) passed an Expression where the text is expected
      const typeArg = type === PayloadType.STRING ? ', PayloadType.STRING' : '';
      throw new Error(`payload contentExpression must be the expression's text (${factory}), got the Expression `
        + `${(contentExpression as unknown as Expression).evaluate()}; use Payload.fromExpression(expression${typeArg}) for an Expression`);
    }
    if (typeof contentExpression !== 'string') {
      throw new Error(`payload contentExpression must be the expression's text (${factory}), got ${describe(contentExpression)}; `
        + 'pass a string such as \'{"t": ${$input.In.t}}\' (a string literal, in single quotes)');
    }
    if (!Object.values(PayloadType).includes(type)) {
      throw new Error(`payload type must be PayloadType.JSON or PayloadType.STRING (${factory}), got ${describe(type)}`);
    }
    if (contentExpression.length === 0) {
      throw new Error(`payload contentExpression must not be empty (${factory}); give an expression such as '\${$variable.x}' or omit the payload for the default one`);
    }
    this.contentExpression = contentExpression;
    this.type = type;
  }

  /** @internal */
  public _render(): { contentExpression: string; type: string } {
    return { contentExpression: this.contentExpression, type: this.type };
  }
}

function describe(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value) ?? String(value);
}
