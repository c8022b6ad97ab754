import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  HttpExport,
  HttpExportFormat,
  IotAnalyticsExport,
  IotSiteWiseExport,
  KinesisExport,
  S3TaskExport,
  StatusLevel,
  StreamDefinition,
} from '../../src/stream-manager';

function setup() {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'eu-west-1' } });
  const role = new iam.Role(stack, 'DeviceRole', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
  const stream = new kinesis.Stream(stack, 'Telemetry', { encryption: kinesis.StreamEncryption.UNENCRYPTED });
  const bucket = new s3.Bucket(stack, 'Bucket');
  return { stack, role, stream, bucket };
}

/** The statements of the device role's default policy. */
function roleStatements(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  const entries = Object.values(policies);
  expect(entries).toHaveLength(1);
  return (entries[0] as any).Properties.PolicyDocument.Statement;
}

describe('limits', () => {
  type Factory = (props: any) => unknown;
  const kinesisExport: Factory = props => new KinesisExport(setup().stream, { identifier: 'k', ...props });
  const siteWiseExport: Factory = props => new IotSiteWiseExport({ identifier: 'sw', ...props });
  const httpExport: Factory = props => new HttpExport({ identifier: 'h', uri: 'https://example.com/in', ...props });
  const s3Export: Factory = props => new S3TaskExport({ identifier: 's3', destinations: [{ bucket: setup().bucket }], ...props });

  test.each([
    ['Kinesis batch size 1', kinesisExport, { batchSize: 1 }],
    ['Kinesis batch size 500', kinesisExport, { batchSize: 500 }],
    ['Kinesis batch interval 60 s', kinesisExport, { batchInterval: Duration.seconds(60) }],
    ['Kinesis priority 1', kinesisExport, { priority: 1 }],
    ['Kinesis priority 10', kinesisExport, { priority: 10 }],
    ['Kinesis start sequence number 0', kinesisExport, { startSequenceNumber: 0 }],
    ['SiteWise batch size 1', siteWiseExport, { batchSize: 1 }],
    ['SiteWise batch size 10', siteWiseExport, { batchSize: 10 }],
    ['SiteWise batch interval 60 s', siteWiseExport, { batchInterval: Duration.minutes(1) }],
    ['SiteWise priority 10', siteWiseExport, { priority: 10 }],
    ['HTTP batch size 500', httpExport, { batchSize: 500 }],
    ['HTTP batch size 1', httpExport, { batchSize: 1 }],
    ['HTTP http:// URI', httpExport, { uri: 'http://10.0.0.5:8080/ingest' }],
    ['S3 multipart threshold 5 MiB', s3Export, { multipartThreshold: Size.mebibytes(5) }],
    ['S3 priority 1', s3Export, { priority: 1 }],
    ['S3 key prefix', s3Export, { destinations: [{ bucket: setup().bucket, keyPrefix: 'devices/line-1/' }] }],
  ])('accepts %s', (_, create, props) => {
    expect(() => create(props)).not.toThrow();
  });

  test.each([
    ['fails when the Kinesis batch size is 0', kinesisExport, { batchSize: 0 },
      "batchSize of KinesisExport 'k' must be an integer from 1 to 500, got 0; Kinesis PutRecords takes 1 to 500 records"],
    ['fails when the Kinesis batch size is 501', kinesisExport, { batchSize: 501 },
      "batchSize of KinesisExport 'k' must be an integer from 1 to 500, got 501; Kinesis PutRecords takes 1 to 500 records"],
    ['fails when the Kinesis batch interval is 59 s', kinesisExport, { batchInterval: Duration.seconds(59) },
      "batchInterval of KinesisExport 'k' must be from 60 seconds to 9223372036854 milliseconds, got 59 seconds (59000 ms); use Duration.minutes(1) or more"],
    ['fails when the Kinesis priority is 0', kinesisExport, { priority: 0 },
      "priority of KinesisExport 'k' must be an integer from 1 to 10, got 0; use 1 for the most urgent export and 10 for the least"],
    ['fails when the Kinesis priority is 11', kinesisExport, { priority: 11 },
      "priority of KinesisExport 'k' must be an integer from 1 to 10, got 11; use 1 for the most urgent export and 10 for the least"],
    ['fails when the Kinesis start sequence number is negative', kinesisExport, { startSequenceNumber: -1 },
      "startSequenceNumber of KinesisExport 'k' must be a whole number from 0 to 9007199254740991, got -1; use the sequence number of a message in the stream (0 exports from the first message)"],
    ['fails when the Kinesis identifier has a slash', kinesisExport, { identifier: 'to/kinesis' },
      "identifier of KinesisExport may only contain letters, digits, spaces, commas, periods, hyphens and underscores, got 'to/kinesis'; remove the other characters"],
    ['fails when the Kinesis identifier is 256 characters', kinesisExport, { identifier: 'k'.repeat(256) },
      `identifier of KinesisExport must be 1 to 255 characters long, got 256 characters ('${'k'.repeat(40)}...'); use a shorter name`],
    ['fails when the SiteWise batch size is 11', siteWiseExport, { batchSize: 11 },
      "batchSize of IotSiteWiseExport 'sw' must be an integer from 1 to 10, got 11; IoT SiteWise exports take 1 to 10 entries per batch"],
    ['fails when the SiteWise batch size is 0', siteWiseExport, { batchSize: 0 },
      "batchSize of IotSiteWiseExport 'sw' must be an integer from 1 to 10, got 0; IoT SiteWise exports take 1 to 10 entries per batch"],
    ['fails when the SiteWise batch interval is 30 s', siteWiseExport, { batchInterval: Duration.seconds(30) },
      "batchInterval of IotSiteWiseExport 'sw' must be from 60 seconds to 9223372036854 milliseconds, got 30 seconds (30000 ms); use Duration.minutes(1) or more"],
    ['fails when the SiteWise priority is 11', siteWiseExport, { priority: 11 },
      "priority of IotSiteWiseExport 'sw' must be an integer from 1 to 10, got 11; use 1 for the most urgent export and 10 for the least"],
    ['fails when the HTTP batch size is 501', httpExport, { batchSize: 501 },
      "batchSize of HttpExport 'h' must be an integer from 1 to 500, got 501; HTTP exports take 1 to 500 messages per batch"],
    ['fails when the HTTP batch size is 0', httpExport, { batchSize: 0 },
      "batchSize of HttpExport 'h' must be an integer from 1 to 500, got 0; HTTP exports take 1 to 500 messages per batch"],
    ['fails when the HTTP URI is not a URL', httpExport, { uri: 'collector:8080' },
      "uri of HttpExport 'h' must be an http:// or https:// URL, got 'collector:8080'; use for example 'https://collector.example.com/ingest'"],
    ['fails when the S3 multipart threshold is below 5 MiB', s3Export, { multipartThreshold: Size.bytes(5242879) },
      "multipartThreshold of S3TaskExport 's3' must be at least 5242880 bytes and at most 9007199254740991 bytes, got 5242879 bytes; S3 multipart parts are at least 5 MiB: use Size.mebibytes(5) or more"],
    ['fails when the S3 priority is 0', s3Export, { priority: 0 },
      "priority of S3TaskExport 's3' must be an integer from 1 to 10, got 0; use 1 for the most urgent export and 10 for the least"],
    ['fails when the S3 export has no destination', s3Export, { destinations: [] },
      "destinations of S3TaskExport 's3' must list at least one bucket, got none; add { bucket, keyPrefix } for each bucket the export tasks write to, so the devices' role can be granted access"],
    ['fails when an S3 key prefix has a policy variable', s3Export, { destinations: [{ bucket: setup().bucket, keyPrefix: 'a/${aws:username}/' }] },
      "keyPrefix of a destination of S3TaskExport 's3' must be a plain key prefix without wildcards, policy variables or a leading slash (perDevice adds the device's thing name), got 'a/${aws:username}/'; use for example 'telemetry/'"],
    ['fails when an S3 key prefix has a wildcard', s3Export, { destinations: [{ bucket: setup().bucket, keyPrefix: 'a/*/b' }] },
      "keyPrefix of a destination of S3TaskExport 's3' must be a plain key prefix without wildcards, policy variables or a leading slash (perDevice adds the device's thing name), got 'a/*/b'; use for example 'telemetry/'"],
    ['fails when an S3 status level has no status stream', s3Export, { statusLevel: StatusLevel.DEBUG },
      "statusLevel of S3TaskExport 's3' is set to DEBUG but there is no statusStream; add statusStream (a StreamDefinition in the same set) or remove statusLevel"],
  ])('%s', (_, create, props, message) => {
    expect(() => create(props)).toThrow(message);
  });

  test('fails when an IoT Analytics export is created, naming the alternatives', () => {
    expect(() => new IotAnalyticsExport({ identifier: 'analytics', channelName: 'telemetry' })).toThrow(
      "IotAnalyticsExport 'analytics' (channel 'telemetry') cannot be used: AWS IoT Analytics ended on 2025-12-15 and Stream Manager can no longer export to it; use KinesisExport (then Amazon Data Firehose or a consumer of your choice), S3TaskExport for files, or IotSiteWiseExport for industrial measurements instead");
  });
});

describe('wire format of each export', () => {
  test('Kinesis: the stream name from the construct, options in wire units', () => {
    const { stack, stream } = setup();
    const wire = new StreamDefinition({
      streamName: 'telemetry',
      exports: [new KinesisExport(stream, {
        identifier: 'to-kinesis', batchSize: 200, batchInterval: Duration.minutes(2), priority: 3, startSequenceNumber: 42, disabled: false,
      })],
    }).toWireFormat();

    expect(stack.resolve(wire.exportDefinition)).toEqual({
      kinesis: [{
        identifier: 'to-kinesis',
        kinesisStreamName: stack.resolve(stream.streamName),
        batchSize: 200,
        batchIntervalMillis: 120000,
        priority: 3,
        startSequenceNumber: 42,
        disabled: false,
      }],
    });
  });

  test('S3 tasks: status config with INFO by default', () => {
    const { bucket } = setup();
    const status = new StreamDefinition({ streamName: 'upload-status' });
    const wire = new StreamDefinition({
      streamName: 'files',
      exports: [new S3TaskExport({ identifier: 'to-s3', destinations: [{ bucket }], statusStream: status, multipartThreshold: Size.mebibytes(8) })],
    }).toWireFormat();

    expect(wire.exportDefinition).toEqual({
      s3TaskExecutor: [{
        identifier: 'to-s3',
        sizeThresholdForMultipartUploadBytes: 8388608,
        statusConfig: { statusLevel: 2, statusStreamName: 'upload-status' },
      }],
    });
  });

  test('SiteWise and HTTP share a stream, keyed as the SDKs key them', () => {
    const wire = new StreamDefinition({
      streamName: 'plant',
      exports: [
        new IotSiteWiseExport({ identifier: 'to-sitewise', batchSize: 10 }),
        new HttpExport({ identifier: 'to-http', uri: 'https://example.com/in', exportFormat: HttpExportFormat.JSON_BATCHED }),
      ],
    }).toWireFormat();

    expect(wire.exportDefinition).toEqual({
      http: [{ identifier: 'to-http', uri: 'https://example.com/in', exportFormat: 1 }],
      IotSitewise: [{ identifier: 'to-sitewise', batchSize: 10 }],
    });
  });
});

describe('grants', () => {
  test('Kinesis grants PutRecord, PutRecords and DescribeStream on the stream, nothing else', () => {
    const { stack, role, stream } = setup();
    new KinesisExport(stream, { identifier: 'k' }).bind(stack, { deviceRole: role });

    expect(roleStatements(stack)).toEqual([{
      Effect: 'Allow',
      Action: ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:DescribeStream'],
      Resource: stack.resolve(stream.streamArn),
    }]);
  });

  test('Kinesis grants kms:GenerateDataKey on a customer-managed key', () => {
    const { stack, role } = setup();
    const key = new kms.Key(stack, 'Key');
    const stream = new kinesis.Stream(stack, 'Encrypted', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
    new KinesisExport(stream, { identifier: 'k' }).bind(stack, { deviceRole: role });

    expect(roleStatements(stack)).toEqual([
      {
        Effect: 'Allow',
        Action: ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:DescribeStream'],
        Resource: stack.resolve(stream.streamArn),
      },
      { Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: stack.resolve(key.keyArn) },
    ]);
  });

  test('Kinesis with the AWS-managed key grants no KMS action', () => {
    const { stack, role } = setup();
    const stream = new kinesis.Stream(stack, 'Managed', { encryption: kinesis.StreamEncryption.MANAGED });
    new KinesisExport(stream, { identifier: 'k' }).bind(stack, { deviceRole: role });

    expect(JSON.stringify(roleStatements(stack))).not.toContain('kms:');
  });

  test('SiteWise grants BatchPutAssetPropertyValue on the account\'s assets and time series', () => {
    const { stack, role } = setup();
    new IotSiteWiseExport({ identifier: 'sw' }).bind(stack, { deviceRole: role });

    expect(roleStatements(stack)).toEqual([{
      Effect: 'Allow',
      Action: 'iotsitewise:BatchPutAssetPropertyValue',
      Resource: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iotsitewise:eu-west-1:111122223333:asset/*']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iotsitewise:eu-west-1:111122223333:time-series/*']] },
      ],
    }]);
  });

  test('S3 grants PutObject and multipart actions under each prefix and the device\'s own thing name, and KMS on an encrypted bucket', () => {
    const { stack, role, bucket } = setup();
    const key = new kms.Key(stack, 'Key');
    const encrypted = new s3.Bucket(stack, 'Encrypted', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
    new S3TaskExport({
      identifier: 's3',
      destinations: [{ bucket, keyPrefix: 'line-1/' }, { bucket: encrypted }],
    }).bind(stack, { deviceRole: role });

    const actions = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
    expect(roleStatements(stack)).toEqual([
      {
        Effect: 'Allow',
        Action: actions,
        Resource: { 'Fn::Join': ['', [stack.resolve(bucket.bucketArn), '/line-1/${credentials-iot:ThingName}/*']] },
      },
      {
        Effect: 'Allow',
        Action: actions,
        Resource: { 'Fn::Join': ['', [stack.resolve(encrypted.bucketArn), '/${credentials-iot:ThingName}/*']] },
      },
      { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: stack.resolve(key.keyArn) },
    ]);
    // nothing on the bucket policies
    Template.fromStack(stack).resourceCountIs('AWS::S3::BucketPolicy', 0);
  });

  test('S3 with perDevice: false lets every device write any key under the prefix', () => {
    const { stack, role, bucket } = setup();
    new S3TaskExport({ identifier: 's3', destinations: [{ bucket, keyPrefix: 'shared/', perDevice: false }] }).bind(stack, { deviceRole: role });
    expect(roleStatements(stack)).toEqual([{
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: { 'Fn::Join': ['', [stack.resolve(bucket.bucketArn), '/shared/*']] },
    }]);
  });

  test('HTTP grants nothing and warns that AWS documents it as unsupported', () => {
    const { stack, role } = setup();
    new HttpExport({ identifier: 'h', uri: 'https://example.com/in' }).bind(stack, { deviceRole: role });

    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    Annotations.fromStack(stack).hasWarning('/Stack', Match.stringLikeRegexp(
      "HttpExport 'h': AWS documents the Stream Manager HTTP export destination as not supported"));
  });
});
