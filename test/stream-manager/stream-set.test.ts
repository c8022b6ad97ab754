import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { KinesisExport, S3TaskExport, StreamDefinition, StreamSet } from '../../src/stream-manager';

function setup() {
  const stack = new Stack(new App(), 'Stack');
  const bucket = new s3.Bucket(stack, 'Bucket');
  const stream = new kinesis.Stream(stack, 'Telemetry', { encryption: kinesis.StreamEncryption.UNENCRYPTED });
  const role = new iam.Role(stack, 'DeviceRole', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
  return { stack, bucket, stream, role };
}

describe('StreamSet', () => {
  test('orders status streams before the streams that report to them', () => {
    const { bucket } = setup();
    const status = new StreamDefinition({ streamName: 'status' });
    const files = new StreamDefinition({
      streamName: 'files', exports: [new S3TaskExport({ identifier: 'up', destinations: [{ bucket }], statusStream: status })],
    });
    const other = new StreamDefinition({ streamName: 'other' });

    const set = new StreamSet({ streams: [files, other, status] });

    expect(set.streams.map(s => s.streamName)).toEqual(['status', 'files', 'other']);
    expect(set.toConfiguration().streams.map((s: any) => s.name)).toEqual(['status', 'files', 'other']);
  });

  test('status streams chain: each is created before the stream that reports to it', () => {
    const { bucket } = setup();
    const inner = new StreamDefinition({ streamName: 'inner' });
    const middle = new StreamDefinition({
      streamName: 'middle', exports: [new S3TaskExport({ identifier: 'm', destinations: [{ bucket }], statusStream: inner })],
    });
    const outer = new StreamDefinition({
      streamName: 'outer', exports: [new S3TaskExport({ identifier: 'o', destinations: [{ bucket }], statusStream: middle })],
    });

    expect(new StreamSet({ streams: [outer, middle, inner] }).streams.map(s => s.streamName)).toEqual(['inner', 'middle', 'outer']);
  });

  test('fails when a stream name is defined twice', () => {
    expect(() => new StreamSet({
      streams: [new StreamDefinition({ streamName: 'a' }), new StreamDefinition({ streamName: 'a' })],
    })).toThrow("stream name 'a' is defined twice in this set; stream names must be unique on a device: rename one of them");
  });

  test('fails when a status stream is not in the set', () => {
    const { bucket } = setup();
    const status = new StreamDefinition({ streamName: 'status' });
    const files = new StreamDefinition({
      streamName: 'files', exports: [new S3TaskExport({ identifier: 'up', destinations: [{ bucket }], statusStream: status })],
    });

    expect(() => new StreamSet({ streams: [files] })).toThrow(
      "stream 'files' reports to status stream 'status', which is not in this set; add the StreamDefinition 'status' to the same set (Stream Manager needs it to exist first)");
  });

  test('fails when status streams form a cycle', () => {
    const { bucket } = setup();
    // 'a' reports to a definition named 'b', and the set's 'b' reports to 'a'.
    const bLookalike = new StreamDefinition({ streamName: 'b' });
    const a = new StreamDefinition({ streamName: 'a', exports: [new S3TaskExport({ identifier: 'x', destinations: [{ bucket }], statusStream: bLookalike })] });
    const b = new StreamDefinition({ streamName: 'b', exports: [new S3TaskExport({ identifier: 'y', destinations: [{ bucket }], statusStream: a })] });

    expect(() => new StreamSet({ streams: [a, b] })).toThrow(
      "status streams form a cycle ('a' -> 'b' -> 'a'); a status stream cannot report, directly or not, to a stream that reports to it: give one of them a separate status stream");
  });

  test('fails when empty', () => {
    expect(() => new StreamSet({ streams: [] })).toThrow(
      'streams of a StreamSet must list at least one StreamDefinition, got none; add the streams the device needs');
  });

  test('grant binds every export to the device role', () => {
    const { stack, stream, bucket, role } = setup();
    const set = new StreamSet({
      streams: [
        new StreamDefinition({ streamName: 'telemetry', exports: [new KinesisExport(stream, { identifier: 'k' })] }),
        new StreamDefinition({ streamName: 'files', exports: [new S3TaskExport({ identifier: 's', destinations: [{ bucket }] })] }),
      ],
    });

    set.grant(stack, { deviceRole: role });

    const statements = (Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0] as any)
      .Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => s.Action)).toEqual([
      ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:DescribeStream'],
      ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
    ]);
  });

  test('fails when exporting streams are granted without a device role', () => {
    const { stack, stream } = setup();
    const set = new StreamSet({
      streams: [
        new StreamDefinition({ streamName: 'local' }),
        new StreamDefinition({ streamName: 'telemetry', exports: [new KinesisExport(stream, { identifier: 'k' })] }),
      ],
    });

    expect(() => set.grant(stack, {})).toThrow(
      "streams 'telemetry' export to the cloud but the devices' role is unknown (deviceRole is undefined), so their exports cannot be granted and would stall on the devices; deploy them to a core device or fleet defined with this library, or give the deployment target a deviceRole");
  });

  test('a set without exports needs no device role', () => {
    const { stack } = setup();
    expect(() => new StreamSet({ streams: [new StreamDefinition({ streamName: 'local' })] }).grant(stack, {})).not.toThrow();
  });
});
