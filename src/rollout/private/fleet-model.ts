import { Duration } from 'aws-cdk-lib';
import { ExecutionDuration } from '../execution-duration';
import { SimulatedFleetProps } from '../fleet';
import { Stream, uniform } from './prng';

/** What a device does once notified. */
export const enum Outcome {
  OFFLINE = 0,
  SUCCEEDED = 1,
  FAILED = 2,
  REJECTED = 3,
}

/** Largest fleet the simulator accepts (typed arrays and run time stay reasonable). */
export const MAX_FLEET_SIZE = 10_000_000;

/**
 * A validated fleet: each device's fate is a pure function of (seed, device index).
 */
export class FleetModel {
  public readonly size: number;
  public readonly seed: number;
  private readonly failure: number;
  private readonly rejection: number;
  private readonly offline: number;
  private readonly duration: ExecutionDuration;

  constructor(props: SimulatedFleetProps) {
    if (!Number.isInteger(props.size) || props.size < 1 || props.size > MAX_FLEET_SIZE) {
      throw new Error(`fleet size must be an integer between 1 and ${MAX_FLEET_SIZE}, got ${props.size}`);
    }
    this.size = props.size;
    this.failure = probability('failureProbability', props.failureProbability);
    this.rejection = probability('rejectionProbability', props.rejectionProbability);
    this.offline = probability('offlineFraction', props.offlineFraction);
    if (this.failure + this.rejection > 1) {
      throw new Error(`fleet failureProbability + rejectionProbability must be at most 1, got ${this.failure} + ${this.rejection}: lower one of them`);
    }
    const seed = props.seed ?? 1;
    if (!Number.isInteger(seed)) {
      throw new Error(`fleet seed must be an integer, got ${seed}`);
    }
    this.seed = seed;
    this.duration = props.executionDuration ?? ExecutionDuration.fixed(Duration.minutes(1));
  }

  /** What device `i` does once notified. */
  public outcome(i: number): Outcome {
    if (this.offline > 0 && uniform(this.seed, i, Stream.OFFLINE) < this.offline) {
      return Outcome.OFFLINE;
    }
    const u = uniform(this.seed, i, Stream.OUTCOME);
    if (u < this.rejection) return Outcome.REJECTED;
    if (u < this.rejection + this.failure) return Outcome.FAILED;
    return Outcome.SUCCEEDED;
  }

  /** How many seconds device `i` runs the execution before reporting (0 for a rejection). */
  public durationSeconds(i: number, outcome: Outcome): number {
    if (outcome === Outcome.REJECTED) return 0;
    return this.duration._sampleSeconds(uniform(this.seed, i, Stream.DURATION));
  }

  /** The thing name of device `i`. */
  public thingName(i: number): string {
    return `device-${String(i).padStart(7, '0')}`;
  }
}

function probability(name: string, value: number | undefined): number {
  const v = value ?? 0;
  if (!(v >= 0 && v <= 1)) {
    throw new Error(`fleet ${name} must be between 0 and 1, got ${value}: write 5 % as 0.05`);
  }
  return v;
}
