import { Duration } from 'aws-cdk-lib';
import { CompletionRule, FleetCounts, JobState, evaluate } from '../../../../src/deployment/completion/private/evaluate';
import {
  ExecutionDuration, RolloutSimulation, RolloutSimulator, SimulatedFleetProps, SimulationEngine, SimulationPolicy,
} from '../../../../src/rollout';

const ZERO: FleetCounts = { succeeded: 0, failed: 0, rejected: 0, timedOut: 0, canceled: 0, removed: 0, queued: 0, inProgress: 0 };
const ALL: CompletionRule = { threshold: 'ALL', value: 100, offline: 'WAIT' };

function state(counts: Partial<FleetCounts>, rolloutComplete = true, canceled = false): JobState {
  return { counts: { ...ZERO, ...counts }, rolloutComplete, canceled };
}

describe('evaluate (hand-computed)', () => {
  test.each([
    // [counts, rolloutComplete, rule, outcome]
    [{ succeeded: 10 }, true, ALL, 'SUCCEEDED'],
    [{ succeeded: 10 }, false, ALL, 'PENDING'], // more devices may still be notified
    [{ succeeded: 9, inProgress: 1 }, true, ALL, 'PENDING'],
    [{ succeeded: 9, failed: 1 }, true, ALL, 'FAILED'],
    [{ succeeded: 9, removed: 1 }, true, ALL, 'SUCCEEDED'], // removed devices left the group
    [{ succeeded: 95, failed: 5 }, true, { threshold: 'PERCENTAGE', value: 95, offline: 'WAIT' }, 'SUCCEEDED'],
    [{ succeeded: 94, failed: 6 }, true, { threshold: 'PERCENTAGE', value: 95, offline: 'WAIT' }, 'FAILED'],
    [{ succeeded: 94, failed: 5, inProgress: 1 }, true, { threshold: 'PERCENTAGE', value: 95, offline: 'WAIT' }, 'PENDING'],
    [{ succeeded: 3, inProgress: 500 }, false, { threshold: 'COUNT', value: 3, offline: 'WAIT' }, 'SUCCEEDED'],
    [{ succeeded: 2, failed: 1 }, true, { threshold: 'COUNT', value: 3, offline: 'WAIT' }, 'FAILED'], // fleet too small
    [{ succeeded: 8, queued: 2 }, true, ALL, 'PENDING'], // offline devices may come back
    [{ succeeded: 8, queued: 2 }, true, { ...ALL, offline: 'COUNT_AS_FAILED' }, 'FAILED'],
    [{ succeeded: 8, queued: 2 }, true, { ...ALL, offline: 'EXCLUDE' }, 'SUCCEEDED'],
    [{ succeeded: 8, queued: 1, inProgress: 1 }, true, { ...ALL, offline: 'EXCLUDE' }, 'PENDING'],
    [{ queued: 5 }, true, { ...ALL, offline: 'EXCLUDE' }, 'FAILED'], // nobody left to succeed
    [{ succeeded: 5, failed: 5, canceled: 10 }, true, { threshold: 'COUNT', value: 6, offline: 'WAIT' }, 'FAILED'],
    [{}, false, ALL, 'PENDING'],
  ] as Array<[Partial<FleetCounts>, boolean, CompletionRule, string]>)('%j (rollout complete: %s) with %j is %s', (counts, complete, rule, outcome) => {
    expect(evaluate(state(counts, complete), rule, false).outcome).toBe(outcome);
  });

  test('a timeout fails what is still pending, with the reason', () => {
    expect(evaluate(state({ succeeded: 8, queued: 2 }), ALL, true)).toEqual({
      outcome: 'FAILED', required: 10, reason: 'timed out waiting for all devices (10 must succeed): 8 succeeded so far',
    });
    expect(evaluate(state({}, false), ALL, true).reason).toBe('timed out: no device was notified of the deployment (all devices required)');
  });

  test('a canceled job says so', () => {
    expect(evaluate(state({ succeeded: 5, failed: 5, queued: 0, canceled: 3 }, true, true), ALL, false).reason)
      .toBe('the job was canceled (abort criteria met or canceled by hand) before reaching all devices: 5 succeeded');
    expect(evaluate(state({ succeeded: 6, failed: 5 }, true, true), { threshold: 'COUNT', value: 6, offline: 'WAIT' }, false).outcome).toBe('SUCCEEDED');
  });
});

/** What DescribeJob would report at the end of a simulated minute. */
function jobStateAt(sim: RolloutSimulation, minute: number): JobState {
  const m = sim.countsAt(minute);
  const aborted = sim.abort !== undefined && sim.abort.minute <= minute;
  return {
    counts: {
      succeeded: m.succeeded,
      failed: m.failed,
      rejected: m.rejected,
      timedOut: m.timedOut,
      canceled: m.canceled,
      removed: m.removed,
      queued: m.queued,
      inProgress: m.inProgress,
    },
    rolloutComplete: m.notified === sim.fleetSize || aborted,
    canceled: aborted,
  };
}

function firstConclusion(sim: RolloutSimulation, rule: CompletionRule): { minute: number; outcome: string } {
  for (const m of sim.timeline) {
    const c = evaluate(jobStateAt(sim, m.minute), rule, false);
    if (c.outcome !== 'PENDING') return { minute: m.minute, outcome: c.outcome };
  }
  return { minute: -1, outcome: 'PENDING' };
}

describe('the waiter agrees with the simulator', () => {
  const policy = SimulationPolicy.fromJobConfiguration({
    jobExecutionsRolloutConfig: {
      exponentialRate: {
        baseRatePerMinute: 10,
        incrementFactor: 2,
        rateIncreaseCriteria: { numberOfNotifiedThings: 50 },
      },
      maximumPerMinute: 200,
    },
    abortConfig: { criteriaList: [{ failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 10, minNumberOfExecutedThings: 50 }] },
    timeoutConfig: { inProgressTimeoutInMinutes: 10 },
  });
  const duration = ExecutionDuration.uniform(Duration.seconds(20), Duration.minutes(4));
  const simulate = (fleet: Partial<SimulatedFleetProps>, engine = SimulationEngine.AUTO) =>
    RolloutSimulator.simulate(policy, { size: 2000, executionDuration: duration, seed: 11, ...fleet }, { engine });

  test.each([SimulationEngine.PER_DEVICE, SimulationEngine.AGGREGATE])('a healthy fleet succeeds exactly when the last device succeeds (%s)', (engine) => {
    const sim = simulate({}, engine);
    expect(sim.finalCounts.succeeded).toBe(2000);
    expect(firstConclusion(sim, ALL)).toEqual({ minute: sim.minuteWhenSucceeded(2000), outcome: 'SUCCEEDED' });
  });

  test('a count threshold succeeds at the minute the simulator reaches that count', () => {
    const sim = simulate({ failureProbability: 0.02 });
    expect(firstConclusion(sim, { threshold: 'COUNT', value: 500, offline: 'WAIT' })).toEqual({ minute: sim.minuteWhenSucceeded(500), outcome: 'SUCCEEDED' });
  });

  test('an aborted rollout fails the wait at the abort minute', () => {
    const sim = simulate({ failureProbability: 0.3 });
    expect(sim.aborted).toBe(true);
    expect(firstConclusion(sim, ALL)).toEqual({ minute: sim.abort!.minute, outcome: 'FAILED' });
    expect(firstConclusion(sim, { threshold: 'PERCENTAGE', value: 50, offline: 'WAIT' }).outcome).toBe('FAILED');
  });

  test.each([
    ['PERCENTAGE', 95, 0.02],
    ['PERCENTAGE', 99, 0.02],
    ['PERCENTAGE', 90, 0.08],
  ] as const)('a %s %d threshold with %d failures concludes what the final counts say', (threshold, value, failureProbability) => {
    const sim = simulate({ failureProbability });
    const c = sim.finalCounts;
    const expected = !sim.aborted && c.succeeded >= Math.ceil((value * c.notified) / 100) ? 'SUCCEEDED' : 'FAILED';
    const last = evaluate(jobStateAt(sim, sim.durationMinutes - 1), { threshold, value, offline: 'WAIT' }, false);
    expect(last.outcome).toBe(expected);
  });

  test('offline devices: WAIT keeps waiting, COUNT_AS_FAILED fails, EXCLUDE judges the online devices', () => {
    const sim = simulate({ offlineFraction: 0.05 });
    const end = jobStateAt(sim, sim.durationMinutes - 1);
    expect(sim.finalCounts.queued).toBeGreaterThan(0);
    expect(sim.finalCounts.succeeded + sim.finalCounts.queued).toBe(2000);
    expect(evaluate(end, ALL, false).outcome).toBe('PENDING');
    expect(evaluate(end, ALL, true).outcome).toBe('FAILED');
    expect(evaluate(end, { ...ALL, offline: 'COUNT_AS_FAILED' }, false).outcome).toBe('FAILED');
    expect(evaluate(end, { ...ALL, offline: 'EXCLUDE' }, false).outcome).toBe('SUCCEEDED');
  });
});
