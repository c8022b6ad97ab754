/**
 * Detector state in DynamoDB (table env `DETECTOR_TABLE_NAME`, partition key `pk`, GSI `byModel`).
 *
 * One item per detector, `pk = "detector#<model>#<keyValue>"` (keyless model: keyValue `""`):
 * `detectorModelName`, `keyValue`, `stateName` (for ListDetectors' filter), `instance` (the evaluator's
 * DetectorInstance, JSON written by `writeJsonText` and read by `parseJsonText`, so that a variable holding an
 * integral decimal is stored `20.0` and read back a decimal), `version` (N, +1 per write), `seen` (the short ids of the last `SEEN_LIMIT` works,
 * space-separated), `lastPack` (the id of the last pack written: a redelivered pack of more works than
 * `seen` holds is still recognized), `messageIds` (the Data API messageIds the detector evaluated in the last 5
 * minutes with their times, at most `MESSAGE_ID_LIMIT`, space-separated; absent when there is none), `outbox` (the external actions of the last write, JSON), `creationTime`, `lastUpdateTime`
 * (epoch ms).
 *
 * - Every write is conditional: `attribute_not_exists(pk)` for a new item, `version = :v` otherwise. A
 *   failed condition throws `StateConflictError`; the processor re-reads, re-evaluates and writes again.
 * - A deleted detector (BatchDeleteDetector) leaves a tombstone: the item keeps `pk`, `version`, `seen` and
 *   `outbox` but loses `detectorModelName`, so it drops out of the sparse GSI `byModel` and is not found by
 *   `describe`; its `seen` ids still stop a redelivered pack from being evaluated twice.
 * - Reads are strongly consistent (the version must be the latest one, or every write would conflict).
 * - `seen` is bounded: a FIFO group holds one pack in flight, so only the last packs can be redelivered;
 *   ingest retries within 5 minutes are dropped by SQS' deduplication id. 64 ids of 11 characters keep the
 *   item under 1 KB (1 write capacity unit) for a detector with a few variables and timers.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DetectorInstance, ExternalActionType } from '../../../private/detector-engine/evaluator';
import { parseJsonText, writeJsonText } from '../../../private/detector-engine/json-text';

/** How many work ids a detector remembers. */
export const SEEN_LIMIT = 64;

/**
 * How many Data API messageIds of the last 5 minutes a detector remembers (17 bytes each in the item, so that a
 * detector fed through the Data API stays near 1 KB per write).
 */
export const MESSAGE_ID_LIMIT = 32;

/** An external action to execute after the state write (at least once). */
export interface OutboxEntry {
  /** `<work short id>#<action index>`: the idempotency key. */
  readonly id: string;
  /** The short id of the work that caused it (a redelivered work re-executes its entries). */
  readonly work: string;
  readonly type: ExternalActionType;
  readonly config: Record<string, unknown>;
  readonly payload: string | undefined;
  readonly payloadType: 'JSON' | 'STRING';
}

/** A detector as stored (or not yet: `version` 0). */
export interface DetectorRecord {
  readonly detectorModelName: string;
  readonly keyValue: string;
  /** Undefined: no detector (never created, or deleted). */
  readonly instance: DetectorInstance | undefined;
  /** 0 = no item in the table. */
  readonly version: number;
  readonly seen: readonly string[];
  /** The Data API messageIds evaluated in the last 5 minutes, with their times (`messageIdEntry`). */
  readonly messageIds?: readonly string[];
  /** The id of the last pack written (`packId`). */
  readonly lastPack?: string;
  readonly outbox: readonly OutboxEntry[];
  readonly creationTime: number | undefined;
  readonly lastUpdateTime: number | undefined;
}

/** A conditional write failed: another writer changed the detector first. */
export class StateConflictError extends Error {
  constructor(readonly pk: string, readonly expectedVersion: number) {
    super(`detector item ${pk} is no longer at version ${expectedVersion}; re-read and evaluate again`);
    this.name = 'StateConflictError';
  }
}

/** One page of a model's detectors. */
export interface DetectorPage {
  readonly records: DetectorRecord[];
  /** Where the next page starts; undefined on the last page. */
  readonly nextKey?: Record<string, string>;
}

export function detectorPk(detectorModelName: string, keyValue: string): string {
  return `detector#${detectorModelName}#${keyValue}`;
}

/** Reads and writes detector items. */
export class DetectorStateStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** The detector (strongly consistent read); a record of version 0 when there is no item. */
  public async get(detectorModelName: string, keyValue: string): Promise<DetectorRecord> {
    const out = await this.doc.send(new GetCommand({
      TableName: this.tableName,
      Key: { pk: detectorPk(detectorModelName, keyValue) },
      ConsistentRead: true,
    }));
    return out.Item ? fromItem(out.Item, detectorModelName, keyValue) : emptyRecord(detectorModelName, keyValue);
  }

  /** The detector, when it exists (an eventually consistent read: DescribeDetector). */
  public async find(detectorModelName: string, keyValue: string): Promise<DetectorRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: detectorPk(detectorModelName, keyValue) } }));
    const rec = out.Item ? fromItem(out.Item, detectorModelName, keyValue) : undefined;
    return rec?.instance ? rec : undefined;
  }

  /**
   * Writes the next version of a detector, conditional on `previous.version`.
   *
   * @throws StateConflictError when the item changed since `previous` was read
   */
  public async save(previous: DetectorRecord, next: Omit<DetectorRecord, 'version' | 'detectorModelName' | 'keyValue'>): Promise<DetectorRecord> {
    const pk = detectorPk(previous.detectorModelName, previous.keyValue);
    const version = previous.version + 1;
    const item: Record<string, unknown> = {
      pk,
      version,
      seen: next.seen.join(' '),
    };
    if (next.lastPack !== undefined) item.lastPack = next.lastPack;
    if (next.messageIds !== undefined && next.messageIds.length > 0) item.messageIds = next.messageIds.join(' ');
    if (next.outbox.length > 0) item.outbox = JSON.stringify(next.outbox);
    if (next.instance) {
      item.detectorModelName = previous.detectorModelName;
      item.keyValue = previous.keyValue;
      item.stateName = next.instance.stateName;
      item.instance = writeJsonText({ stateName: next.instance.stateName, variables: next.instance.variables, timers: next.instance.timers });
      item.creationTime = next.creationTime;
      item.lastUpdateTime = next.lastUpdateTime;
    }
    try {
      await this.doc.send(new PutCommand({
        TableName: this.tableName,
        Item: item,
        ...(previous.version === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previous.version } }),
      }));
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException || (e as Error).name === 'ConditionalCheckFailedException') {
        throw new StateConflictError(pk, previous.version);
      }
      throw e;
    }
    return { ...next, detectorModelName: previous.detectorModelName, keyValue: previous.keyValue, version };
  }

  /**
   * A page of a model's detectors from the GSI `byModel` (ordered by key value), optionally only those in
   * `stateName`. `limit` detectors at most; `startKey` is a page's `nextKey`.
   */
  public async list(
    detectorModelName: string, opts: { stateName?: string; limit: number; startKey?: Record<string, string> },
  ): Promise<DetectorPage> {
    const records: DetectorRecord[] = [];
    let startKey = opts.startKey;
    for (;;) {
      const out = await this.doc.send(new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byModel',
        KeyConditionExpression: 'detectorModelName = :m',
        ...(opts.stateName !== undefined
          ? { FilterExpression: 'stateName = :s', ExpressionAttributeValues: { ':m': detectorModelName, ':s': opts.stateName } }
          : { ExpressionAttributeValues: { ':m': detectorModelName } }),
        Limit: opts.limit - records.length + 1,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }));
      for (const item of out.Items ?? []) {
        const rec = fromItem(item, detectorModelName, String(item.keyValue));
        if (records.length === opts.limit) {
          // one more detector exists: the page ends at the last one returned
          const last = records[records.length - 1];
          return { records, nextKey: indexKey(last) };
        }
        records.push(rec);
      }
      if (!out.LastEvaluatedKey) return { records };
      startKey = out.LastEvaluatedKey as Record<string, string>;
    }
  }
}

function indexKey(rec: DetectorRecord): Record<string, string> {
  return { pk: detectorPk(rec.detectorModelName, rec.keyValue), detectorModelName: rec.detectorModelName, keyValue: rec.keyValue };
}

function emptyRecord(detectorModelName: string, keyValue: string): DetectorRecord {
  return { detectorModelName, keyValue, instance: undefined, version: 0, seen: [], outbox: [], creationTime: undefined, lastUpdateTime: undefined };
}

function fromItem(item: Record<string, any>, detectorModelName: string, keyValue: string): DetectorRecord {
  const stored = typeof item.instance === 'string' ? parseJsonText(item.instance) as Omit<DetectorInstance, 'keyValue'> : undefined;
  const instance: DetectorInstance | undefined = stored
    ? { ...(item.keyValue !== undefined && item.keyValue !== '' ? { keyValue: String(item.keyValue) } : {}), ...stored }
    : undefined;
  return {
    detectorModelName,
    keyValue,
    instance,
    version: Number(item.version ?? 0),
    seen: typeof item.seen === 'string' && item.seen !== '' ? item.seen.split(' ') : [],
    ...(typeof item.messageIds === 'string' && item.messageIds !== '' ? { messageIds: item.messageIds.split(' ') } : {}),
    ...(typeof item.lastPack === 'string' ? { lastPack: item.lastPack } : {}),
    outbox: typeof item.outbox === 'string' ? JSON.parse(item.outbox) : [],
    creationTime: item.creationTime !== undefined ? Number(item.creationTime) : undefined,
    lastUpdateTime: item.lastUpdateTime !== undefined ? Number(item.lastUpdateTime) : undefined,
  };
}
