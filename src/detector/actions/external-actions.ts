import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ActionConfig, IAction, Payload } from '../action';
import { InputDefinition } from '../input-definition';

/**
 * Options of an external action.
 */
export interface ActionPayloadOptions {
  /**
   * The payload to send.
   *
   * @default - IoT Events' default payload: JSON with `eventTime`, `payload.detector`,
   * `payload.eventTriggerDetails`, `payload.state`, `payload.actionExecutionId` and `eventName`
   */
  readonly payload?: Payload;
}

function withPayload(config: Record<string, unknown>, options: ActionPayloadOptions): Record<string, unknown> {
  return options.payload ? { ...config, payload: options.payload._render() } : config;
}

/**
 * Publishes a message to an Amazon SNS topic (`sns`).
 */
export class SnsTopicPublishAction implements IAction {
  /** An action on a topic given by its ARN. */
  public static fromTopicArn(topicArn: string, options: ActionPayloadOptions = {}): SnsTopicPublishAction {
    return new SnsTopicPublishAction({ topicArn } as sns.ITopic, options);
  }

  private readonly config: Record<string, unknown>;

  /**
   * @param topic the topic to publish to
   */
  constructor(topic: sns.ITopic, options: ActionPayloadOptions = {}) {
    this.config = withPayload({ targetArn: topic.topicArn }, options);
  }

  public renderActionConfig(): ActionConfig {
    return { configuration: { sns: this.config } };
  }
}

/**
 * Invokes an AWS Lambda function (`lambda`).
 */
export class LambdaInvokeAction implements IAction {
  /** An action on a function given by its ARN. */
  public static fromFunctionArn(functionArn: string, options: ActionPayloadOptions = {}): LambdaInvokeAction {
    return new LambdaInvokeAction({ functionArn } as lambda.IFunction, options);
  }

  private readonly config: Record<string, unknown>;

  /**
   * @param func the function to invoke
   */
  constructor(func: lambda.IFunction, options: ActionPayloadOptions = {}) {
    this.config = withPayload({ functionArn: func.functionArn }, options);
  }

  public renderActionConfig(): ActionConfig {
    return { configuration: { lambda: this.config } };
  }
}

/**
 * Publishes an MQTT message through AWS IoT Core (`iotTopicPublish`).
 */
export class IotTopicPublishAction implements IAction {
  private readonly config: Record<string, unknown>;

  /**
   * @param mqttTopic the topic (1-128 characters); may hold `${...}` substitutions such as
   *   `alerts/${$input.In.deviceId}`
   */
  constructor(mqttTopic: string, options: ActionPayloadOptions = {}) {
    this.config = withPayload({ mqttTopic }, options);
  }

  public renderActionConfig(): ActionConfig {
    return { configuration: { iotTopicPublish: this.config } };
  }
}

/**
 * Sends a message to an IoT Events input (`iotEvents`): the simulator feeds it back to the detectors that
 * read that input.
 */
export class IotEventsPutMessageAction implements IAction {
  /** An action on an input given by its name. */
  public static fromInputName(inputName: string, options: ActionPayloadOptions = {}): IotEventsPutMessageAction {
    return new IotEventsPutMessageAction({ inputName } as InputDefinition, options);
  }

  private readonly config: Record<string, unknown>;

  /**
   * @param input the input the message is sent to
   */
  constructor(input: InputDefinition, options: ActionPayloadOptions = {}) {
    this.config = withPayload({ inputName: input.inputName }, options);
  }

  public renderActionConfig(): ActionConfig {
    return { configuration: { iotEvents: this.config } };
  }
}

/**
 * Options of an Amazon SQS action.
 */
export interface SqsQueueActionOptions extends ActionPayloadOptions {
  /**
   * Whether IoT Events base64-encodes the payload before it sends it.
   *
   * @default - not encoded (the API's default, `false`)
   */
  readonly useBase64?: boolean;
}

/**
 * Sends a message to an Amazon SQS queue (`sqs`).
 */
export class SqsQueueAction implements IAction {
  /** An action on a queue given by its URL. */
  public static fromQueueUrl(queueUrl: string, options: SqsQueueActionOptions = {}): SqsQueueAction {
    return new SqsQueueAction({ queueUrl } as sqs.IQueue, options);
  }

  private readonly config: Record<string, unknown>;

  /**
   * @param queue the queue to send to
   */
  constructor(queue: sqs.IQueue, options: SqsQueueActionOptions = {}) {
    this.config = withPayload({
      queueUrl: queue.queueUrl,
      ...(options.useBase64 !== undefined ? { useBase64: options.useBase64 } : {}),
    }, options);
  }

  public renderActionConfig(): ActionConfig {
    return { configuration: { sqs: this.config } };
  }
}

/**
 * The separator Firehose writes between records.
 */
export enum FirehoseSeparator {
  /** A newline (`\n`). */
  NEWLINE = '\n',
  /** A tab (`\t`). */
  TAB = '\t',
  /** A Windows newline (`\r\n`). */
  WINDOWS_NEWLINE = '\r\n',
  /** A comma. */
  COMMA = ',',
}

/**
 * Options of an Amazon Data Firehose action.
 */
export interface FirehosePutRecordActionOptions extends ActionPayloadOptions {
  /**
   * The separator between records.
   *
   * @default - none
   */
  readonly separator?: FirehoseSeparator;
}

/**
 * Puts a record on an Amazon Data Firehose delivery stream (`firehose`).
 */
export class FirehosePutRecordAction implements IAction {
  /** An action on a delivery stream given by its name. */
  public static fromDeliveryStreamName(deliveryStreamName: string, options: FirehosePutRecordActionOptions = {}): FirehosePutRecordAction {
    return new FirehosePutRecordAction({ deliveryStreamName } as firehose.IDeliveryStream, options);
  }

  private readonly config: Record<string, unknown>;

  /**
   * @param deliveryStream the delivery stream
   */
  constructor(deliveryStream: firehose.IDeliveryStream, options: FirehosePutRecordActionOptions = {}) {
    this.config = withPayload({
      deliveryStreamName: deliveryStream.deliveryStreamName,
      ...(options.separator !== undefined ? { separator: options.separator } : {}),
    }, options);
  }

  public renderActionConfig(): ActionConfig {
    return { configuration: { firehose: this.config } };
  }
}

/**
 * Options of a DynamoDB action (`dynamoDB`). Every field is an expression: literals in single quotes.
 */
export interface DynamoDbPutItemActionOptions extends ActionPayloadOptions {
  /** The partition key's name, e.g. `'deviceId'`. */
  readonly hashKeyField: string;
  /** The partition key's value, e.g. `$input.In.deviceId`. */
  readonly hashKeyValue: string;
  /**
   * The partition key's type, `'STRING'` or `'NUMBER'`.
   *
   * @default 'STRING'
   */
  readonly hashKeyType?: string;
  /**
   * The sort key's name.
   *
   * @default - the table has no sort key
   */
  readonly rangeKeyField?: string;
  /**
   * The sort key's value.
   *
   * @default - none
   */
  readonly rangeKeyValue?: string;
  /**
   * The sort key's type, `'STRING'` or `'NUMBER'`.
   *
   * @default 'STRING'
   */
  readonly rangeKeyType?: string;
  /**
   * `'INSERT'`, `'UPDATE'` or `'DELETE'`.
   *
   * @default 'INSERT'
   */
  readonly operation?: string;
  /**
   * The column that receives the payload.
   *
   * @default 'payload'
   */
  readonly payloadField?: string;
}

/**
 * Writes the payload into one column of a DynamoDB item (`dynamoDB`).
 */
export class DynamoDbPutItemAction implements IAction {
  /** An action on a table given by its name. */
  public static fromTableName(tableName: string, options: DynamoDbPutItemActionOptions): DynamoDbPutItemAction {
    return new DynamoDbPutItemAction({ tableName } as dynamodb.ITable, options);
  }

  private readonly config: Record<string, unknown>;

  /**
   * @param table the table to write to
   */
  constructor(table: dynamodb.ITable, options: DynamoDbPutItemActionOptions) {
    const optional: Record<string, string | undefined> = {
      hashKeyType: options.hashKeyType,
      rangeKeyType: options.rangeKeyType,
      rangeKeyField: options.rangeKeyField,
      rangeKeyValue: options.rangeKeyValue,
      operation: options.operation,
      payloadField: options.payloadField,
    };
    const config: Record<string, unknown> = { hashKeyField: options.hashKeyField, hashKeyValue: options.hashKeyValue };
    for (const [k, v] of Object.entries(optional)) if (v !== undefined) config[k] = v;
    config.tableName = table.tableName;
    this.config = withPayload(config, options);
  }

  public renderActionConfig(): ActionConfig {
    return { configuration: { dynamoDB: this.config } };
  }
}

/**
 * Writes the payload's attributes as columns of a DynamoDB item (`dynamoDBv2`); the payload must be JSON.
 */
export class DynamoDbV2PutItemAction implements IAction {
  /** An action on a table given by its name. */
  public static fromTableName(tableName: string, options: ActionPayloadOptions = {}): DynamoDbV2PutItemAction {
    return new DynamoDbV2PutItemAction({ tableName } as dynamodb.ITable, options);
  }

  private readonly config: Record<string, unknown>;

  /**
   * @param table the table to write to
   */
  constructor(table: dynamodb.ITable, options: ActionPayloadOptions = {}) {
    this.config = withPayload({ tableName: table.tableName }, options);
  }

  public renderActionConfig(): ActionConfig {
    return { configuration: { dynamoDBv2: this.config } };
  }
}

/**
 * The value an IoT SiteWise action writes. Every field is an expression.
 */
export interface AssetPropertyValueOptions {
  /**
   * A string value, e.g. `'on'`. Give exactly one of the four values.
   *
   * @default - not a string value
   */
  readonly stringValue?: string;
  /**
   * An integer value expression.
   *
   * @default - not an integer value
   */
  readonly integerValue?: string;
  /**
   * A double value expression, e.g. `$input.In.temperature`.
   *
   * @default - not a double value
   */
  readonly doubleValue?: string;
  /**
   * A Boolean value expression (`'true'` or `'false'`).
   *
   * @default - not a Boolean value
   */
  readonly booleanValue?: string;
  /**
   * The timestamp, in seconds since the epoch (an expression).
   *
   * @default - the time IoT Events runs the action
   */
  readonly timeInSeconds?: string;
  /**
   * The nanosecond offset of the timestamp (an expression).
   *
   * @default - none
   */
  readonly offsetInNanos?: string;
  /**
   * `'GOOD'`, `'BAD'` or `'UNCERTAIN'`.
   *
   * @default - none (SiteWise uses GOOD)
   */
  readonly quality?: string;
}

/**
 * Options of an IoT SiteWise action: the property by asset and property ID, or by alias.
 */
export interface IotSiteWiseActionOptions {
  /**
   * The value written.
   */
  readonly propertyValue: AssetPropertyValueOptions;
  /**
   * A unique identifier of the entry.
   *
   * @default - IoT Events generates one
   */
  readonly entryId?: string;
  /**
   * The asset's ID.
   *
   * @default - the property is given by its alias
   */
  readonly assetId?: string;
  /**
   * The asset property's ID.
   *
   * @default - the property is given by its alias
   */
  readonly propertyId?: string;
  /**
   * The asset property's alias, e.g. `'/company/windfarm/3/turbine/7/temperature'`.
   *
   * @default - the property is given by asset and property ID
   */
  readonly propertyAlias?: string;
}

/**
 * Writes a value to an AWS IoT SiteWise asset property (`iotSiteWise`).
 */
export class IotSiteWiseAction implements IAction {
  private readonly config: Record<string, unknown>;

  constructor(options: IotSiteWiseActionOptions) {
    const v = options.propertyValue;
    const variant: Record<string, string> = {};
    for (const k of ['stringValue', 'integerValue', 'doubleValue', 'booleanValue'] as const) {
      if (v[k] !== undefined) variant[k] = v[k]!;
    }
    const propertyValue: Record<string, unknown> = { value: variant };
    if (v.timeInSeconds !== undefined) {
      propertyValue.timestamp = { timeInSeconds: v.timeInSeconds, ...(v.offsetInNanos !== undefined ? { offsetInNanos: v.offsetInNanos } : {}) };
    }
    if (v.quality !== undefined) propertyValue.quality = v.quality;
    const config: Record<string, unknown> = {};
    for (const k of ['entryId', 'assetId', 'propertyId', 'propertyAlias'] as const) {
      if (options[k] !== undefined) config[k] = options[k];
    }
    config.propertyValue = propertyValue;
    this.config = config;
  }

  public renderActionConfig(): ActionConfig {
    return { configuration: { iotSiteWise: this.config } };
  }
}
