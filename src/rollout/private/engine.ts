import { SimulatedDevice } from './device';
import { FleetModel, Outcome } from './fleet-model';
import { SimulatedJobsService, StatusCounts } from './jobs-service';
import { AbortRule, RolloutRules } from './rules';
import type { RolloutCounts } from '../rollout-simulator';

/** Counts at the end of one simulated minute. */
export interface MinuteCounts extends RolloutCounts {
  readonly minute: number;
  readonly ratePerMinute: number;
  readonly notifiedThisMinute: number;
}

/** Why and when the job was canceled by its abort criteria. */
export interface AbortEvent {
  readonly minute: number;
  readonly failureType: AbortRule['failureType'];
  readonly thresholdPercentage: number;
  readonly minNumberOfExecutedThings: number;
  readonly executedThings: number;
  readonly failedThings: number;
  readonly observedPercentage: number;
}

export interface EngineResult {
  readonly timeline: MinuteCounts[];
  readonly abort?: AbortEvent;
  readonly finished: boolean;
  readonly engine: 'per-device' | 'aggregate';
  /** The per-device engine's service, to inspect executions (undefined for the aggregate engine). */
  readonly service?: SimulatedJobsService;
  /** The per-device engine's devices. */
  readonly devices?: SimulatedDevice[];
}

/**
 * What the minute loop needs from a fleet: both engines apply the same transitions, one device
 * at a time with the data-plane protocol, or in bulk with per-minute buckets.
 */
interface Backend {
  readonly counts: StatusCounts;
  /** Notifies devices [first, first + count) at the start of `minute`; online devices start at once. */
  notify(first: number, count: number, minute: number): void;
  /** Applies every report and in-progress timeout that falls within `minute`. */
  drain(minute: number): void;
  /** The job is canceled at the end of `minute`: QUEUED executions become CANCELED. */
  cancelQueued(minute: number): void;
}

const enum EventKind { TIMEOUT = 0, REPORT = 1 }

class PerDeviceBackend implements Backend {
  public readonly counts = new StatusCounts();
  public readonly service = new SimulatedJobsService('simulated-job', this.counts);
  public readonly devices: SimulatedDevice[] = [];
  private readonly buckets = new Map<number, Array<{ time: number; kind: EventKind; device: number }>>();

  constructor(private readonly fleet: FleetModel, private readonly rules: RolloutRules) {}

  public notify(first: number, count: number, minute: number): void {
    const now = minute * 60;
    for (let i = first; i < first + count; i++) {
      const outcome = this.fleet.outcome(i);
      const device = new SimulatedDevice(this.fleet.thingName(i), outcome, this.fleet.durationSeconds(i, outcome));
      this.devices[i] = device;
      this.service.notify(device.thingName, now);
      const due = device.onNotified(this.service, now);
      if (due === undefined) continue;
      // The device reports when done; the service's timer fires at the timeout. Whichever comes first wins.
      const reportMinute = minute + Math.floor(device.durationSeconds / 60);
      this.schedule(reportMinute, due, EventKind.REPORT, i);
      if (this.rules.timeoutMinutes !== undefined) {
        this.schedule(minute + this.rules.timeoutMinutes, now + this.rules.timeoutMinutes * 60, EventKind.TIMEOUT, i);
      }
    }
  }

  public drain(minute: number): void {
    const events = this.buckets.get(minute);
    if (!events) return;
    this.buckets.delete(minute);
    events.sort((a, b) => a.time - b.time || a.kind - b.kind || a.device - b.device);
    for (const e of events) {
      const device = this.devices[e.device];
      if (e.kind === EventKind.TIMEOUT) this.service.timeOut(device.thingName, e.time);
      else device.report(this.service, e.time);
    }
  }

  public cancelQueued(minute: number): void {
    this.service.cancelQueued(minute * 60 + 59);
  }

  private schedule(minute: number, time: number, kind: EventKind, device: number): void {
    let bucket = this.buckets.get(minute);
    if (!bucket) this.buckets.set(minute, bucket = []);
    bucket.push({ time, kind, device });
  }
}

class AggregateBackend implements Backend {
  public readonly counts = new StatusCounts();
  private readonly succeeded: Int32Array;
  private readonly failed: Int32Array;
  private readonly rejected: Int32Array;
  private readonly timedOut: Int32Array;

  constructor(private readonly fleet: FleetModel, private readonly rules: RolloutRules, private readonly horizon: number) {
    this.succeeded = new Int32Array(horizon + 1);
    this.failed = new Int32Array(horizon + 1);
    this.rejected = new Int32Array(horizon + 1);
    this.timedOut = new Int32Array(horizon + 1);
  }

  public notify(first: number, count: number, minute: number): void {
    const c = this.counts;
    const timeout = this.rules.timeoutMinutes;
    c.notified += count;
    for (let i = first; i < first + count; i++) {
      const outcome = this.fleet.outcome(i);
      if (outcome === Outcome.OFFLINE) {
        c.queued += 1;
        continue;
      }
      c.inProgress += 1;
      const d = this.fleet.durationSeconds(i, outcome);
      let at: number;
      let bucket: Int32Array;
      if (timeout !== undefined && outcome !== Outcome.REJECTED && d >= timeout * 60) {
        at = minute + timeout;
        bucket = this.timedOut;
      } else {
        at = minute + Math.floor(d / 60);
        bucket = outcome === Outcome.SUCCEEDED ? this.succeeded : outcome === Outcome.FAILED ? this.failed : this.rejected;
      }
      if (at <= this.horizon) bucket[at] += 1;
    }
  }

  public drain(minute: number): void {
    const c = this.counts;
    const s = this.succeeded[minute], f = this.failed[minute], r = this.rejected[minute], t = this.timedOut[minute];
    c.succeeded += s;
    c.failed += f;
    c.rejected += r;
    c.timedOut += t;
    c.inProgress -= s + f + r + t;
  }

  public cancelQueued(_minute: number): void {
    this.counts.canceled += this.counts.queued;
    this.counts.queued = 0;
  }
}

/** Notifications for the next minute under the rollout rules. */
export function rateFor(rules: RolloutRules, notified: number, succeeded: number): number {
  if (!rules.exponential) return rules.maximumPerMinute;
  const e = rules.exponential;
  const progress = e.notifiedThings !== undefined ? notified : succeeded;
  const increases = Math.floor(progress / (e.notifiedThings ?? e.succeededThings)!);
  return Math.min(rules.maximumPerMinute, Math.floor(e.baseRatePerMinute * Math.pow(e.incrementFactor, increases)));
}

/**
 * The first abort criterion met by these counts, if any. A criterion is met once at least
 * `minNumberOfExecutedThings` executions are terminal (succeeded, failed, rejected or timed out) and
 * the failures of its type reach `thresholdPercentage` of them (ALL counts every failure type).
 */
export function abortCriterionMet(rules: RolloutRules, c: { succeeded: number; failed: number; rejected: number; timedOut: number }):
{ rule: AbortRule; executed: number; failures: number } | undefined {
  const executed = c.succeeded + c.failed + c.rejected + c.timedOut;
  for (const rule of rules.abort) {
    if (executed < rule.minNumberOfExecutedThings) continue;
    const failures = rule.failureType === 'FAILED' ? c.failed
      : rule.failureType === 'REJECTED' ? c.rejected
        : rule.failureType === 'TIMED_OUT' ? c.timedOut
          : c.failed + c.rejected + c.timedOut;
    // thresholdPercentage has at most two decimals: compare in integers (hundredths of a percent).
    if (failures * 10000 >= Math.round(rule.thresholdPercentage * 100) * executed) {
      return { rule, executed, failures };
    }
  }
  return undefined;
}

/**
 * Runs the rollout minute by minute. In each minute: the rollout notifies `rate` more devices
 * (the rate is fixed at the start of the minute from the counts so far), the reports and
 * timeouts that fall within the minute are applied, then the abort criteria are checked; when
 * one is met the job is canceled: no more notifications, QUEUED executions become CANCELED,
 * IN_PROGRESS ones run to their end.
 */
export function runRollout(fleet: FleetModel, rules: RolloutRules, engine: 'per-device' | 'aggregate', maxMinutes: number): EngineResult {
  const perDevice = engine === 'per-device' ? new PerDeviceBackend(fleet, rules) : undefined;
  const backend: Backend = perDevice ?? new AggregateBackend(fleet, rules, maxMinutes);
  const c = backend.counts;
  const timeline: MinuteCounts[] = [];
  let abort: AbortEvent | undefined;
  let finished = false;
  for (let minute = 0; minute <= maxMinutes; minute++) {
    const rate = abort ? 0 : rateFor(rules, c.notified, c.succeeded);
    const n = Math.min(rate, fleet.size - c.notified);
    if (n > 0) backend.notify(c.notified, n, minute);
    backend.drain(minute);
    if (!abort) {
      const met = abortCriterionMet(rules, c);
      if (met) {
        abort = {
          minute,
          failureType: met.rule.failureType,
          thresholdPercentage: met.rule.thresholdPercentage,
          minNumberOfExecutedThings: met.rule.minNumberOfExecutedThings,
          executedThings: met.executed,
          failedThings: met.failures,
          observedPercentage: Math.round((met.failures * 10000) / met.executed) / 100,
        };
        backend.cancelQueued(minute);
      }
    }
    timeline.push({
      minute,
      ratePerMinute: abort && abort.minute < minute ? 0 : rate,
      notifiedThisMinute: n,
      notified: c.notified,
      queued: c.queued,
      inProgress: c.inProgress,
      succeeded: c.succeeded,
      failed: c.failed,
      rejected: c.rejected,
      timedOut: c.timedOut,
      canceled: c.canceled,
      removed: c.removed,
    });
    if ((c.notified === fleet.size || abort) && c.inProgress === 0) {
      finished = true;
      break;
    }
  }
  return { timeline, abort, finished, engine, service: perDevice?.service, devices: perDevice?.devices };
}
