import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SimulatedFleetProps } from './fleet';
import { AbortEvent, EngineResult, MinuteCounts, runRollout } from './private/engine';
import { FleetModel } from './private/fleet-model';
import { SimulationPolicy } from './simulation-policy';

/**
 * How the simulator keeps track of devices.
 */
export enum SimulationEngine {
  /** PER_DEVICE up to 10 000 devices, AGGREGATE above. */
  AUTO = 'AUTO',
  /** Each device is a state machine calling a simulated IoT Jobs data plane (slower, inspectable). */
  PER_DEVICE = 'PER_DEVICE',
  /** The same transitions applied in bulk with per-minute buckets (fast: a million devices in about a second). */
  AGGREGATE = 'AGGREGATE',
}

/**
 * Options of a rollout simulation.
 */
export interface RolloutSimulationOptions {
  /**
   * Stop simulating after this long, even if devices are still in progress.
   *
   * @default Duration.days(7)
   */
  readonly maxDuration?: Duration;

  /**
   * How devices are tracked. Both engines give the same counts for the same seed.
   *
   * @default SimulationEngine.AUTO
   */
  readonly engine?: SimulationEngine;
}

/**
 * Executions per status.
 */
export interface RolloutCounts {
  /** Devices notified of the job so far (their execution exists). */
  readonly notified: number;
  /** Executions waiting for their device to start them (offline devices stay here). */
  readonly queued: number;
  /** Executions started and not yet finished. */
  readonly inProgress: number;
  /** Executions that succeeded. */
  readonly succeeded: number;
  /** Executions that failed. */
  readonly failed: number;
  /** Executions the device rejected. */
  readonly rejected: number;
  /** Executions that hit the in-progress timeout. */
  readonly timedOut: number;
  /** Queued executions canceled when the job was aborted. */
  readonly canceled: number;
  /** Executions removed because their device left the target. */
  readonly removed: number;
}

/**
 * Counts at the end of one minute of a simulated rollout.
 */
export interface RolloutMinute extends RolloutCounts {
  /** Minutes since the job started (0 is the first minute). */
  readonly minute: number;
  /** The rollout rate in force during this minute (0 once the job is aborted). */
  readonly ratePerMinute: number;
  /** Devices notified during this minute. */
  readonly notifiedThisMinute: number;
}

/**
 * When and why the abort criteria canceled the job.
 */
export interface RolloutAbort {
  /** The minute at whose end the job was canceled. */
  readonly minute: number;
  /** The failure type of the criterion that was met (FAILED, REJECTED, TIMED_OUT or ALL). */
  readonly failureType: string;
  /** The criterion's threshold, in percent. */
  readonly thresholdPercentage: number;
  /** The criterion's minimum number of executed things. */
  readonly minNumberOfExecutedThings: number;
  /** Executions that had reached a terminal status (succeeded, failed, rejected, timed out). */
  readonly executedThings: number;
  /** Of those, the failures of the criterion's type. */
  readonly failedThings: number;
  /** failedThings / executedThings, in percent (two decimals). */
  readonly observedPercentage: number;
  /** One sentence saying why. */
  readonly reason: string;
}

/**
 * The result of `RolloutSimulator.simulate`.
 */
export class RolloutSimulation {
  /** @internal */
  public static _fromResult(result: EngineResult, fleetSize: number): RolloutSimulation {
    return new RolloutSimulation(result, fleetSize);
  }

  /** Counts at the end of every minute, from minute 0. */
  public readonly timeline: RolloutMinute[];
  /** Counts when the simulation ended. */
  public readonly finalCounts: RolloutCounts;
  /** Whether the abort criteria canceled the job. */
  public readonly aborted: boolean;
  /**
   * When and why the job was aborted.
   *
   * @default - not aborted
   */
  public readonly abort?: RolloutAbort;
  /** Whether the rollout ended (every device notified or the job aborted, nothing in progress) before `maxDuration`. */
  public readonly finished: boolean;
  /** Minutes simulated. */
  public readonly durationMinutes: number;
  /** How many devices the fleet has. */
  public readonly fleetSize: number;
  /** The engine that ran the simulation. */
  public readonly engine: SimulationEngine;

  private constructor(result: EngineResult, fleetSize: number) {
    this.timeline = result.timeline.map(toMinute);
    const last = this.timeline[this.timeline.length - 1];
    const { minute: _m, ratePerMinute: _r, notifiedThisMinute: _n, ...counts } = last;
    this.finalCounts = counts;
    this.aborted = result.abort !== undefined;
    this.abort = result.abort && toAbort(result.abort);
    this.finished = result.finished;
    this.durationMinutes = this.timeline.length;
    this.fleetSize = fleetSize;
    this.engine = result.engine === 'per-device' ? SimulationEngine.PER_DEVICE : SimulationEngine.AGGREGATE;
  }

  /**
   * Counts at the end of this minute (the last minute's counts past the end).
   */
  public countsAt(minute: number): RolloutMinute {
    if (minute < 0) throw new Error(`minute must not be negative, got ${minute}`);
    return this.timeline[Math.min(Math.floor(minute), this.timeline.length - 1)];
  }

  /**
   * The first minute at whose end at least `devices` devices had succeeded.
   *
   * @returns the minute, or -1 if that never happened
   */
  public minuteWhenSucceeded(devices: number): number {
    const m = this.timeline.find((t) => t.succeeded >= devices);
    return m ? m.minute : -1;
  }

  /**
   * A few lines describing the outcome.
   */
  public summary(): string {
    const c = this.finalCounts;
    const lines = [
      `${this.fleetSize} devices, ${this.durationMinutes} min simulated${this.finished ? '' : ' (not finished)'}`,
      `notified ${c.notified}, succeeded ${c.succeeded}, failed ${c.failed}, rejected ${c.rejected}, timed out ${c.timedOut}, canceled ${c.canceled}, queued ${c.queued}, in progress ${c.inProgress}`,
    ];
    lines.push(this.abort ? this.abort.reason : 'not aborted');
    return lines.join('\n');
  }
}

/**
 * Simulates the IoT Jobs rollout of a Greengrass deployment over a simulated fleet, without any
 * AWS call: deterministic for a seed, so tests can assert on a rollout policy before it ships.
 *
 * Semantics, minute by minute: the rollout notifies `rate` devices at the start of each minute
 * (the base rate, multiplied by the increment factor each time another `numberOfNotifiedThings`
 * devices were notified, or another `numberOfSucceededThings` succeeded, and capped at
 * `maximumPerMinute`; `maximumPerMinute` alone, default 1000, without an exponential rate).
 * Online devices start at once and report after their execution duration; the in-progress timeout
 * turns executions that run at least that long into TIMED_OUT. At the end of each minute the abort
 * criteria are checked: once `minNumberOfExecutedThings` executions are terminal and the failures of
 * the criterion's type (ALL: failed + rejected + timed out) reach `thresholdPercentage` percent of
 * them, the job is canceled: no more notifications, queued executions become CANCELED, executions in
 * progress run to their end.
 */
export class RolloutSimulator {
  /**
   * Simulates a rollout policy over a fleet.
   */
  public static simulate(policy: SimulationPolicy, fleet: SimulatedFleetProps, options: RolloutSimulationOptions = {}): RolloutSimulation {
    const model = new FleetModel(fleet);
    const maxDuration = options.maxDuration ?? Duration.days(7);
    if (Token.isUnresolved(maxDuration.toMinutes({ integral: false }))) {
      throw new Error('maxDuration must be a literal duration, got a token: pass Duration.days(n)');
    }
    const maxMinutes = maxDuration.toMinutes({ integral: false });
    if (!(maxMinutes >= 1 && maxMinutes <= 366 * 24 * 60)) {
      throw new Error(`maxDuration must be between 1 minute and 366 days, got ${maxDuration.toHumanString()}`);
    }
    const engine = options.engine ?? SimulationEngine.AUTO;
    const perDevice = engine === SimulationEngine.PER_DEVICE || (engine === SimulationEngine.AUTO && model.size <= 10_000);
    const result = runRollout(model, policy._rules, perDevice ? 'per-device' : 'aggregate', Math.floor(maxMinutes));
    return RolloutSimulation._fromResult(result, model.size);
  }

  /**
   * Simulates the rollout policy of a deployment construct (see `SimulationPolicy.fromDeployment`).
   */
  public static simulateDeployment(deployment: IConstruct, fleet: SimulatedFleetProps, options: RolloutSimulationOptions = {}): RolloutSimulation {
    return RolloutSimulator.simulate(SimulationPolicy.fromDeployment(deployment), fleet, options);
  }

  private constructor() {}
}

function toMinute(m: MinuteCounts): RolloutMinute {
  return { ...m };
}

function toAbort(a: AbortEvent): RolloutAbort {
  const kinds = a.failureType === 'ALL' ? 'failed, rejected or timed-out' : a.failureType.toLowerCase().replace('_', '-');
  return {
    ...a,
    reason: `aborted at minute ${a.minute}: ${a.failedThings} of ${a.executedThings} executed things ${kinds} (${a.observedPercentage} %), `
      + `reaching the ${a.failureType} threshold of ${a.thresholdPercentage} % after at least ${a.minNumberOfExecutedThings} executed things`,
  };
}
