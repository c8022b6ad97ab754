/**
 * What the fleet waiter concludes from the counts of an IoT job. Pure and free of AWS SDK and CDK
 * imports: the isComplete handler runs it on DescribeJob's `jobProcessDetails`, and tests run it on
 * the rollout simulator's counts.
 */
import { OfflineMode, ThresholdKind } from '../api';

/** Executions per status (DescribeJob `jobProcessDetails`). */
export interface FleetCounts {
  readonly succeeded: number;
  readonly failed: number;
  readonly rejected: number;
  readonly timedOut: number;
  readonly canceled: number;
  readonly removed: number;
  readonly queued: number;
  readonly inProgress: number;
}

/** The state of the job at one poll. */
export interface JobState {
  readonly counts: FleetCounts;
  /** Every target device has been notified (no `processingTargets` and not `isConcurrent`, or the job is no longer IN_PROGRESS). */
  readonly rolloutComplete: boolean;
  /** The job was canceled (by its abort criteria or by hand): nothing new will start. */
  readonly canceled: boolean;
}

/** The success rule. */
export interface CompletionRule {
  readonly threshold: ThresholdKind;
  /** Percentage for PERCENTAGE, number of devices for COUNT. */
  readonly value: number;
  readonly offline: OfflineMode;
}

export type Outcome = 'SUCCEEDED' | 'FAILED' | 'PENDING';

export interface Conclusion {
  readonly outcome: Outcome;
  /** Devices that must succeed (once known). */
  readonly required?: number;
  /** One sentence: why it succeeded or failed, or what it waits for. */
  readonly reason: string;
}

export function totalOf(c: FleetCounts): number {
  return c.succeeded + c.failed + c.rejected + c.timedOut + c.canceled + c.removed + c.queued + c.inProgress;
}

export function describeCounts(c: FleetCounts): string {
  return `${c.succeeded} succeeded, ${c.failed} failed, ${c.rejected} rejected, ${c.timedOut} timed out, `
    + `${c.canceled} canceled, ${c.removed} removed, ${c.queued} queued, ${c.inProgress} in progress (${totalOf(c)} notified)`;
}

export function describeThreshold(rule: CompletionRule): string {
  switch (rule.threshold) {
    case 'ALL': return 'all devices';
    case 'PERCENTAGE': return `${rule.value} % of the devices`;
    case 'COUNT': return `${rule.value} devices`;
  }
}

/**
 * Decides whether the deployment reached enough devices.
 *
 * - COUNT succeeds as soon as that many devices succeeded.
 * - A canceled job (abort criteria, or by hand) fails ALL and PERCENTAGE: the devices not yet
 *   notified never get the deployment, and the job's counts do not include them.
 * - ALL and PERCENTAGE need the fleet's size, known once every device was notified; the denominator
 *   leaves out REMOVED devices (they left the target) and, with EXCLUDE, devices still QUEUED once
 *   nothing is in progress (offline devices).
 * - It fails as soon as the threshold cannot be reached any more: succeeded + in progress + queued
 *   (queued only while they may still start: not once the job is canceled, nor with COUNT_AS_FAILED
 *   once nothing is in progress) + devices not yet notified is below what is required.
 * - `timedOut` fails whatever is still pending.
 */
export function evaluate(state: JobState, rule: CompletionRule, timedOut: boolean): Conclusion {
  const c = state.counts;
  const total = totalOf(c);
  const notifiedAll = state.rolloutComplete || state.canceled;
  const settled = notifiedAll && c.inProgress === 0;
  const threshold = describeThreshold(rule);

  if (total === 0 && !notifiedAll) {
    return timedOut
      ? { outcome: 'FAILED', reason: `timed out: no device was notified of the deployment (${threshold} required)` }
      : { outcome: 'PENDING', reason: 'no device notified yet' };
  }

  const excludedOffline = rule.offline === 'EXCLUDE' && settled ? c.queued : 0;
  const fleet = total - c.removed - excludedOffline;
  let required: number | undefined;
  if (rule.threshold === 'COUNT') {
    required = rule.value;
  } else if (notifiedAll) {
    required = rule.threshold === 'ALL' ? fleet : Math.ceil((Math.round(rule.value * 100) * fleet) / 10000);
  }

  if (state.canceled && rule.threshold !== 'COUNT') {
    // The job's counts cover only the devices notified before the cancel: the rest of the fleet never got it.
    return {
      outcome: 'FAILED',
      required,
      reason: `the job was canceled (abort criteria met or canceled by hand) before reaching ${threshold}: ${c.succeeded} succeeded`,
    };
  }

  if (required !== undefined && c.succeeded >= required && c.succeeded > 0) {
    return { outcome: 'SUCCEEDED', required, reason: `${c.succeeded} devices succeeded, ${threshold} required (${required})` };
  }

  const queuedMayStart = !state.canceled && !(rule.offline === 'COUNT_AS_FAILED' && settled) && excludedOffline === 0;
  const potential = notifiedAll ? c.succeeded + c.inProgress + (queuedMayStart ? c.queued : 0) : Infinity;
  if (required !== undefined && (potential < required || (required === 0 && settled))) {
    const why = state.canceled ? 'the job was canceled (abort criteria met or canceled by hand)' : 'too many devices failed or never started';
    return {
      outcome: 'FAILED',
      required,
      reason: `the deployment cannot reach ${threshold} (${required} must succeed, at most ${potential} can): ${why}`,
    };
  }

  if (timedOut) {
    return {
      outcome: 'FAILED',
      required,
      reason: `timed out waiting for ${threshold}${required !== undefined ? ` (${required} must succeed)` : ''}: ${c.succeeded} succeeded so far`,
    };
  }
  return { outcome: 'PENDING', required, reason: `waiting for ${threshold}: ${c.succeeded} succeeded so far` };
}
