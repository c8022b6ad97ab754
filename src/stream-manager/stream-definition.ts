import { Duration, Size } from 'aws-cdk-lib';
import { StreamExport } from './exports';
import { StreamSpec } from './private/stream-spec';
import { durationMillis, sizeBytes, STREAM_LIMITS, validateStreamIdentifier } from './private/stream-validation';
import { renderStreamDefinition } from './private/stream-wire';

/**
 * What Stream Manager does when a stream reaches its maximum size.
 */
export enum StrategyOnFull {
  /** Appending to a full stream fails. */
  REJECT_NEW_DATA = 'REJECT_NEW_DATA',
  /** The oldest segments are deleted to make room. */
  OVERWRITE_OLDEST_DATA = 'OVERWRITE_OLDEST_DATA',
}

/**
 * Where Stream Manager keeps a stream's messages.
 */
export enum Persistence {
  /** On the device's file system: survives restarts. */
  FILE = 'FILE',
  /** In memory only: faster, lost on restart. */
  MEMORY = 'MEMORY',
}

/**
 * Properties of a Stream Manager stream.
 */
export interface StreamDefinitionProps {
  /**
   * The stream's name on the device: 1 to 255 letters, digits, spaces, commas, periods,
   * hyphens or underscores. Unique among the streams of a device.
   */
  readonly streamName: string;

  /**
   * Maximum size of the whole stream. At least 1 KiB.
   *
   * @default Size.mebibytes(256)
   */
  readonly maxSize?: Size;

  /**
   * Size of each segment of the stream: data is deleted a segment at a time.
   * From 1 KiB to 2 GiB minus one byte.
   *
   * @default Size.mebibytes(16)
   */
  readonly streamSegmentSize?: Size;

  /**
   * How long messages are kept. At least 60 seconds.
   *
   * @default - messages are kept until the stream is full
   */
  readonly timeToLive?: Duration;

  /**
   * What happens when the stream is full.
   *
   * @default StrategyOnFull.OVERWRITE_OLDEST_DATA
   */
  readonly strategyOnFull?: StrategyOnFull;

  /**
   * Where the messages are kept.
   *
   * @default - Stream Manager's default (Persistence.FILE)
   */
  readonly persistence?: Persistence;

  /**
   * Wait for the file system to complete each write. Only with `Persistence.FILE`.
   *
   * @default - Stream Manager's default (false)
   */
  readonly flushOnWrite?: boolean;

  /**
   * Where Stream Manager exports the stream's messages. Identifiers unique within the stream.
   *
   * @default - the stream is not exported
   */
  readonly exports?: StreamExport[];
}

/**
 * A Stream Manager stream (`MessageStreamDefinition`), validated when it is created.
 *
 * Deploy it with a `StreamProvisioner`, which creates or updates it on the devices and grants
 * the devices' role what its exports need; or put it in your own component's configuration
 * with a `StreamSet`.
 */
export class StreamDefinition {
  /**
   * The stream's name on the device.
   */
  public readonly streamName: string;

  /**
   * Maximum size of the stream.
   */
  public readonly maxSize: Size;

  /**
   * Size of each segment.
   */
  public readonly streamSegmentSize: Size;

  /**
   * How long messages are kept.
   *
   * @default - until the stream is full
   */
  public readonly timeToLive?: Duration;

  /**
   * What happens when the stream is full.
   */
  public readonly strategyOnFull: StrategyOnFull;

  /**
   * Where the messages are kept.
   *
   * @default - Stream Manager's default (file)
   */
  public readonly persistence?: Persistence;

  /**
   * Whether each write waits for the file system.
   *
   * @default - Stream Manager's default (false)
   */
  public readonly flushOnWrite?: boolean;

  /**
   * The stream's exports.
   */
  public readonly exports: StreamExport[];

  private readonly spec: StreamSpec;

  constructor(props: StreamDefinitionProps) {
    validateStreamIdentifier('streamName', props.streamName);
    const what = `stream '${props.streamName}'`;
    const maxSize = props.maxSize ?? Size.mebibytes(256);
    const streamSegmentSize = props.streamSegmentSize ?? Size.mebibytes(16);
    const maxSizeBytes = sizeBytes(`maxSize of ${what}`, maxSize, STREAM_LIMITS.maxSizeMinBytes, undefined,
      'use Size.kibibytes(1) or more, and less than Size.pebibytes(8192)')!;
    const streamSegmentSizeBytes = sizeBytes(`streamSegmentSize of ${what}`, streamSegmentSize, STREAM_LIMITS.segmentSizeMinBytes,
      STREAM_LIMITS.segmentSizeMaxBytes, 'use from Size.kibibytes(1) to Size.bytes(2147483647) (2 GiB minus one byte)')!;
    const timeToLiveMillis = durationMillis(`timeToLive of ${what}`, props.timeToLive);
    if (props.flushOnWrite !== undefined && props.persistence === Persistence.MEMORY) {
      throw new Error(`flushOnWrite of ${what} is set to ${props.flushOnWrite} but persistence is MEMORY; flushOnWrite only applies to Persistence.FILE: remove flushOnWrite or use Persistence.FILE`);
    }
    const exports = [...(props.exports ?? [])];
    const identifiers = new Set<string>();
    for (const e of exports) {
      if (identifiers.has(e.identifier)) {
        throw new Error(`export identifier '${e.identifier}' is used twice in ${what}; give each export of a stream its own identifier`);
      }
      identifiers.add(e.identifier);
      if (e.statusStreamName() === props.streamName) {
        throw new Error(`${what} cannot be the status stream of its own export '${e.identifier}'; define a separate StreamDefinition for the statuses and pass it as statusStream`);
      }
    }

    this.streamName = props.streamName;
    this.maxSize = maxSize;
    this.streamSegmentSize = streamSegmentSize;
    this.timeToLive = props.timeToLive;
    this.strategyOnFull = props.strategyOnFull ?? StrategyOnFull.OVERWRITE_OLDEST_DATA;
    this.persistence = props.persistence;
    this.flushOnWrite = props.flushOnWrite;
    this.exports = exports;
    this.spec = {
      name: props.streamName,
      maxSizeBytes,
      streamSegmentSizeBytes,
      timeToLiveMillis,
      strategyOnFull: this.strategyOnFull,
      persistence: props.persistence,
      flushOnWrite: props.flushOnWrite,
      exports: exports.map(e => e._spec),
    };
  }

  /**
   * The names of the streams this stream's exports append status messages to.
   */
  public statusStreamNames(): string[] {
    return this.exports.map(e => e.statusStreamName()).filter((n): n is string => n !== undefined);
  }

  /**
   * The definition in the Stream Manager wire format, as the Stream Manager SDKs serialize a
   * `MessageStreamDefinition` (`asMap()` / `as_dict()`): what `MessageStreamDefinition.fromMap`
   * (JavaScript) or `MessageStreamDefinition.from_dict` (Python) load.
   * Values from other constructs (such as a Kinesis stream name) are CloudFormation tokens.
   */
  public toWireFormat(): any {
    return renderStreamDefinition(this.spec);
  }
}
