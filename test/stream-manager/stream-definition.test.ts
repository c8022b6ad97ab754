import { Duration, Size, App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Persistence, S3TaskExport, StrategyOnFull, StreamDefinition } from '../../src/stream-manager';

describe('StreamDefinition', () => {
  test('renders the defaults the SDKs fill in, and omits the rest', () => {
    const stream = new StreamDefinition({ streamName: 'telemetry' });

    expect(stream.toWireFormat()).toEqual({
      name: 'telemetry',
      maxSize: 268435456,
      streamSegmentSize: 16777216,
      strategyOnFull: 1,
    });
    expect(stream.maxSize.toMebibytes()).toBe(256);
    expect(stream.streamSegmentSize.toMebibytes()).toBe(16);
    expect(stream.strategyOnFull).toBe(StrategyOnFull.OVERWRITE_OLDEST_DATA);
  });

  test('renders every option in wire units and SDK codes', () => {
    const stream = new StreamDefinition({
      streamName: 'Line 1, cell-2_a.b',
      maxSize: Size.gibibytes(1),
      streamSegmentSize: Size.mebibytes(32),
      timeToLive: Duration.hours(6),
      strategyOnFull: StrategyOnFull.REJECT_NEW_DATA,
      persistence: Persistence.FILE,
      flushOnWrite: true,
    });

    expect(stream.toWireFormat()).toEqual({
      name: 'Line 1, cell-2_a.b',
      maxSize: 1073741824,
      streamSegmentSize: 33554432,
      timeToLiveMillis: 21600000,
      strategyOnFull: 0,
      persistence: 0,
      flushOnWrite: true,
    });
  });

  test('encodes MEMORY persistence as 1', () => {
    expect(new StreamDefinition({ streamName: 's', persistence: Persistence.MEMORY }).toWireFormat().persistence).toBe(1);
  });

  describe('limits', () => {
    test.each([
      ['a one-character name', { streamName: 'a' }],
      ['a 255-character name', { streamName: 'x'.repeat(255) }],
      ['maxSize of exactly 1 KiB', { streamName: 's', maxSize: Size.kibibytes(1), streamSegmentSize: Size.kibibytes(1) }],
      ['maxSize of 8191 PiB', { streamName: 's', maxSize: Size.pebibytes(8191) }],
      ['streamSegmentSize of exactly 1 KiB', { streamName: 's', streamSegmentSize: Size.kibibytes(1) }],
      ['streamSegmentSize of 2 GiB minus one byte', { streamName: 's', streamSegmentSize: Size.bytes(2147483647) }],
      ['timeToLive of exactly 60 seconds', { streamName: 's', timeToLive: Duration.seconds(60) }],
      ['timeToLive at the maximum', { streamName: 's', timeToLive: Duration.millis(9223372036854) }],
    ])('accepts %s', (_, props) => {
      expect(() => new StreamDefinition(props)).not.toThrow();
    });

    test.each([
      ['fails when the name is empty', { streamName: '' },
        "streamName must be 1 to 255 characters long, got 0 characters (''); use a shorter name"],
      ['fails when the name is 256 characters', { streamName: 'x'.repeat(256) },
        `streamName must be 1 to 255 characters long, got 256 characters ('${'x'.repeat(40)}...'); use a shorter name`],
      ['fails when the name has a slash', { streamName: 'line/1' },
        "streamName may only contain letters, digits, spaces, commas, periods, hyphens and underscores, got 'line/1'; remove the other characters"],
      ['fails when maxSize is below 1 KiB', { streamName: 's', maxSize: Size.bytes(1023) },
        "maxSize of stream 's' must be at least 1024 bytes and less than 8192 PiB (2^63 bytes), got 1023 bytes; use Size.kibibytes(1) or more, and less than Size.pebibytes(8192)"],
      ['fails when maxSize is 8192 PiB', { streamName: 's', maxSize: Size.pebibytes(8192) },
        "maxSize of stream 's' must be at least 1024 bytes and less than 8192 PiB (2^63 bytes), got 9223372036854776000 bytes; use Size.kibibytes(1) or more, and less than Size.pebibytes(8192)"],
      ['fails when streamSegmentSize is below 1 KiB', { streamName: 's', streamSegmentSize: Size.bytes(1023) },
        "streamSegmentSize of stream 's' must be at least 1024 bytes and at most 2147483647 bytes, got 1023 bytes; use from Size.kibibytes(1) to Size.bytes(2147483647) (2 GiB minus one byte)"],
      ['fails when streamSegmentSize is 2 GiB', { streamName: 's', streamSegmentSize: Size.gibibytes(2) },
        "streamSegmentSize of stream 's' must be at least 1024 bytes and at most 2147483647 bytes, got 2147483648 bytes; use from Size.kibibytes(1) to Size.bytes(2147483647) (2 GiB minus one byte)"],
      ['fails when timeToLive is 59 seconds', { streamName: 's', timeToLive: Duration.seconds(59) },
        "timeToLive of stream 's' must be from 60 seconds to 9223372036854 milliseconds, got 59 seconds (59000 ms); use Duration.minutes(1) or more"],
      ['fails when timeToLive is above the maximum', { streamName: 's', timeToLive: Duration.millis(9223372036855) },
        "timeToLive of stream 's' must be from 60 seconds to 9223372036854 milliseconds, got 106751 days 23 hours (9223372036855 ms); use Duration.minutes(1) or more"],
      ['fails when timeToLive is not whole milliseconds', { streamName: 's', timeToLive: Duration.millis(60000.5) },
        "timeToLive of stream 's' must be a whole number of milliseconds, got 60000.5 ms; use Duration.seconds() or Duration.minutes() with whole values"],
      ['fails when flushOnWrite is set with MEMORY persistence', { streamName: 's', persistence: Persistence.MEMORY, flushOnWrite: true },
        "flushOnWrite of stream 's' is set to true but persistence is MEMORY; flushOnWrite only applies to Persistence.FILE: remove flushOnWrite or use Persistence.FILE"],
    ])('%s', (_, props, message) => {
      expect(() => new StreamDefinition(props)).toThrow(message);
    });
  });

  test('fails when the name is a token', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Bucket');
    expect(() => new StreamDefinition({ streamName: bucket.bucketName })).toThrow(/^streamName must be a literal string, got a token/);
  });

  test('fails when two exports of a stream share an identifier', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Bucket');
    expect(() => new StreamDefinition({
      streamName: 'files',
      exports: [
        new S3TaskExport({ identifier: 'upload', destinations: [{ bucket }] }),
        new S3TaskExport({ identifier: 'upload', destinations: [{ bucket }] }),
      ],
    })).toThrow("export identifier 'upload' is used twice in stream 'files'; give each export of a stream its own identifier");
  });

  test('fails when a stream is its own status stream', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Bucket');
    const lookalike = new StreamDefinition({ streamName: 'files' });
    expect(() => new StreamDefinition({
      streamName: 'files',
      exports: [new S3TaskExport({ identifier: 'upload', destinations: [{ bucket }], statusStream: lookalike })],
    })).toThrow("stream 'files' cannot be the status stream of its own export 'upload'; define a separate StreamDefinition for the statuses and pass it as statusStream");
  });
});
