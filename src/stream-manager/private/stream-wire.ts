import { ExportDestination, ExportSpec, StreamSpec } from './stream-spec';

/**
 * The one renderer of the Stream Manager wire format: a `MessageStreamDefinition` as the
 * Stream Manager SDKs serialize it (`asMap()` / `as_dict()`): camelCase keys, enums as the
 * SDKs' integer codes, absent optional fields omitted, keys in the SDKs' order.
 * `maxSize`, `streamSegmentSize` and `strategyOnFull` are always present: the SDKs fill in
 * the first two and require the third.
 */
export function renderStreamDefinition(spec: StreamSpec): Record<string, any> {
  const out: Record<string, any> = {
    name: spec.name,
    maxSize: spec.maxSizeBytes,
    streamSegmentSize: spec.streamSegmentSizeBytes,
  };
  setIfDefined(out, 'timeToLiveMillis', spec.timeToLiveMillis);
  out.strategyOnFull = code(STRATEGY_ON_FULL_CODES, 'strategyOnFull', spec.strategyOnFull);
  setIfDefined(out, 'persistence', spec.persistence === undefined ? undefined : code(PERSISTENCE_CODES, 'persistence', spec.persistence));
  setIfDefined(out, 'flushOnWrite', spec.flushOnWrite);
  const exportDefinition = renderExportDefinition(spec.exports);
  if (exportDefinition) {
    out.exportDefinition = exportDefinition;
  }
  return out;
}

/** `ExportDefinition`: one list per destination, in the SDKs' key order; empty lists left out. */
function renderExportDefinition(exports: ExportSpec[]): Record<string, any> | undefined {
  if (exports.length === 0) {
    return undefined;
  }
  const order = [ExportDestination.HTTP, ExportDestination.KINESIS, ExportDestination.IOT_SITEWISE, ExportDestination.S3_TASK_EXECUTOR];
  const out: Record<string, any> = {};
  for (const destination of order) {
    const configs = exports.filter(e => e.destination === destination).map(renderExportConfig);
    if (configs.length > 0) {
      out[destination] = configs;
    }
  }
  return out;
}

function renderExportConfig(spec: ExportSpec): Record<string, any> {
  const out: Record<string, any> = { identifier: spec.identifier };
  switch (spec.destination) {
    case ExportDestination.S3_TASK_EXECUTOR:
      setIfDefined(out, 'sizeThresholdForMultipartUploadBytes', spec.sizeThresholdForMultipartUploadBytes);
      setIfDefined(out, 'priority', spec.priority);
      setIfDefined(out, 'disabled', spec.disabled);
      if (spec.statusStreamName !== undefined) {
        const statusConfig: Record<string, any> = {};
        setIfDefined(statusConfig, 'statusLevel', spec.statusLevel === undefined ? undefined : code(STATUS_LEVEL_CODES, 'statusLevel', spec.statusLevel));
        statusConfig.statusStreamName = spec.statusStreamName;
        out.statusConfig = statusConfig;
      }
      return out;
    case ExportDestination.KINESIS:
      out.kinesisStreamName = spec.kinesisStreamName;
      break;
    case ExportDestination.HTTP:
      out.uri = spec.uri;
      break;
    case ExportDestination.IOT_SITEWISE:
      break;
  }
  setIfDefined(out, 'batchSize', spec.batchSize);
  setIfDefined(out, 'batchIntervalMillis', spec.batchIntervalMillis);
  setIfDefined(out, 'priority', spec.priority);
  setIfDefined(out, 'startSequenceNumber', spec.startSequenceNumber);
  setIfDefined(out, 'disabled', spec.disabled);
  if (spec.destination === ExportDestination.HTTP) {
    setIfDefined(out, 'exportFormat', spec.exportFormat === undefined ? undefined : code(EXPORT_FORMAT_CODES, 'exportFormat', spec.exportFormat));
  }
  return out;
}

/** The SDKs encode their enums as these integers (`StrategyOnFull`, `Persistence`, `StatusLevel`, `ExportFormat`). */
const STRATEGY_ON_FULL_CODES: Record<string, number> = { REJECT_NEW_DATA: 0, OVERWRITE_OLDEST_DATA: 1 };
const PERSISTENCE_CODES: Record<string, number> = { FILE: 0, MEMORY: 1 };
const STATUS_LEVEL_CODES: Record<string, number> = { ERROR: 0, WARN: 1, INFO: 2, DEBUG: 3, TRACE: 4 };
const EXPORT_FORMAT_CODES: Record<string, number> = { RAW_NOT_BATCHED: 0, JSON_BATCHED: 1 };

function code(table: Record<string, number>, field: string, value: string): number {
  const result = table[value];
  if (result === undefined) {
    throw new Error(`${field} must be one of ${Object.keys(table).join(', ')}, got '${value}'; use the enum's members`);
  }
  return result;
}

function setIfDefined(target: Record<string, any>, key: string, value: unknown): void {
  if (value !== undefined) {
    target[key] = value;
  }
}
