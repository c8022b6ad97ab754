import { Annotations, Duration, Size, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeGrantedWildcards } from '../private/nag';
import { ExportDestination, ExportSpec } from './private/stream-spec';
import {
  durationMillis,
  sizeBytes,
  STREAM_LIMITS,
  validateIntegerRange,
  validateSequenceNumber,
  validateStreamIdentifier,
} from './private/stream-validation';
import type { StreamDefinition } from './stream-definition';

/**
 * What a stream export is bound with when its stream is deployed.
 */
export interface StreamExportBindOptions {
  /**
   * The role that the core devices running Stream Manager assume through the token exchange
   * service. The export grants it what Stream Manager needs to write to the destination.
   */
  readonly deviceRole: iam.IRole;
}

/**
 * Options every export has.
 */
export interface StreamExportOptions {
  /**
   * Identifies the export within its stream (1 to 255 letters, digits, spaces, commas,
   * periods, hyphens or underscores). Unique within the stream.
   */
  readonly identifier: string;

  /**
   * Priority of this export against the device's other exports, 1 (highest) to 10 (lowest).
   *
   * @default - the lowest priority
   */
  readonly priority?: number;

  /**
   * Whether the export is paused.
   *
   * @default false
   */
  readonly disabled?: boolean;
}

/**
 * Options of exports that upload messages in batches.
 */
export interface BatchedStreamExportOptions extends StreamExportOptions {
  /**
   * How many messages Stream Manager batches before uploading.
   * The allowed range depends on the destination.
   *
   * @default - the destination's maximum
   */
  readonly batchSize?: number;

  /**
   * Upload a batch once its oldest message is this old, even when the batch is not full.
   * At least 60 seconds.
   *
   * @default - messages are uploaded as soon as possible
   */
  readonly batchInterval?: Duration;

  /**
   * Sequence number of the first message to export.
   *
   * @default 0
   */
  readonly startSequenceNumber?: number;
}

/**
 * A destination that Stream Manager exports a stream to.
 *
 * Exports validate their limits when they are created and, when their stream is deployed,
 * grant the devices' role the permissions the destination needs (see `bind`).
 */
export abstract class StreamExport {
  /**
   * The export's identifier, unique within its stream.
   */
  public abstract readonly identifier: string;

  /**
   * What the renderer needs.
   * @internal
   */
  public abstract readonly _spec: ExportSpec;

  /**
   * The name of the status stream this export appends status messages to, if any.
   * The status stream must be defined in the same set of streams.
   *
   * @returns the stream name, or undefined when the export has no status stream
   */
  public statusStreamName(): string | undefined {
    return this._spec.statusStreamName;
  }

  /**
   * Grants `options.deviceRole` what Stream Manager needs to export to this destination, and
   * adds warnings for what should not stop synthesis to `scope`.
   */
  public abstract bind(scope: Construct, options: StreamExportBindOptions): void;
}

/**
 * Properties of a Kinesis Data Streams export.
 */
export interface KinesisExportProps extends BatchedStreamExportOptions {}

/**
 * Exports a stream to a Kinesis data stream (`KinesisConfig`).
 *
 * Batch size 1 to 500. Grants the devices' role `kinesis:PutRecord`, `kinesis:PutRecords`
 * and `kinesis:DescribeStream` on the data stream, and `kms:GenerateDataKey` on its key when
 * the stream is encrypted with a customer-managed key.
 */
export class KinesisExport extends StreamExport {
  public readonly identifier: string;
  /** @internal */
  public readonly _spec: ExportSpec;

  /**
   * The Kinesis data stream the messages are exported to.
   */
  public readonly stream: kinesis.IStream;

  constructor(stream: kinesis.IStream, props: KinesisExportProps) {
    const what = `KinesisExport '${props.identifier}'`;
    validateStreamIdentifier('identifier of KinesisExport', props.identifier);
    validateIntegerRange(`batchSize of ${what}`, props.batchSize, 1, STREAM_LIMITS.kinesisBatchMax,
      'Kinesis PutRecords takes 1 to 500 records');
    validatePriority(what, props.priority);
    validateSequenceNumber(`startSequenceNumber of ${what}`, props.startSequenceNumber);
    super();
    this.identifier = props.identifier;
    this._spec = {
      destination: ExportDestination.KINESIS,
      identifier: props.identifier,
      kinesisStreamName: stream.streamName,
      batchSize: props.batchSize,
      batchIntervalMillis: durationMillis(`batchInterval of ${what}`, props.batchInterval),
      priority: props.priority,
      startSequenceNumber: props.startSequenceNumber,
      disabled: props.disabled,
    };
    this.stream = stream;
  }

  public bind(_scope: Construct, options: StreamExportBindOptions): void {
    this.stream.grant(options.deviceRole, 'kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:DescribeStream');
    this.stream.encryptionKey?.grant(options.deviceRole, 'kms:GenerateDataKey');
  }
}

/**
 * Properties of an AWS IoT SiteWise export.
 */
export interface IotSiteWiseExportProps extends BatchedStreamExportOptions {}

/**
 * Exports a stream of `PutAssetPropertyValueEntry` messages to AWS IoT SiteWise
 * (`IoTSiteWiseConfig`).
 *
 * Batch size 1 to 10. Grants the devices' role `iotsitewise:BatchPutAssetPropertyValue` on
 * the assets and time series of the stack's account and region.
 */
export class IotSiteWiseExport extends StreamExport {
  public readonly identifier: string;
  /** @internal */
  public readonly _spec: ExportSpec;

  constructor(props: IotSiteWiseExportProps) {
    const what = `IotSiteWiseExport '${props.identifier}'`;
    validateStreamIdentifier('identifier of IotSiteWiseExport', props.identifier);
    validateIntegerRange(`batchSize of ${what}`, props.batchSize, 1, STREAM_LIMITS.siteWiseBatchMax,
      'IoT SiteWise exports take 1 to 10 entries per batch');
    validatePriority(what, props.priority);
    validateSequenceNumber(`startSequenceNumber of ${what}`, props.startSequenceNumber);
    super();
    this.identifier = props.identifier;
    this._spec = {
      destination: ExportDestination.IOT_SITEWISE,
      identifier: props.identifier,
      batchSize: props.batchSize,
      batchIntervalMillis: durationMillis(`batchInterval of ${what}`, props.batchInterval),
      priority: props.priority,
      startSequenceNumber: props.startSequenceNumber,
      disabled: props.disabled,
    };
  }

  public bind(scope: Construct, options: StreamExportBindOptions): void {
    const stack = Stack.of(scope);
    const resources = [
      stack.formatArn({ service: 'iotsitewise', resource: 'asset', resourceName: '*' }),
      stack.formatArn({ service: 'iotsitewise', resource: 'time-series', resourceName: '*' }),
    ];
    options.deviceRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['iotsitewise:BatchPutAssetPropertyValue'], resources }));
    acknowledgeGrantedWildcards(options.deviceRole, resources, `IoT SiteWise export ${this.identifier}: Stream Manager writes the `
      + 'PutAssetPropertyValueEntry messages components append to the stream, each naming its asset property (ids or alias) on the device; '
      + 'only iotsitewise:BatchPutAssetPropertyValue, in the stack\'s account and region');
  }
}

/**
 * Verbosity of the status messages an S3 export task executor appends to its status stream.
 */
export enum StatusLevel {
  /** Errors only. */
  ERROR = 'ERROR',
  /** Errors and warnings. */
  WARN = 'WARN',
  /** Errors, warnings and progress (AWS's recommended level). */
  INFO = 'INFO',
  /** Debugging detail. */
  DEBUG = 'DEBUG',
  /** Everything. */
  TRACE = 'TRACE',
}

/**
 * An S3 bucket, and optionally a key prefix, that the S3 export tasks of a stream may write to.
 */
export interface S3ExportTaskDestination {
  /**
   * The bucket.
   */
  readonly bucket: s3.IBucket;

  /**
   * Only keys that start with this prefix (for example `telemetry/`). No wildcards.
   *
   * @default - any key in the bucket
   */
  readonly keyPrefix?: string;

  /**
   * Each device may write only under `<keyPrefix><its thing name>/` (the grant uses the IAM policy
   * variable `${credentials-iot:ThingName}` that the AWS IoT credentials provider sets), so that one
   * device of a fleet cannot overwrite another's objects. Components name their keys with the
   * `AWS_IOT_THING_NAME` environment variable. `false`: every device may write any key under
   * `keyPrefix`.
   *
   * @see https://docs.aws.amazon.com/iot/latest/developerguide/authorizing-direct-aws.html
   * @default true
   */
  readonly perDevice?: boolean;
}

/** The IAM policy variable for the thing name of the device whose credentials sign the request. */
export const CREDENTIALS_THING_NAME_VARIABLE = '${credentials-iot:ThingName}';

/**
 * Properties of an S3 export task executor.
 */
export interface S3TaskExportProps extends StreamExportOptions {
  /**
   * The buckets (and key prefixes) that the export tasks appended to the stream may upload to.
   *
   * Each message appended to the stream is an `S3ExportTaskDefinition` naming its own bucket
   * and key; the devices' role is granted writes to these destinations and nothing else,
   * so a task naming another bucket fails with access denied.
   */
  readonly destinations: S3ExportTaskDestination[];

  /**
   * Files larger than this are uploaded with a multipart upload. At least 5 MiB.
   *
   * @default - Stream Manager's default
   */
  readonly multipartThreshold?: Size;

  /**
   * The stream that receives a status message for each task. It must be defined in the same
   * set of streams as this export's stream, and is created before it on the device.
   *
   * @default - no status messages
   */
  readonly statusStream?: StreamDefinition;

  /**
   * Verbosity of the status messages. Only with `statusStream`.
   *
   * @default StatusLevel.INFO when a status stream is set
   */
  readonly statusLevel?: StatusLevel;
}

/**
 * Uploads files to Amazon S3 for each export task appended to the stream
 * (`S3ExportTaskExecutorConfig`).
 *
 * Grants the devices' role `s3:PutObject`, `s3:AbortMultipartUpload` and
 * `s3:ListMultipartUploadParts` on the objects under each destination's prefix (and, unless
 * `perDevice` is false, under the device's own thing name below it), and
 * `kms:GenerateDataKey` and `kms:Decrypt` on a destination bucket's customer-managed key.
 */
export class S3TaskExport extends StreamExport {
  public readonly identifier: string;
  /** @internal */
  public readonly _spec: ExportSpec;

  /**
   * Where the export tasks may write.
   */
  public readonly destinations: S3ExportTaskDestination[];

  constructor(props: S3TaskExportProps) {
    const what = `S3TaskExport '${props.identifier}'`;
    validateStreamIdentifier('identifier of S3TaskExport', props.identifier);
    validatePriority(what, props.priority);
    if (props.destinations.length === 0) {
      throw new Error(`destinations of ${what} must list at least one bucket, got none; add { bucket, keyPrefix } for each bucket the export tasks write to, so the devices' role can be granted access`);
    }
    for (const destination of props.destinations) {
      validateKeyPrefix(what, destination.keyPrefix);
    }
    if (props.statusLevel !== undefined && props.statusStream === undefined) {
      throw new Error(`statusLevel of ${what} is set to ${props.statusLevel} but there is no statusStream; add statusStream (a StreamDefinition in the same set) or remove statusLevel`);
    }
    super();
    this.identifier = props.identifier;
    this._spec = {
      destination: ExportDestination.S3_TASK_EXECUTOR,
      identifier: props.identifier,
      sizeThresholdForMultipartUploadBytes: sizeBytes(`multipartThreshold of ${what}`, props.multipartThreshold,
        STREAM_LIMITS.multipartThresholdMinBytes, Number.MAX_SAFE_INTEGER, 'S3 multipart parts are at least 5 MiB: use Size.mebibytes(5) or more'),
      priority: props.priority,
      disabled: props.disabled,
      statusStreamName: props.statusStream?.streamName,
      statusLevel: props.statusStream ? (props.statusLevel ?? StatusLevel.INFO) : undefined,
    };
    this.destinations = [...props.destinations];
  }

  public bind(_scope: Construct, options: StreamExportBindOptions): void {
    for (const destination of this.destinations) {
      const perDevice = destination.perDevice ?? true;
      const objects = destination.bucket.arnForObjects(`${destination.keyPrefix ?? ''}${perDevice ? `${CREDENTIALS_THING_NAME_VARIABLE}/` : ''}*`);
      iam.Grant.addToPrincipalOrResource({
        grantee: options.deviceRole,
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resourceArns: [objects],
        resource: destination.bucket,
      });
      // Only the per-device grant is the design's; `perDevice: false` is the user's choice (left to them).
      if (perDevice) {
        acknowledgeGrantedWildcards(options.deviceRole, [objects], `S3 export ${this.identifier}: the export tasks upload objects whose keys are `
          + `chosen on the device, and each device may write only under ${Token.isUnresolved(destination.keyPrefix) ? '<keyPrefix>' : destination.keyPrefix ?? ''}<its thing name>/ (IAM policy variable `
          + 'credentials-iot:ThingName)');
      }
      destination.bucket.encryptionKey?.grant(options.deviceRole, 'kms:GenerateDataKey', 'kms:Decrypt');
    }
  }
}

/**
 * How an HTTP export batches and formats messages.
 */
export enum HttpExportFormat {
  /** One POST per message, the payload as the body. */
  RAW_NOT_BATCHED = 'RAW_NOT_BATCHED',
  /** One POST per batch, a JSON list of messages as the body. */
  JSON_BATCHED = 'JSON_BATCHED',
}

/**
 * Properties of an HTTP export.
 */
export interface HttpExportProps extends BatchedStreamExportOptions {
  /**
   * The endpoint that receives the POST requests (`http://` or `https://`).
   */
  readonly uri: string;

  /**
   * How messages are batched and formatted.
   *
   * @default - Stream Manager's default
   */
  readonly exportFormat?: HttpExportFormat;
}

/**
 * Exports a stream to an HTTP endpoint (`HTTPConfig`).
 *
 * AWS documents this destination as not supported (the interface may change without notice):
 * it is allowed, with a synthesis warning. Batch size 1 to 500. Grants nothing.
 */
export class HttpExport extends StreamExport {
  public readonly identifier: string;
  /** @internal */
  public readonly _spec: ExportSpec;

  constructor(props: HttpExportProps) {
    const what = `HttpExport '${props.identifier}'`;
    validateStreamIdentifier('identifier of HttpExport', props.identifier);
    if (!Token.isUnresolved(props.uri) && !/^https?:\/\/[^\s]+$/.test(props.uri)) {
      throw new Error(`uri of ${what} must be an http:// or https:// URL, got '${props.uri}'; use for example 'https://collector.example.com/ingest'`);
    }
    validateIntegerRange(`batchSize of ${what}`, props.batchSize, 1, STREAM_LIMITS.httpBatchMax,
      'HTTP exports take 1 to 500 messages per batch');
    validatePriority(what, props.priority);
    validateSequenceNumber(`startSequenceNumber of ${what}`, props.startSequenceNumber);
    super();
    this.identifier = props.identifier;
    this._spec = {
      destination: ExportDestination.HTTP,
      identifier: props.identifier,
      uri: props.uri,
      batchSize: props.batchSize,
      batchIntervalMillis: durationMillis(`batchInterval of ${what}`, props.batchInterval),
      priority: props.priority,
      startSequenceNumber: props.startSequenceNumber,
      disabled: props.disabled,
      exportFormat: props.exportFormat,
    };
  }

  public bind(scope: Construct, _options: StreamExportBindOptions): void {
    Annotations.of(scope).addWarningV2('cdk-greengrass-v2:streamHttpExportUnsupported',
      `HttpExport '${this.identifier}': AWS documents the Stream Manager HTTP export destination as not supported; its interface may change without notice. Prefer KinesisExport or S3TaskExport for production.`);
  }
}

/**
 * Properties of an AWS IoT Analytics export.
 */
export interface IotAnalyticsExportProps extends BatchedStreamExportOptions {
  /**
   * The IoT Analytics channel.
   */
  readonly channelName: string;
}

/**
 * AWS IoT Analytics exports (`IoTAnalyticsConfig`) are no longer possible: the service ended
 * on 2025-12-15. Creating one fails with an error that names the alternatives.
 *
 * @deprecated AWS IoT Analytics ended on 2025-12-15. Use `KinesisExport`, `S3TaskExport` or `IotSiteWiseExport`.
 */
export class IotAnalyticsExport extends StreamExport {
  public readonly identifier!: string;
  /** @internal */
  public readonly _spec!: ExportSpec;

  constructor(props: IotAnalyticsExportProps) {
    super();
    throw new Error(`IotAnalyticsExport '${props.identifier}' (channel '${props.channelName}') cannot be used: AWS IoT Analytics ended on 2025-12-15 and Stream Manager can no longer export to it; use KinesisExport (then Amazon Data Firehose or a consumer of your choice), S3TaskExport for files, or IotSiteWiseExport for industrial measurements instead`);
  }

  public bind(_scope: Construct, _options: StreamExportBindOptions): void {
    // unreachable: the constructor always throws
  }
}

function validatePriority(what: string, priority: number | undefined): void {
  validateIntegerRange(`priority of ${what}`, priority, STREAM_LIMITS.priorityMin, STREAM_LIMITS.priorityMax,
    'use 1 for the most urgent export and 10 for the least');
}

function validateKeyPrefix(what: string, keyPrefix: string | undefined): void {
  if (keyPrefix === undefined || Token.isUnresolved(keyPrefix)) {
    return;
  }
  if (/[*?]|\$\{/.test(keyPrefix) || keyPrefix.startsWith('/')) {
    throw new Error(`keyPrefix of a destination of ${what} must be a plain key prefix without wildcards, policy variables or a leading slash (perDevice adds the device's thing name), got '${keyPrefix}'; use for example 'telemetry/'`);
  }
}
