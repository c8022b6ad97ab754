import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  MODEL_REGISTRATION_ATTRIBUTE, MODEL_RESOURCE_TYPE, ModelResourceProperties, SEED_BATCH_SIZE, SEED_RESOURCE_TYPE, SeedResourceProperties,
  modelItemKey, modelRegistrationId,
} from './api';
import type { BatchErrorEntry, Message, UpdateDetectorRequest } from '../../../detector/simulator';
import {
  CustomResourceEvent, HandlerDeps, OnEventResponse, SDK_CLIENT_CONFIG, createLogger, describeEntryErrors, hashParts, isRetryable,
  withCloudFormationErrors, withEntryRetries, withRetries,
} from '../../../private/handler-kit';
import { DetectorDataClient } from '../../client/detector-data-client';

/** The two Data API operations the seeding resource calls. */
export interface SeedDataClient {
  batchPutMessage(req: { messages: Message[] }): Promise<{ batchPutMessageErrorEntries: BatchErrorEntry[] }>;
  batchUpdateDetector(req: { detectors: UpdateDetectorRequest[] }): Promise<{ batchUpdateDetectorErrorEntries: BatchErrorEntry[] }>;
}

/** What tests replace. */
export interface SeedHandlerDeps extends HandlerDeps {
  /** @default a signed `DetectorDataClient` on the endpoint, with the function's credentials */
  readonly dataClient?: (endpoint: string, region: string) => SeedDataClient;
  /** @default the Lambda environment's DynamoDB client */
  readonly dynamodb?: DynamoDBClient;
}

const defaultDynamodb = new DynamoDBClient(SDK_CLIENT_CONFIG);

/**
 * The detector runtime's deploy-time handler, for two resource types:
 * - `Custom::GreengrassV2DetectorModel`: PutItem of the model item (`pk = model#<name>`, `definition`, `version` =
 *   sha256 of the definition, `registration` = `<stack id>#<logical id>` of the resource) on Create and Update;
 *   on Delete, DeleteItem only while the item still names this resource (a replaced model's old name is deleted by
 *   the Delete CloudFormation sends after the replacement; a moved or renamed `DetectorModel` keeps its item, which
 *   the new resource wrote before CloudFormation deletes the old one). An item written before registrations were
 *   recorded has none, and is deleted.
 * - `Custom::GreengrassV2DetectorSeed`: BatchPutMessage and BatchUpdateDetector on the Data API on Create and
 *   Update (in batches of 10, failed entries with a retryable code sent again: they were not queued); nothing on
 *   Delete. Message ids get a suffix derived from the CloudFormation request, so that the messageId the model's
 *   actions report tells deployments apart. The runtime does not filter duplicates by messageId (it is unique only
 *   within one request): each call is a new delivery, so a replayed request or a call retried after a 5xx error
 *   seeds again.
 */
export function createHandler(deps: SeedHandlerDeps = {}) {
  const log = createLogger('detector-seed');
  const dynamodb = deps.dynamodb ?? defaultDynamodb;
  const clientFor = deps.dataClient ?? ((endpoint: string, region: string) => new DetectorDataClient({ endpoint, region }));
  // DynamoDB's throttling error is not in the toolkit's list (the other services do not send it).
  const retryable = (e: unknown) => isRetryable(e) || (e as { name?: string })?.name === 'ProvisionedThroughputExceededException';
  const retry = { sleep: deps.sleep, random: deps.random, log };

  const model = async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    const p = event.ResourceProperties as unknown as ModelResourceProperties;
    const pk = modelItemKey(p.DetectorModelName);
    const registration = modelRegistrationId(event.StackId, event.LogicalResourceId);
    if (event.RequestType === 'Delete') {
      const physical = event.PhysicalResourceId ?? pk;
      try {
        await withRetries(() => dynamodb.send(new DeleteItemCommand({
          TableName: p.TableName,
          Key: { pk: { S: physical } },
          ConditionExpression: 'attribute_not_exists(#registration) OR #registration = :registration',
          ExpressionAttributeNames: { '#registration': MODEL_REGISTRATION_ATTRIBUTE },
          ExpressionAttributeValues: { ':registration': { S: registration } },
        })), { ...retry, retryable, label: 'DeleteItem' });
      } catch (e) {
        if ((e as { name?: string })?.name !== 'ConditionalCheckFailedException') throw e;
        log.info('model item left: another registration wrote it (the DetectorModel was moved or renamed)', { pk: physical, registration });
      }
      return { PhysicalResourceId: physical };
    }
    const version = hashParts([p.Definition]).slice(0, 32);
    await withRetries(() => dynamodb.send(new PutItemCommand({
      TableName: p.TableName,
      Item: {
        pk: { S: pk },
        detectorModelName: { S: p.DetectorModelName },
        definition: { S: p.Definition },
        version: { S: version },
        [MODEL_REGISTRATION_ATTRIBUTE]: { S: registration },
      },
    })), { ...retry, retryable, label: 'PutItem' });
    return { PhysicalResourceId: pk, Data: { Version: version } };
  };

  const seed = async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    const physical = event.PhysicalResourceId ?? `seed-${hashParts([event.StackId, event.LogicalResourceId]).slice(0, 24)}`;
    if (event.RequestType === 'Delete') return { PhysicalResourceId: physical };
    const p = event.ResourceProperties as unknown as SeedResourceProperties;
    const client = clientFor(p.Endpoint, p.Region);
    const suffix = hashParts([event.StackId, event.LogicalResourceId, event.RequestId]).slice(0, 12);
    const unique = (id: string) => `${id.slice(0, 64 - 13)}-${suffix}`;
    const messages = (JSON.parse(p.Messages) as Message[]).map((m) => ({ ...m, messageId: unique(m.messageId) }));
    const detectors = (JSON.parse(p.Detectors) as UpdateDetectorRequest[]).map((d) => ({ ...d, messageId: unique(d.messageId) }));
    const failures: string[] = [];
    if (detectors.length > 0) {
      const failed = await withEntryRetries(detectors, (d) => d.messageId, async (batch) =>
        (await client.batchUpdateDetector({ detectors: batch })).batchUpdateDetectorErrorEntries
          .map((e) => ({ key: e.messageId, code: e.errorCode, message: e.errorMessage })),
      { ...retry, batchSize: SEED_BATCH_SIZE, label: 'BatchUpdateDetector' });
      if (failed.length > 0) failures.push(`BatchUpdateDetector failed for ${describeEntryErrors(failed)}`);
    }
    if (messages.length > 0) {
      const failed = await withEntryRetries(messages, (m) => m.messageId, async (batch) =>
        (await client.batchPutMessage({ messages: batch })).batchPutMessageErrorEntries
          .map((e) => ({ key: e.messageId, code: e.errorCode, message: e.errorMessage })),
      { ...retry, batchSize: SEED_BATCH_SIZE, label: 'BatchPutMessage' });
      if (failed.length > 0) failures.push(`BatchPutMessage failed for ${describeEntryErrors(failed)}`);
    }
    if (failures.length > 0) throw new Error(failures.join('; '));
    return { PhysicalResourceId: physical };
  };

  return withCloudFormationErrors(log, async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    if (event.ResourceType === MODEL_RESOURCE_TYPE) return model(event);
    if (event.ResourceType === SEED_RESOURCE_TYPE) return seed(event);
    throw new Error(`unknown resource type ${event.ResourceType}; this handler serves ${MODEL_RESOURCE_TYPE} and ${SEED_RESOURCE_TYPE}`);
  });
}

export const handler = createHandler();
