/**
 * A `DataApiBackend` over the offline `DetectorSimulator`: what `greengrass-detectors serve` answers with.
 * The simulator is synchronous and keeps its own clock; this backend moves that clock with the wall clock
 * (`clock: 'wall'`, timers fire in real time, checked before every request) or only when asked
 * (`clock: 'manual'`, `advanceTime`), and turns the simulator's errors into `DataApiError`s.
 */
import { Duration } from 'aws-cdk-lib';
import { DataApiBackend, DataApiError, DataApiRequestContext } from './backend';
import {
  BatchDeleteDetectorRequest, BatchDeleteDetectorResponse, BatchPutMessageRequest, BatchPutMessageResponse,
  BatchUpdateDetectorRequest, BatchUpdateDetectorResponse, DescribeDetectorRequest, DescribeDetectorResponse,
  DetectorSimulator, ListDetectorsRequest, ListDetectorsResponse,
} from '../../../detector/simulator';
import { MAX_TIMESTAMP_MS } from '../../../private/detector-engine/data-api-limits';

/** How the simulated time moves. */
export type SimulatorClock = 'wall' | 'manual';

/** Options of a simulator backend. */
export interface SimulatorBackendOptions {
  /**
   * `wall`: the simulated time follows the wall clock (plus what `advanceTime` added); `manual`: it moves
   * only with `advanceTime` and with message timestamps later than it.
   *
   * @default 'wall'
   */
  readonly clock?: SimulatorClock;
  /** The wall clock, in milliseconds since the epoch (tests). @default Date.now */
  readonly now?: () => number;
}

export class SimulatorBackend implements DataApiBackend {
  private readonly clock: SimulatorClock;
  private readonly now: () => number;
  /** What `advanceTime` added on top of the wall clock. */
  private offsetMs = 0;

  constructor(readonly simulator: DetectorSimulator, options: SimulatorBackendOptions = {}) {
    this.clock = options.clock ?? 'wall';
    this.now = options.now ?? Date.now;
  }

  /** Moves the simulated time forward by `seconds` (≥ 0), firing the timers due on the way. */
  public advanceTime(seconds: number): Date {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new DataApiError('InvalidRequestException', `seconds must be a number of seconds >= 0, got ${JSON.stringify(seconds)}`);
    }
    this.sync();
    const ms = Math.round(seconds * 1000);
    const from = this.simulator.currentTime;
    if (from.getTime() + ms > MAX_TIMESTAMP_MS) {
      throw new DataApiError('InvalidRequestException',
        `seconds must bring the simulated time (${from.toISOString()}) no later than ${new Date(MAX_TIMESTAMP_MS).toISOString()}, got ${seconds}`);
    }
    this.offsetMs += ms;
    this.simulator.advanceTime(Duration.millis(ms));
    return this.simulator.currentTime;
  }

  /** The simulated time, after catching up with the wall clock. */
  public currentTime(): Date {
    this.sync();
    return this.simulator.currentTime;
  }

  public async batchPutMessage(req: BatchPutMessageRequest): Promise<BatchPutMessageResponse> {
    return this.run(() => this.simulator.batchPutMessage(req));
  }

  public async batchUpdateDetector(req: BatchUpdateDetectorRequest): Promise<BatchUpdateDetectorResponse> {
    return this.run(() => this.simulator.batchUpdateDetector(req));
  }

  public async batchDeleteDetector(req: BatchDeleteDetectorRequest): Promise<BatchDeleteDetectorResponse> {
    return this.run(() => this.simulator.batchDeleteDetector(req));
  }

  public async describeDetector(req: DescribeDetectorRequest): Promise<DescribeDetectorResponse> {
    this.requireModel(req.detectorModelName);
    return this.run(() => this.simulator.describeDetector(req));
  }

  public async listDetectors(req: ListDetectorsRequest): Promise<ListDetectorsResponse> {
    this.requireModel(req.detectorModelName);
    return this.run(() => this.simulator.listDetectors(req));
  }

  /** The service answers an unknown detector model with ResourceNotFoundException (404). */
  private requireModel(name: string): void {
    if (!this.simulator.detectorModelNames.includes(name)) {
      throw new DataApiError('ResourceNotFoundException',
        `detector model '${name}' does not exist; the local runtime has ${this.simulator.detectorModelNames.join(', ') || 'no detector model'}`);
    }
  }

  private sync(): void {
    if (this.clock !== 'wall') return;
    const target = this.now() + this.offsetMs;
    const current = this.simulator.currentTime.getTime();
    if (target > current) this.simulator.advanceTime(Duration.millis(target - current));
  }

  private run<T>(operation: () => T): T {
    this.sync();
    try {
      return operation();
    } catch (e: any) {
      if (e instanceof DataApiError) throw e;
      if (e?.name === 'ResourceNotFoundException' || e?.name === 'InvalidRequestException') throw new DataApiError(e.name, e.message);
      throw e;
    }
  }
}

/**
 * A backend that answers `ThrottlingException` (429) once more than `requestsPerSecond` requests arrive in a
 * second (a token bucket of that size, at least 1, refilled continuously): how the local server provokes the error
 * the service returns when a caller exceeds its quota.
 */
export class ThrottlingBackend implements DataApiBackend {
  private readonly capacity: number;
  private tokens: number;
  private last: number;

  constructor(private readonly inner: DataApiBackend, private readonly requestsPerSecond: number, private readonly now: () => number = Date.now) {
    if (!Number.isFinite(requestsPerSecond) || requestsPerSecond <= 0) {
      throw new Error(`requestsPerSecond must be a number > 0, got ${requestsPerSecond}`);
    }
    this.capacity = Math.max(1, requestsPerSecond);
    this.tokens = this.capacity;
    this.last = now();
  }

  public batchPutMessage(req: BatchPutMessageRequest, ctx?: DataApiRequestContext) {
    return this.take(() => this.inner.batchPutMessage(req, ctx));
  }
  public batchUpdateDetector(req: BatchUpdateDetectorRequest, ctx?: DataApiRequestContext) {
    return this.take(() => this.inner.batchUpdateDetector(req, ctx));
  }
  public batchDeleteDetector(req: BatchDeleteDetectorRequest, ctx?: DataApiRequestContext) {
    return this.take(() => this.inner.batchDeleteDetector(req, ctx));
  }
  public describeDetector(req: DescribeDetectorRequest, ctx?: DataApiRequestContext) {
    return this.take(() => this.inner.describeDetector(req, ctx));
  }
  public listDetectors(req: ListDetectorsRequest, ctx?: DataApiRequestContext) {
    return this.take(() => this.inner.listDetectors(req, ctx));
  }

  private async take<T>(operation: () => Promise<T>): Promise<T> {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.requestsPerSecond);
    this.last = t;
    if (this.tokens < 1) {
      throw new DataApiError('ThrottlingException', `Rate exceeded: the local runtime accepts ${this.requestsPerSecond} requests per second (--max-requests-per-second)`);
    }
    this.tokens -= 1;
    return operation();
  }
}
