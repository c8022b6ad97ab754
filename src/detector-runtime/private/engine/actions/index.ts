/**
 * The executors of the external actions (IoT Events' `Action` types), each with its real service. The
 * processor runs them after the state write, from the outbox, at least once: a pack that fails after the
 * write is received again, its works are found in `seen` (not evaluated twice) and the outbox entries of
 * those works run again. Where the service has an idempotency key it gets the entry id's hash (SQS and SNS
 * FIFO deduplication ids, a SiteWise entry id); DynamoDB puts and SiteWise values are idempotent by nature.
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/apireference/API_Action.html
 */
import { DynamoDBClient, PutItemCommand, UpdateItemCommand, DeleteItemCommand, AttributeValue } from '@aws-sdk/client-dynamodb';
import { FirehoseClient, PutRecordCommand } from '@aws-sdk/client-firehose';
import { IoTDataPlaneClient, PublishCommand as IotPublishCommand } from '@aws-sdk/client-iot-data-plane';
import { BatchPutAssetPropertyValueCommand, IoTSiteWiseClient, Quality, Variant } from '@aws-sdk/client-iotsitewise';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand as SnsPublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { OutboxEntry } from '../state-store';
import { sha256Hex } from '../work';

/** The clients the executors use (created once per container). */
export interface ActionClients {
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly lambda: LambdaClient;
  readonly iotData: IoTDataPlaneClient;
  readonly dynamodb: DynamoDBClient;
  readonly firehose: FirehoseClient;
  readonly sitewise: IoTSiteWiseClient;
}

/** Where an action comes from: its detector (FIFO targets group by it). */
export interface ActionContext {
  readonly detectorModelName: string;
  readonly keyValue: string;
  /** When the action's work happened (epoch ms): the default SiteWise timestamp. */
  readonly timeMs: number;
  /** `iotEvents` actions: sends the payload to an input (through ingest routing). */
  reinject(inputName: string, messageId: string, payload: string, timestampMs: number): Promise<void>;
}

const utf8 = (s: string | undefined) => Buffer.from(s ?? '', 'utf8');

/** Executes one action. Throws when the service refused it. */
export async function executeAction(entry: OutboxEntry, clients: ActionClients, ctx: ActionContext): Promise<void> {
  const c = entry.config as Record<string, any>;
  const dedup = sha256Hex(`${ctx.detectorModelName}#${ctx.keyValue}#${entry.id}`);
  const group = `${ctx.detectorModelName}#${ctx.keyValue}`.slice(0, 128);
  switch (entry.type) {
    case 'sns':
      await clients.sns.send(new SnsPublishCommand({
        TopicArn: c.targetArn,
        Message: entry.payload ?? '',
        ...(String(c.targetArn).endsWith('.fifo') ? { MessageGroupId: group, MessageDeduplicationId: dedup } : {}),
      }));
      return;
    case 'sqs':
      await clients.sqs.send(new SendMessageCommand({
        QueueUrl: c.queueUrl,
        MessageBody: c.useBase64 ? utf8(entry.payload).toString('base64') : entry.payload ?? '',
        ...(String(c.queueUrl).endsWith('.fifo') ? { MessageGroupId: group, MessageDeduplicationId: dedup } : {}),
      }));
      return;
    case 'lambda':
      await clients.lambda.send(new InvokeCommand({ FunctionName: c.functionArn, InvocationType: 'Event', Payload: utf8(entry.payload) }));
      return;
    case 'iotTopicPublish':
      await clients.iotData.send(new IotPublishCommand({ topic: c.mqttTopic, payload: utf8(entry.payload) }));
      return;
    case 'dynamoDB':
      await dynamoDbAction(entry, clients.dynamodb);
      return;
    case 'dynamoDBv2':
      await clients.dynamodb.send(new PutItemCommand({
        TableName: c.tableName,
        Item: marshall(JSON.parse(entry.payload ?? '{}'), { removeUndefinedValues: true }),
      }));
      return;
    case 'firehose':
      await clients.firehose.send(new PutRecordCommand({
        DeliveryStreamName: c.deliveryStreamName,
        Record: { Data: utf8(`${entry.payload ?? ''}${c.separator ?? ''}`) },
      }));
      return;
    case 'iotSiteWise':
      await siteWiseAction(entry, clients.sitewise, ctx, dedup);
      return;
    case 'iotEvents':
      await ctx.reinject(c.inputName, `iotEvents-${dedup.slice(0, 40)}`, entry.payload ?? '{}', ctx.timeMs);
      return;
  }
}

/** DynamoDBAction: the hash and range keys typed by `hashKeyType`/`rangeKeyType`, the payload in `payloadField`. */
async function dynamoDbAction(entry: OutboxEntry, client: DynamoDBClient): Promise<void> {
  const c = entry.config as Record<string, any>;
  const key: Record<string, AttributeValue> = { [c.hashKeyField]: keyAttribute(c.hashKeyType, c.hashKeyValue) };
  if (c.rangeKeyField !== undefined) key[c.rangeKeyField] = keyAttribute(c.rangeKeyType, c.rangeKeyValue);
  const payloadField = c.payloadField ?? 'payload';
  const payload: AttributeValue = entry.payloadType === 'JSON' && entry.payload !== undefined
    ? { M: marshall(JSON.parse(entry.payload), { removeUndefinedValues: true }) }
    : { S: entry.payload ?? '' };
  switch (String(c.operation ?? 'INSERT').toUpperCase()) {
    case 'UPDATE':
      await client.send(new UpdateItemCommand({
        TableName: c.tableName,
        Key: key,
        UpdateExpression: 'SET #p = :p',
        ExpressionAttributeNames: { '#p': payloadField },
        ExpressionAttributeValues: { ':p': payload },
      }));
      return;
    case 'DELETE':
      await client.send(new DeleteItemCommand({ TableName: c.tableName, Key: key }));
      return;
    default:
      await client.send(new PutItemCommand({ TableName: c.tableName, Item: { ...key, [payloadField]: payload } }));
  }
}

function keyAttribute(type: string | undefined, value: unknown): AttributeValue {
  return String(type ?? 'STRING').toUpperCase() === 'NUMBER' ? { N: String(value) } : { S: String(value) };
}

/** IotSiteWiseAction: one entry of one value; the timestamp defaults to the work's time. */
async function siteWiseAction(entry: OutboxEntry, client: IoTSiteWiseClient, ctx: ActionContext, dedup: string): Promise<void> {
  const c = entry.config as Record<string, any>;
  const pv = (c.propertyValue ?? {}) as Record<string, any>;
  const v = (pv.value ?? {}) as Record<string, string | undefined>;
  let value: Variant;
  if (v.stringValue !== undefined) value = { stringValue: String(v.stringValue) };
  else if (v.integerValue !== undefined) value = { integerValue: Number(v.integerValue) };
  else if (v.doubleValue !== undefined) value = { doubleValue: Number(v.doubleValue) };
  else if (v.booleanValue !== undefined) value = { booleanValue: String(v.booleanValue).toLowerCase() === 'true' };
  else throw new Error('iotSiteWise action has no propertyValue.value (stringValue, integerValue, doubleValue or booleanValue)');
  const ts = pv.timestamp as Record<string, string | undefined> | undefined;
  const timestamp = ts?.timeInSeconds !== undefined
    ? { timeInSeconds: Number(ts.timeInSeconds), offsetInNanos: Number(ts.offsetInNanos ?? 0) }
    : { timeInSeconds: Math.floor(ctx.timeMs / 1000), offsetInNanos: (ctx.timeMs % 1000) * 1_000_000 };
  const out = await client.send(new BatchPutAssetPropertyValueCommand({
    entries: [{
      entryId: c.entryId ?? dedup.slice(0, 64),
      ...(c.assetId !== undefined ? { assetId: c.assetId } : {}),
      ...(c.propertyId !== undefined ? { propertyId: c.propertyId } : {}),
      ...(c.propertyAlias !== undefined ? { propertyAlias: c.propertyAlias } : {}),
      propertyValues: [{ value, timestamp, ...(pv.quality !== undefined ? { quality: pv.quality as Quality } : {}) }],
    }],
  }));
  const failed = out.errorEntries ?? [];
  if (failed.length > 0) {
    throw new Error(`IoT SiteWise refused the value: ${failed.map((f) => f.errors?.map((e) => `${e.errorCode}: ${e.errorMessage}`).join('; ')).join('; ')}`);
  }
}
