import { randomUUID } from 'node:crypto';
import { AttributeValue, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  MODEL_REGISTRATION_ATTRIBUTE, MODEL_REPLACED_ATTRIBUTE, MODEL_RESOURCE_TYPE, ModelResourceProperties, SEED_BATCH_SIZE, SEED_RESOURCE_TYPE,
  SeedResourceProperties, modelItemKey, modelKeptItemKey, modelRegistrationId,
} from './api';
import type { BatchErrorEntry, Message, UpdateDetectorRequest } from '../../../detector/simulator';
import {
  CustomResourceEvent, HandlerDeps, OnEventResponse, RetryOptions, SDK_CLIENT_CONFIG, createLogger, describeEntryErrors, hashParts, isRetryable,
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
  /** An id of this invocation, in the seed's message ids. @default a random UUID */
  readonly invocationId?: () => string;
}

const defaultDynamodb = new DynamoDBClient(SDK_CLIENT_CONFIG);

/**
 * The detector runtime's deploy-time handler, for two resource types:
 * - `Custom::GreengrassV2DetectorModel`: the model item (`pk = model#<name>`, `definition`, `version` = sha256 of the
 *   definition, `registration` = `<stack id>#<logical id>` of the resource that wrote it) on Create and Update; on
 *   Delete, only what this resource still owns (`ModelRegistrations`). A moved or renamed `DetectorModel` keeps its
 *   name: CloudFormation creates the new resource, then deletes the old one, or, when the deployment rolls back,
 *   deletes the new one while the old one lives on. Every order leaves the item of the resource that remains.
 * - `Custom::GreengrassV2DetectorSeed`: BatchPutMessage and BatchUpdateDetector on the Data API on Create and
 *   Update (in batches of 10, failed entries with a retryable code sent again: they were not queued); nothing on
 *   Delete. Message ids get a suffix derived from the CloudFormation request and this invocation, so that the
 *   messageId the model's actions report tells deployments apart. A detector ignores a Data API messageId it
 *   evaluated less than 5 minutes before: a call retried after a 5xx error (same ids) evaluates no message twice,
 *   while a replayed request (a new invocation, new ids) seeds again, messages included, after setting the
 *   detectors again.
 */
export function createHandler(deps: SeedHandlerDeps = {}) {
  const log = createLogger('detector-seed');
  const dynamodb = deps.dynamodb ?? defaultDynamodb;
  const invocationId = deps.invocationId ?? randomUUID;
  const clientFor = deps.dataClient ?? ((endpoint: string, region: string) => new DetectorDataClient({ endpoint, region }));
  // DynamoDB's throttling error is not in the toolkit's list (the other services do not send it).
  const retryable = (e: unknown) => isRetryable(e) || (e as { name?: string })?.name === 'ProvisionedThroughputExceededException';
  const retry = { sleep: deps.sleep, random: deps.random, log };

  const model = async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    const p = event.ResourceProperties as unknown as ModelResourceProperties;
    const pk = modelItemKey(p.DetectorModelName);
    const registration = modelRegistrationId(event.StackId, event.LogicalResourceId);
    const registrations = new ModelRegistrations(dynamodb, p.TableName, { ...retry, retryable }, log);
    if (event.RequestType === 'Delete') {
      const physical = event.PhysicalResourceId ?? pk;
      await registrations.unregister(physical, registration);
      return { PhysicalResourceId: physical };
    }
    const version = hashParts([p.Definition]).slice(0, 32);
    await registrations.register(pk, registration, { detectorModelName: p.DetectorModelName, definition: p.Definition, version });
    return { PhysicalResourceId: pk, Data: { Version: version } };
  };

  const seed = async (event: CustomResourceEvent): Promise<OnEventResponse> => {
    const physical = event.PhysicalResourceId ?? `seed-${hashParts([event.StackId, event.LogicalResourceId]).slice(0, 24)}`;
    if (event.RequestType === 'Delete') return { PhysicalResourceId: physical };
    const p = event.ResourceProperties as unknown as SeedResourceProperties;
    const client = clientFor(p.Endpoint, p.Region);
    // the invocation too: a replay sets the detectors again, so its messages must not be ignored as duplicates
    const suffix = hashParts([event.StackId, event.LogicalResourceId, event.RequestId, invocationId()]).slice(0, 12);
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

type Item = Record<string, AttributeValue>;

/** Conditional writes that found the item changed since it was read are tried again, read first, this often. */
const MAX_REGISTRATION_CONFLICTS = 5;

/**
 * The model items of one table, and who owns them. The item `model#<name>` names its owner, the resource that wrote
 * it (`registration`). When a resource writes an item another live resource owns (a renamed or moved `DetectorModel`
 * of the same name: CloudFormation creates the new resource first), the item names the replaced owner too
 * (`replaced`), and a copy of the replaced owner's item is kept (`modelKeptItemKey`). Then:
 * - the replaced owner's Delete (the rename succeeded: CloudFormation's cleanup) drops the copy and the `replaced`;
 * - the new owner's Delete while `replaced` is set (the deployment rolled back, deleting the new resource) restores
 *   the copy: the replaced owner's definition, version and registration;
 * - the owner's Delete with nothing replaced (a plain delete, a later delete of the renamed one) deletes the item.
 * The replaced owner may itself have replaced another one (`replaced` of the copy): a chain, in creation order.
 *
 * Each step reads the item (strongly consistent) and writes on the condition that what it read still holds; a
 * failed condition reads again. GetItem, PutItem and DeleteItem on `model#…` keys are all it needs.
 */
class ModelRegistrations {
  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly tableName: string,
    private readonly retry: RetryOptions,
    private readonly log: { info(message: string, extra?: Record<string, unknown>): void },
  ) {}

  /** Create and Update: writes the model item as `registration`'s, keeping the item of a live owner it replaces. */
  public async register(pk: string, registration: string, model: { detectorModelName: string; definition: string; version: string }): Promise<void> {
    await this.withConflicts(pk, async () => {
      const current = await this.get(pk);
      const owner = current?.[MODEL_REGISTRATION_ATTRIBUTE]?.S;
      const replaced = current?.[MODEL_REPLACED_ATTRIBUTE]?.S;
      const item: Item = {
        pk: { S: pk },
        detectorModelName: { S: model.detectorModelName },
        definition: { S: model.definition },
        version: { S: model.version },
        [MODEL_REGISTRATION_ATTRIBUTE]: { S: registration },
      };
      if (current === undefined) {
        await this.put(item, { exists: false });
      } else if (owner === undefined) {
        // written before registrations were recorded: its owner is unknown, there is nothing to restore
        await this.put(item, { exists: true, owner: null });
      } else if (owner === registration) {
        // an update: the owner it replaced (if its Delete has not come yet) stays replaced
        const updated = replaced !== undefined ? { ...item, [MODEL_REPLACED_ATTRIBUTE]: { S: replaced } } : item;
        await this.put(updated, { owner, replaced: replaced ?? null });
      } else {
        if (await this.unlink(pk, current, registration)) return 'again';
        // another live resource owns the item: keep it, to restore it should this resource be deleted first
        await this.put(keptCopy(modelKeptItemKey(pk, owner), current), {});
        await this.put({ ...item, [MODEL_REPLACED_ATTRIBUTE]: { S: owner } }, { owner, replaced: replaced ?? null });
        this.log.info('model item taken over from a live registration; its item is kept until its Delete', { pk, registration, replaced: owner });
      }
      return 'done';
    });
  }

  /** Delete: removes what `registration` owns, restoring the item of the live owner it replaced. */
  public async unregister(pk: string, registration: string): Promise<void> {
    await this.withConflicts(pk, async () => {
      const current = await this.get(pk);
      if (current === undefined) return 'done';
      const owner = current[MODEL_REGISTRATION_ATTRIBUTE]?.S;
      const replaced = current[MODEL_REPLACED_ATTRIBUTE]?.S;
      if (owner === undefined) {
        // written before registrations were recorded
        await this.delete(pk, { owner: null });
        return 'done';
      }
      if (owner !== registration) {
        if (await this.unlink(pk, current, registration)) {
          this.log.info('model item left to the registration that replaced this one; the kept copy is dropped', { pk, registration, owner });
        } else {
          this.log.info('model item left: another registration wrote it (the DetectorModel was moved or renamed)', { pk, registration, owner });
        }
        return 'done';
      }
      const keptKey = replaced !== undefined ? modelKeptItemKey(pk, replaced) : undefined;
      const kept = keptKey !== undefined ? await this.get(keptKey) : undefined;
      if (keptKey !== undefined && kept !== undefined && kept[MODEL_REGISTRATION_ATTRIBUTE]?.S === replaced) {
        // the resource this one replaced lives on (a rolled back rename): its registration comes back
        await this.put({ ...keptCopy(pk, kept), detectorModelName: current.detectorModelName }, { owner, replaced: replaced ?? null });
        await this.delete(keptKey, {});
        this.log.info('model item restored to the registration this one replaced', { pk, registration, restored: replaced });
        return 'done';
      }
      await this.delete(pk, { owner, replaced: replaced ?? null });
      if (keptKey !== undefined) await this.delete(keptKey, {});
      return 'done';
    });
  }

  /**
   * Removes `registration` from the chain of replaced owners of the item (its resource is deleted, or owns the item
   * again): the holder that names it gets its successor, its kept copy is deleted. False when it is not in the chain.
   */
  private async unlink(pk: string, item: Item, registration: string): Promise<boolean> {
    let holder = item;
    const visited = new Set<string>();
    for (let next = holder[MODEL_REPLACED_ATTRIBUTE]?.S; next !== undefined && !visited.has(next); next = holder[MODEL_REPLACED_ATTRIBUTE]?.S) {
      visited.add(next);
      const keptKey = modelKeptItemKey(pk, next);
      const kept = await this.get(keptKey);
      if (next === registration) {
        const { [MODEL_REPLACED_ATTRIBUTE]: _dropped, ...rest } = holder;
        const successor = kept?.[MODEL_REPLACED_ATTRIBUTE];
        const holderOwner = holder === item ? holder[MODEL_REGISTRATION_ATTRIBUTE]?.S : undefined;
        await this.put(successor !== undefined ? { ...rest, [MODEL_REPLACED_ATTRIBUTE]: successor } : rest, {
          replaced: next, ...(holderOwner !== undefined ? { owner: holderOwner } : {}),
        });
        if (kept !== undefined) await this.delete(keptKey, {});
        return true;
      }
      if (kept === undefined) return false;
      holder = kept;
    }
    return false;
  }

  /** Runs `step` again (it reads first) while a conditional write finds the item changed. */
  private async withConflicts(pk: string, step: () => Promise<'done' | 'again'>): Promise<void> {
    for (let attempt = 1; attempt <= MAX_REGISTRATION_CONFLICTS; attempt++) {
      try {
        if (await step() === 'done') return;
      } catch (e) {
        if ((e as { name?: string })?.name !== 'ConditionalCheckFailedException') throw e;
      }
    }
    throw new Error(`model item ${pk} changed while this registration was written, ${MAX_REGISTRATION_CONFLICTS} times; `
      + 'another deployment registers the same detectorModelName in this runtime: deploy again once it is done');
  }

  private async get(pk: string): Promise<Item | undefined> {
    const out = await withRetries(() => this.dynamodb.send(new GetItemCommand({
      TableName: this.tableName, Key: { pk: { S: pk } }, ConsistentRead: true,
    })), { ...this.retry, label: 'GetItem' });
    return out?.Item;
  }

  private async put(item: Item, condition: Condition): Promise<void> {
    await withRetries(() => this.dynamodb.send(new PutItemCommand({ TableName: this.tableName, Item: item, ...conditionOf(condition) })),
      { ...this.retry, label: 'PutItem' });
  }

  private async delete(pk: string, condition: Condition): Promise<void> {
    const key = { pk: { S: pk } };
    await withRetries(() => this.dynamodb.send(new DeleteItemCommand({ TableName: this.tableName, Key: key, ...conditionOf(condition) })),
      { ...this.retry, label: 'DeleteItem' });
  }
}

/** A model item's registration (owner, definition, version, the owner it replaced) under another key. */
function keptCopy(pk: string, item: Item): Item {
  const copy: Item = { pk: { S: pk } };
  for (const name of [MODEL_REGISTRATION_ATTRIBUTE, 'definition', 'version', MODEL_REPLACED_ATTRIBUTE]) {
    if (item[name] !== undefined) copy[name] = item[name];
  }
  return copy;
}

/** What a write requires of the item it replaces: that it exists or not, its owner and replaced owner (`null`: none). */
interface Condition {
  readonly exists?: boolean;
  readonly owner?: string | null;
  readonly replaced?: string | null;
}

function conditionOf(c: Condition): Pick<PutItemCommand['input'], 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Item = {};
  if (c.exists !== undefined) parts.push(c.exists ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)');
  const attribute = (placeholder: string, name: string, value: string | null | undefined) => {
    if (value === undefined) return;
    names[`#${placeholder}`] = name;
    if (value === null) {
      parts.push(`attribute_not_exists(#${placeholder})`);
    } else {
      parts.push(`#${placeholder} = :${placeholder}`);
      values[`:${placeholder}`] = { S: value };
    }
  };
  attribute('registration', MODEL_REGISTRATION_ATTRIBUTE, c.owner);
  attribute('replaced', MODEL_REPLACED_ATTRIBUTE, c.replaced);
  if (parts.length === 0) return {};
  return {
    ConditionExpression: parts.join(' AND '),
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}
