/**
 * The AWS IoT Events control-plane API shapes (camelCase), as botocore's `iotevents` 2018-07-27 service
 * model defines them (`../shared/reference/iotevents.service-2.json`). The evaluator consumes exactly these;
 * the typed model renders to them and the importers normalize PascalCase / CloudFormation forms into them.
 *
 * Plain data only: no CDK import (this file is bundled into Lambda handlers).
 */

/** `EvaluationMethod`. */
export type EvaluationMethodShape = 'BATCH' | 'SERIAL';

/** `PayloadType`. */
export type PayloadTypeShape = 'STRING' | 'JSON';

/** `Payload`: a content expression evaluated when the action runs. */
export interface PayloadShape {
  readonly contentExpression: string;
  readonly type: PayloadTypeShape;
}

export interface SetVariableActionShape {
  readonly variableName: string;
  /** An expression. */
  readonly value: string;
}

export interface SetTimerActionShape {
  readonly timerName: string;
  /** Deprecated in the API: a literal duration in seconds (1 – 31 622 400). */
  readonly seconds?: number;
  /** An expression giving the duration in seconds, rounded down (1 – 31 622 400). */
  readonly durationExpression?: string;
}

export interface ResetTimerActionShape {
  readonly timerName: string;
}

export interface ClearTimerActionShape {
  readonly timerName: string;
}

export interface SnsTopicPublishActionShape {
  readonly targetArn: string;
  readonly payload?: PayloadShape;
}

export interface IotTopicPublishActionShape {
  /** An expression (string literal or `'…' + …`). */
  readonly mqttTopic: string;
  readonly payload?: PayloadShape;
}

export interface LambdaActionShape {
  readonly functionArn: string;
  readonly payload?: PayloadShape;
}

export interface IotEventsActionShape {
  readonly inputName: string;
  readonly payload?: PayloadShape;
}

export interface SqsActionShape {
  readonly queueUrl: string;
  readonly useBase64?: boolean;
  readonly payload?: PayloadShape;
}

export interface FirehoseActionShape {
  readonly deliveryStreamName: string;
  /** One of `'\n'`, `'\t'`, `'\r\n'`, `','`. */
  readonly separator?: string;
  readonly payload?: PayloadShape;
}

export interface DynamoDbActionShape {
  /** `'STRING'` or `'NUMBER'` (default `'STRING'`). */
  readonly hashKeyType?: string;
  readonly hashKeyField: string;
  /** A content expression. */
  readonly hashKeyValue: string;
  readonly rangeKeyType?: string;
  readonly rangeKeyField?: string;
  readonly rangeKeyValue?: string;
  /** `'INSERT'`, `'UPDATE'` or `'DELETE'` (default `'INSERT'`). */
  readonly operation?: string;
  readonly payloadField?: string;
  readonly tableName: string;
  readonly payload?: PayloadShape;
}

export interface DynamoDbV2ActionShape {
  readonly tableName: string;
  readonly payload?: PayloadShape;
}

export interface AssetPropertyVariantShape {
  readonly stringValue?: string;
  readonly integerValue?: string;
  readonly doubleValue?: string;
  readonly booleanValue?: string;
}

export interface AssetPropertyTimestampShape {
  readonly timeInSeconds: string;
  readonly offsetInNanos?: string;
}

export interface AssetPropertyValueShape {
  readonly value?: AssetPropertyVariantShape;
  readonly timestamp?: AssetPropertyTimestampShape;
  readonly quality?: string;
}

export interface IotSiteWiseActionShape {
  readonly entryId?: string;
  readonly assetId?: string;
  readonly propertyId?: string;
  readonly propertyAlias?: string;
  readonly propertyValue?: AssetPropertyValueShape;
}

/** `Action`: exactly one member is set. */
export interface ActionShape {
  readonly setVariable?: SetVariableActionShape;
  readonly sns?: SnsTopicPublishActionShape;
  readonly iotTopicPublish?: IotTopicPublishActionShape;
  readonly setTimer?: SetTimerActionShape;
  readonly clearTimer?: ClearTimerActionShape;
  readonly resetTimer?: ResetTimerActionShape;
  readonly lambda?: LambdaActionShape;
  readonly iotEvents?: IotEventsActionShape;
  readonly sqs?: SqsActionShape;
  readonly firehose?: FirehoseActionShape;
  readonly dynamoDB?: DynamoDbActionShape;
  readonly dynamoDBv2?: DynamoDbV2ActionShape;
  readonly iotSiteWise?: IotSiteWiseActionShape;
}

/** The external action types (everything but the variable and timer actions). */
export type ExternalActionType =
  | 'sns' | 'iotTopicPublish' | 'lambda' | 'iotEvents' | 'sqs' | 'firehose' | 'dynamoDB' | 'dynamoDBv2' | 'iotSiteWise';

export const EXTERNAL_ACTION_TYPES: readonly ExternalActionType[] = [
  'sns', 'iotTopicPublish', 'lambda', 'iotEvents', 'sqs', 'firehose', 'dynamoDB', 'dynamoDBv2', 'iotSiteWise',
];

export interface EventShape {
  readonly eventName: string;
  /** An expression; absent means the event always fires. */
  readonly condition?: string;
  readonly actions?: ActionShape[];
}

export interface TransitionEventShape {
  readonly eventName: string;
  readonly condition: string;
  readonly actions?: ActionShape[];
  readonly nextState: string;
}

export interface OnEnterLifecycleShape {
  readonly events?: EventShape[];
}

export interface OnInputLifecycleShape {
  readonly events?: EventShape[];
  readonly transitionEvents?: TransitionEventShape[];
}

export interface OnExitLifecycleShape {
  readonly events?: EventShape[];
}

export interface StateShape {
  readonly stateName: string;
  readonly onInput?: OnInputLifecycleShape;
  readonly onEnter?: OnEnterLifecycleShape;
  readonly onExit?: OnExitLifecycleShape;
}

export interface DetectorModelDefinitionShape {
  readonly states: StateShape[];
  readonly initialStateName: string;
}

/** The parts of `CreateDetectorModelRequest` the evaluator reads. */
export interface DetectorModelShape {
  readonly detectorModelName: string;
  /** A JSON path into every input's payload (e.g. `motorid` or `a.b`); absent: one detector for all messages. */
  readonly key?: string;
  /** @default 'BATCH' */
  readonly evaluationMethod?: EvaluationMethodShape;
  readonly detectorModelDefinition: DetectorModelDefinitionShape;
}

export interface AttributeShape {
  readonly jsonPath: string;
}

export interface InputDefinitionShape {
  readonly attributes: AttributeShape[];
}

/** The parts of `CreateInputRequest` the evaluator reads. */
export interface InputShape {
  readonly inputName: string;
  readonly inputDefinition: InputDefinitionShape;
}
