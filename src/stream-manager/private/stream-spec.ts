/**
 * What an export contributes to a stream definition, already validated and converted to
 * wire units (milliseconds, bytes, SDK enum codes). Only the renderer in `stream-wire.ts`
 * turns this into the wire format.
 */
export interface ExportSpec {
  readonly destination: ExportDestination;
  readonly identifier: string;
  /** Kinesis: the data stream's name (may be a token). */
  readonly kinesisStreamName?: string;
  /** HTTP: the endpoint. */
  readonly uri?: string;
  readonly batchSize?: number;
  readonly batchIntervalMillis?: number;
  readonly priority?: number;
  readonly startSequenceNumber?: number;
  readonly disabled?: boolean;
  /** HTTP: the export format, as the public enum's value (`RAW_NOT_BATCHED`, `JSON_BATCHED`). */
  readonly exportFormat?: string;
  /** S3 tasks. */
  readonly sizeThresholdForMultipartUploadBytes?: number;
  /** S3 tasks: status stream name and status level (the public enum's value, e.g. `INFO`). */
  readonly statusStreamName?: string;
  readonly statusLevel?: string;
}

/** The destinations of `ExportDefinition`, by their wire key. */
export enum ExportDestination {
  HTTP = 'http',
  KINESIS = 'kinesis',
  IOT_SITEWISE = 'IotSitewise',
  S3_TASK_EXECUTOR = 's3TaskExecutor',
}

/** A stream definition, validated, in wire units. */
export interface StreamSpec {
  readonly name: string;
  readonly maxSizeBytes: number;
  readonly streamSegmentSizeBytes: number;
  readonly timeToLiveMillis?: number;
  /** The public enum's value (`REJECT_NEW_DATA`, `OVERWRITE_OLDEST_DATA`). */
  readonly strategyOnFull: string;
  /** The public enum's value (`FILE`, `MEMORY`). */
  readonly persistence?: string;
  readonly flushOnWrite?: boolean;
  readonly exports: ExportSpec[];
}
