/**
 * The Data API on the AWS runtime: BatchPutMessage goes through ingest routing; BatchUpdateDetector and
 * BatchDeleteDetector enqueue `update`/`delete` works in the detector's FIFO group (so they are ordered
 * with its messages); DescribeDetector and ListDetectors read the table (the GSI `byModel` for the list).
 *
 * The batch operations are asynchronous, as on IoT Events: an accepted entry is evaluated shortly after
 * the response. BatchUpdateDetector creates a detector that does not exist yet (so that a deploy can seed
 * detectors), as `DetectorSimulator` does; BatchDeleteDetector reports `ResourceNotFoundException` for a detector
 * that does not exist. An entry without keyValue for a model with a key names no detector:
 * `ResourceNotFoundException` in every operation, as in the simulator.
 *
 * A messageId is the caller's: each entry's work gets the delivery id `<request id>:<entry index>`, which the
 * processor's redelivery detection keys on, and the processor ignores a message whose messageId the detector
 * evaluated less than 5 minutes before (IoT Events ignored a messageId sent within the last five minutes), so a
 * client's retry is harmless. A repeated messageId within one request is refused at its repeat
 * (`InvalidRequestException`) in every batch operation, as the simulator refuses it.
 */
import { randomUUID } from 'node:crypto';
import { DetectorWorks, Ingest, IngestError } from './ingest';
import { LoadedModel, ModelRegistry } from './models';
import { DetectorRecord, DetectorStateStore } from './state-store';
import type {
  BatchDeleteDetectorRequest, BatchDeleteDetectorResponse, BatchErrorEntry, BatchPutMessageRequest, BatchPutMessageResponse,
  BatchUpdateDetectorRequest, BatchUpdateDetectorResponse, DescribeDetectorRequest, DescribeDetectorResponse,
  DetectorSummary, ListDetectorsRequest, ListDetectorsResponse,
} from '../../../detector/simulator';
import { KEY_VALUE_PATTERN, repeatedMessageId } from '../../../private/detector-engine/data-api-limits';
import { variableText } from '../../../private/detector-engine/json-text';
import { DataApiBackend, DataApiError, DataApiRequestContext, inRequestOrder } from '../data-api/backend';

const MAX_TIMER_SECONDS = 31_622_400;

export interface AwsDetectorBackendProps {
  readonly store: DetectorStateStore;
  readonly models: ModelRegistry;
  readonly ingest: Ingest;
  readonly now?: () => number;
}

export class AwsDetectorBackend implements DataApiBackend {
  private readonly now: () => number;

  constructor(private readonly props: AwsDetectorBackendProps) {
    this.now = props.now ?? Date.now;
  }

  public async batchPutMessage(req: BatchPutMessageRequest, ctx?: DataApiRequestContext): Promise<BatchPutMessageResponse> {
    const t = this.now();
    const requestId = ctx?.requestId ?? randomUUID();
    // error entries in the order of the request's messages: a repeated messageId is refused at its entry, the
    // others' errors (routing, the queue) are placed at the entry of their messageId
    const failed: Array<{ index: number; error: IngestError }> = [];
    const indexOf = new Map<string, number>();
    const messages = [];
    for (const [i, m] of req.messages.entries()) {
      if (indexOf.has(m.messageId)) {
        failed.push({ index: i, error: { messageId: m.messageId, errorCode: 'InvalidRequestException', errorMessage: repeatedMessageId(m.messageId) } });
        continue;
      }
      indexOf.set(m.messageId, i);
      messages.push({
        messageId: m.messageId,
        deliveryId: `${requestId}:${i}`,
        inputName: m.inputName,
        payload: payloadText(m.payload),
        timestampMs: m.timestamp?.timeInMillis ?? t,
      });
    }
    for (const error of await this.props.ingest.putMessages(messages)) {
      failed.push({ index: indexOf.get(error.messageId) ?? req.messages.length, error });
    }
    const entries = failed.sort((a, b) => a.index - b.index).map((f) => toEntry(f.error));
    return { batchPutMessageErrorEntries: entries, BatchPutMessageErrorEntries: entries } as BatchPutMessageResponse;
  }

  public async batchUpdateDetector(req: BatchUpdateDetectorRequest, ctx?: DataApiRequestContext): Promise<BatchUpdateDetectorResponse> {
    const t = this.now();
    const requestId = ctx?.requestId ?? randomUUID();
    const errors: BatchErrorEntry[] = [];
    const detectors: DetectorWorks[] = [];
    const seen = new Set<string>();
    for (const [i, d] of req.detectors.entries()) {
      const fail = (code: string, text: string) => errors.push({ messageId: d.messageId, errorCode: code, errorMessage: text });
      if (seen.has(d.messageId)) {
        fail('InvalidRequestException', repeatedMessageId(d.messageId));
        continue;
      }
      seen.add(d.messageId);
      const model = await this.props.models.get(d.detectorModelName);
      if (!model) {
        fail('ResourceNotFoundException', this.unknownModel(d.detectorModelName));
        continue;
      }
      // no keyValue for a model with a key names no detector (keyValue is optional in the service model): as
      // describeDetector and batchDeleteDetector answer it, and as the simulator does
      const keyValue = this.keyOf(model, d.keyValue);
      if (keyValue === undefined) {
        fail('ResourceNotFoundException', `detector model '${model.name}' has the key ${model.compiled.key}; give keyValue`);
        continue;
      }
      // the REST binding checked the pattern; a direct caller of the backend may not have
      if (keyValue !== '' && (keyValue.length > 128 || !KEY_VALUE_PATTERN.test(keyValue))) {
        fail('InvalidRequestException', `keyValue ${JSON.stringify(keyValue)} is not 1-128 characters of letters, digits, '-', '_' and ':'`);
        continue;
      }
      if (!model.compiled.stateNames.includes(d.state.stateName)) {
        fail('InvalidRequestException', `state '${d.state.stateName}' is not a state of '${model.name}' (${model.compiled.stateNames.join(', ')})`);
        continue;
      }
      const bad = (d.state.timers ?? []).find((x) => !Number.isInteger(x.seconds) || x.seconds < 1 || x.seconds > MAX_TIMER_SECONDS);
      if (bad) {
        fail('InvalidRequestException', `timer '${bad.name}' seconds must be an integer from 1 to ${MAX_TIMER_SECONDS}, got ${bad.seconds}`);
        continue;
      }
      detectors.push({
        detectorModelName: model.name,
        keyValue,
        works: [{
          kind: 'update',
          messageId: d.messageId,
          deliveryId: `${requestId}:${i}`,
          stateName: d.state.stateName,
          timestampMs: t,
          variables: (d.state.variables ?? []).map((v) => ({ name: v.name, value: v.value })),
          timers: (d.state.timers ?? []).map((x) => ({ name: x.name, seconds: x.seconds })),
        }],
        sources: [d.messageId],
      });
    }
    // the queue's failures come after the checks': back in request order
    errors.push(...(await this.props.ingest.send(detectors)).map(toEntry));
    return { batchUpdateDetectorErrorEntries: inRequestOrder(errors, req.detectors.map((d) => d.messageId)) };
  }

  public async batchDeleteDetector(req: BatchDeleteDetectorRequest, ctx?: DataApiRequestContext): Promise<BatchDeleteDetectorResponse> {
    const t = this.now();
    const requestId = ctx?.requestId ?? randomUUID();
    const errors: BatchErrorEntry[] = [];
    const detectors: DetectorWorks[] = [];
    const seen = new Set<string>();
    for (const [i, d] of req.detectors.entries()) {
      if (seen.has(d.messageId)) {
        errors.push({ messageId: d.messageId, errorCode: 'InvalidRequestException', errorMessage: repeatedMessageId(d.messageId) });
        continue;
      }
      seen.add(d.messageId);
      const found = await this.find(d.detectorModelName, d.keyValue);
      if (typeof found === 'string') {
        errors.push({ messageId: d.messageId, errorCode: 'ResourceNotFoundException', errorMessage: found });
        continue;
      }
      detectors.push({
        detectorModelName: found.detectorModelName,
        keyValue: found.keyValue,
        works: [{ kind: 'delete', messageId: d.messageId, deliveryId: `${requestId}:${i}`, timestampMs: t }],
        sources: [d.messageId],
      });
    }
    errors.push(...(await this.props.ingest.send(detectors)).map(toEntry));
    return { batchDeleteDetectorErrorEntries: inRequestOrder(errors, req.detectors.map((d) => d.messageId)) };
  }

  public async describeDetector(req: DescribeDetectorRequest): Promise<DescribeDetectorResponse> {
    const found = await this.find(req.detectorModelName, req.keyValue);
    if (typeof found === 'string') throw new DataApiError('ResourceNotFoundException', found);
    const model = (await this.props.models.get(found.detectorModelName))!;
    const i = found.instance!;
    return {
      detector: {
        detectorModelName: found.detectorModelName,
        ...(model.compiled.key !== undefined ? { keyValue: found.keyValue } : {}),
        detectorModelVersion: model.version,
        state: {
          stateName: i.stateName,
          variables: Object.keys(i.variables).sort().map((name) => ({ name, value: variableText(i.variables[name]) })),
          timers: Object.keys(i.timers).sort().map((name) => ({ name, timestamp: new Date(i.timers[name].dueAtMs) })),
        },
        creationTime: new Date(found.creationTime ?? 0),
        lastUpdateTime: new Date(found.lastUpdateTime ?? 0),
      },
    };
  }

  public async listDetectors(req: ListDetectorsRequest): Promise<ListDetectorsResponse> {
    const model = await this.props.models.get(req.detectorModelName);
    if (!model) throw new DataApiError('ResourceNotFoundException', this.unknownModel(req.detectorModelName));
    const max = req.maxResults ?? 250;
    if (!Number.isInteger(max) || max < 1 || max > 250) {
      throw new DataApiError('InvalidRequestException', `maxResults must be an integer from 1 to 250, got ${max}`);
    }
    let startKey: Record<string, string> | undefined;
    // an empty nextToken is the first page, as in the simulator
    if (req.nextToken !== undefined && req.nextToken !== '') {
      try {
        startKey = JSON.parse(Buffer.from(req.nextToken, 'base64url').toString('utf8'));
        if (startKey?.detectorModelName !== model.name) throw new Error('another model');
      } catch {
        throw new DataApiError('InvalidRequestException', `nextToken ${JSON.stringify(req.nextToken)} was not returned by listDetectors for '${model.name}'`);
      }
    }
    const page = await this.props.store.list(model.name, { stateName: req.stateName, limit: max, startKey });
    return {
      detectorSummaries: page.records.map((r) => summary(model, r)),
      ...(page.nextKey ? { nextToken: Buffer.from(JSON.stringify(page.nextKey), 'utf8').toString('base64url') } : {}),
    };
  }

  private keyOf(model: LoadedModel, keyValue: string | undefined): string | undefined {
    if (model.compiled.key === undefined) return '';
    return keyValue === undefined || keyValue === '' ? undefined : keyValue;
  }

  private async find(detectorModelName: string, keyValue: string | undefined): Promise<DetectorRecord | string> {
    const model = await this.props.models.get(detectorModelName);
    if (!model) return this.unknownModel(detectorModelName);
    const k = this.keyOf(model, keyValue);
    if (k === undefined) return `detector model '${model.name}' has the key ${model.compiled.key}; give keyValue`;
    const rec = await this.props.store.find(model.name, k);
    if (!rec) return `detector model '${model.name}' has no detector${model.compiled.key !== undefined ? ` for key value '${k}'` : ''}`;
    return rec;
  }

  private unknownModel(name: string): string {
    return `detector model '${name}' does not exist; the runtime has ${this.props.models.modelNames.join(', ') || 'no models'}`;
  }
}

function summary(model: LoadedModel, r: DetectorRecord): DetectorSummary {
  return {
    detectorModelName: model.name,
    ...(model.compiled.key !== undefined ? { keyValue: r.keyValue } : {}),
    detectorModelVersion: model.version,
    state: { stateName: r.instance!.stateName },
    creationTime: new Date(r.creationTime ?? 0),
    lastUpdateTime: new Date(r.lastUpdateTime ?? 0),
  };
}


function toEntry(e: IngestError): BatchErrorEntry {
  return { messageId: e.messageId, errorCode: e.errorCode, errorMessage: e.errorMessage };
}

/** The payload as JSON text: the REST binding hands the decoded blob (bytes); a string or object is accepted too. */
function payloadText(payload: unknown): string {
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  if (typeof payload === 'string') return payload;
  return JSON.stringify(payload);
}
