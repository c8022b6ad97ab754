/**
 * Oracle test: the Stream Manager SDK for JavaScript (`aws-greengrass-core-sdk`, its
 * `stream-manager` data classes) must load every definition the library renders with
 * `MessageStreamDefinition.fromMap`, find it valid, and serialize it back to the same JSON.
 */
import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  HttpExport,
  HttpExportFormat,
  IotSiteWiseExport,
  KinesisExport,
  Persistence,
  S3TaskExport,
  StatusLevel,
  StrategyOnFull,
  StreamDefinition,
  StreamDefinitionProps,
  StreamSet,
} from '../../src/stream-manager';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require('aws-greengrass-core-sdk/stream-manager/data');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkUtil = require('aws-greengrass-core-sdk/stream-manager/util');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkInternal = require('aws-greengrass-core-sdk/stream-manager/utilInternal');

/** Loads a rendered definition with the SDK: its validation result and its re-serialization. */
function throughSdk(wire: any): { invalid: string | false; json: string } {
  const loaded = sdk.MessageStreamDefinition.fromMap(JSON.parse(JSON.stringify(wire)));
  const invalid = sdkInternal.isInvalid(loaded);
  return { invalid, json: invalid ? '' : sdkUtil.validateAndSerializeToJsonBytes(loaded).toString('utf-8') };
}

const stack = new Stack(new App(), 'Oracle');
// A concrete stream name: the oracle checks values, not CloudFormation tokens.
const dataStream = kinesis.Stream.fromStreamArn(stack, 'Telemetry', 'arn:aws:kinesis:eu-west-1:111122223333:stream/telemetry');
const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'uploads-111122223333');
const status = new StreamDefinition({ streamName: 'upload-status', persistence: Persistence.FILE });

const cases: Array<[string, StreamDefinitionProps]> = [
  ['defaults only', { streamName: 'plain' }],
  ['every stream option', {
    streamName: 'Line 1, cell-2_a.b',
    maxSize: Size.gibibytes(4),
    streamSegmentSize: Size.bytes(2147483647),
    timeToLive: Duration.days(7),
    strategyOnFull: StrategyOnFull.REJECT_NEW_DATA,
    persistence: Persistence.FILE,
    flushOnWrite: true,
  }],
  ['minimum sizes and time to live', {
    streamName: 'tiny', maxSize: Size.kibibytes(1), streamSegmentSize: Size.kibibytes(1), timeToLive: Duration.seconds(60),
  }],
  ['maximum time to live', { streamName: 'forever', timeToLive: Duration.millis(9223372036854) }],
  ['memory persistence', { streamName: 'fast', persistence: Persistence.MEMORY, strategyOnFull: StrategyOnFull.OVERWRITE_OLDEST_DATA }],
  ['Kinesis export, identifier only', { streamName: 'k1', exports: [new KinesisExport(dataStream, { identifier: 'to-kinesis' })] }],
  ['Kinesis export, every option at its lower bound', {
    streamName: 'k2',
    exports: [new KinesisExport(dataStream, {
      identifier: 'k', batchSize: 1, batchInterval: Duration.seconds(60), priority: 1, startSequenceNumber: 0, disabled: false,
    })],
  }],
  ['Kinesis export, every option at its upper bound', {
    streamName: 'k3',
    exports: [new KinesisExport(dataStream, {
      identifier: 'x'.repeat(255), batchSize: 500, batchInterval: Duration.millis(9223372036854), priority: 10, startSequenceNumber: 9007199254740991, disabled: true,
    })],
  }],
  ['two Kinesis exports', {
    streamName: 'k4',
    exports: [new KinesisExport(dataStream, { identifier: 'a' }), new KinesisExport(dataStream, { identifier: 'b', priority: 5 })],
  }],
  ['IoT SiteWise export, every option', {
    streamName: 'sitewise',
    exports: [new IotSiteWiseExport({
      identifier: 'to-sitewise', batchSize: 10, batchInterval: Duration.minutes(5), priority: 2, startSequenceNumber: 7, disabled: false,
    })],
  }],
  ['IoT SiteWise export, smallest batch', { streamName: 'sitewise-1', exports: [new IotSiteWiseExport({ identifier: 'sw', batchSize: 1 })] }],
  ['S3 task export, identifier only', { streamName: 'files-1', exports: [new S3TaskExport({ identifier: 'to-s3', destinations: [{ bucket }] })] }],
  ['S3 task export, every option', {
    streamName: 'files-2',
    exports: [new S3TaskExport({
      identifier: 'to-s3',
      destinations: [{ bucket, keyPrefix: 'line-1/' }],
      multipartThreshold: Size.mebibytes(5),
      priority: 10,
      disabled: true,
      statusStream: status,
      statusLevel: StatusLevel.TRACE,
    })],
  }],
  ...[StatusLevel.ERROR, StatusLevel.WARN, StatusLevel.INFO, StatusLevel.DEBUG].map((level): [string, StreamDefinitionProps] =>
    [`S3 task export, status level ${level}`, {
      streamName: `files-${level}`,
      exports: [new S3TaskExport({ identifier: 'to-s3', destinations: [{ bucket }], statusStream: status, statusLevel: level })],
    }]),
  ['HTTP export, every option', {
    streamName: 'http-1',
    exports: [new HttpExport({
      identifier: 'to-http',
      uri: 'https://collector.example.com/in',
      batchSize: 500,
      batchInterval: Duration.minutes(1),
      priority: 4,
      startSequenceNumber: 3,
      disabled: false,
      exportFormat: HttpExportFormat.RAW_NOT_BATCHED,
    })],
  }],
  ['HTTP export, JSON batched', {
    streamName: 'http-2',
    exports: [new HttpExport({ identifier: 'h', uri: 'http://10.0.0.5:8080/', batchSize: 1, exportFormat: HttpExportFormat.JSON_BATCHED })],
  }],
  ['every destination on one stream', {
    streamName: 'everything',
    maxSize: Size.mebibytes(512),
    timeToLive: Duration.hours(1),
    exports: [
      new HttpExport({ identifier: 'h', uri: 'https://example.com/' }),
      new KinesisExport(dataStream, { identifier: 'k', batchSize: 100 }),
      new IotSiteWiseExport({ identifier: 's', batchSize: 5 }),
      new S3TaskExport({ identifier: 't', destinations: [{ bucket }], statusStream: status }),
    ],
  }],
];

describe('every rendered definition passes the Stream Manager SDK', () => {
  test.each(cases)('%s', (_, props) => {
    const wire = stack.resolve(new StreamDefinition(props).toWireFormat());
    const result = throughSdk(wire);

    expect(result.invalid).toBe(false);
    expect(result.json).toEqual(JSON.stringify(wire));
  });

  test('a whole set, as it goes into the component configuration', () => {
    const set = new StreamSet({ streams: cases.map(([, props]) => new StreamDefinition(props)).concat(status) });
    const wire = stack.resolve(set.toWireFormat());

    expect(wire).toHaveLength(cases.length + 1);
    for (const definition of wire) {
      expect(throughSdk(definition)).toEqual({ invalid: false, json: JSON.stringify(definition) });
    }
  });
});

describe('the library\'s limits are the SDK\'s limits', () => {
  // One past each limit the SDK validates: the oracle rejects it, and so does the library.
  const base = { name: 's', maxSize: 268435456, streamSegmentSize: 16777216, strategyOnFull: 1 };
  const kinesisConfig = { identifier: 'k', kinesisStreamName: 'telemetry' };
  test.each([
    ['name of 256 characters', { ...base, name: 'x'.repeat(256) }, () => new StreamDefinition({ streamName: 'x'.repeat(256) })],
    ['name with a slash', { ...base, name: 'a/b' }, () => new StreamDefinition({ streamName: 'a/b' })],
    ['maxSize of 1023 bytes', { ...base, maxSize: 1023 }, () => new StreamDefinition({ streamName: 's', maxSize: Size.bytes(1023) })],
    ['streamSegmentSize of 1023 bytes', { ...base, streamSegmentSize: 1023 }, () => new StreamDefinition({ streamName: 's', streamSegmentSize: Size.bytes(1023) })],
    ['streamSegmentSize of 2 GiB', { ...base, streamSegmentSize: 2147483648 }, () => new StreamDefinition({ streamName: 's', streamSegmentSize: Size.gibibytes(2) })],
    ['timeToLive of 59999 ms', { ...base, timeToLiveMillis: 59999 }, () => new StreamDefinition({ streamName: 's', timeToLive: Duration.millis(59999) })],
    ['timeToLive above the maximum', { ...base, timeToLiveMillis: 9223372036855 }, () => new StreamDefinition({ streamName: 's', timeToLive: Duration.millis(9223372036855) })],
    ['Kinesis batch size 501', { ...base, exportDefinition: { kinesis: [{ ...kinesisConfig, batchSize: 501 }] } },
      () => new KinesisExport(dataStream, { identifier: 'k', batchSize: 501 })],
    ['Kinesis batch interval 59999 ms', { ...base, exportDefinition: { kinesis: [{ ...kinesisConfig, batchIntervalMillis: 59999 }] } },
      () => new KinesisExport(dataStream, { identifier: 'k', batchInterval: Duration.millis(59999) })],
    ['Kinesis priority 11', { ...base, exportDefinition: { kinesis: [{ ...kinesisConfig, priority: 11 }] } },
      () => new KinesisExport(dataStream, { identifier: 'k', priority: 11 })],
    ['Kinesis start sequence number -1', { ...base, exportDefinition: { kinesis: [{ ...kinesisConfig, startSequenceNumber: -1 }] } },
      () => new KinesisExport(dataStream, { identifier: 'k', startSequenceNumber: -1 })],
    ['SiteWise batch size 11', { ...base, exportDefinition: { IotSitewise: [{ identifier: 's', batchSize: 11 }] } },
      () => new IotSiteWiseExport({ identifier: 's', batchSize: 11 })],
    ['SiteWise priority 0', { ...base, exportDefinition: { IotSitewise: [{ identifier: 's', priority: 0 }] } },
      () => new IotSiteWiseExport({ identifier: 's', priority: 0 })],
    ['S3 multipart threshold below 5 MiB', { ...base, exportDefinition: { s3TaskExecutor: [{ identifier: 't', sizeThresholdForMultipartUploadBytes: 5242879 }] } },
      () => new S3TaskExport({ identifier: 't', destinations: [{ bucket }], multipartThreshold: Size.bytes(5242879) })],
    ['HTTP batch size 501', { ...base, exportDefinition: { http: [{ identifier: 'h', uri: 'https://x', batchSize: 501 }] } },
      () => new HttpExport({ identifier: 'h', uri: 'https://x', batchSize: 501 })],
    ['export identifier with a slash', { ...base, exportDefinition: { kinesis: [{ ...kinesisConfig, identifier: 'a/b' }] } },
      () => new KinesisExport(dataStream, { identifier: 'a/b' })],
  ])('%s', (_, rawDefinition, create) => {
    expect(throughSdk(rawDefinition).invalid).toEqual(expect.any(String));
    expect(create).toThrow();
  });
});
