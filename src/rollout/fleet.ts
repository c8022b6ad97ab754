import { ExecutionDuration } from './execution-duration';

/**
 * A simulated fleet of devices for `RolloutSimulator`.
 */
export interface SimulatedFleetProps {
  /**
   * How many devices the deployment targets.
   */
  readonly size: number;

  /**
   * Probability, per device, that the device reports FAILED after running the execution.
   *
   * @default 0
   */
  readonly failureProbability?: number;

  /**
   * Probability, per device, that the device rejects the job document (REJECTED) as soon as it
   * starts the execution.
   *
   * @default 0
   */
  readonly rejectionProbability?: number;

  /**
   * Fraction of devices that are offline: they are notified but never start the execution,
   * so it stays QUEUED (an in-progress timeout never starts for them).
   *
   * @default 0
   */
  readonly offlineFraction?: number;

  /**
   * How long an execution runs, from start to the device's report.
   *
   * @default ExecutionDuration.fixed(Duration.minutes(1))
   */
  readonly executionDuration?: ExecutionDuration;

  /**
   * Seed of the simulation's random draws: the same seed gives the same rollout.
   *
   * @default 1
   */
  readonly seed?: number;
}
