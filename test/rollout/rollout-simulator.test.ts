import { Duration } from 'aws-cdk-lib';
import { CfnDeployment } from 'aws-cdk-lib/aws-greengrassv2';
import {
  ExecutionDuration, RolloutSimulation, RolloutSimulator, SimulatedFleetProps, SimulationEngine, SimulationPolicy,
} from '../../src/rollout';
import { abortCriterionMet } from '../../src/rollout/private/engine';

type JobConfig = CfnDeployment.DeploymentIoTJobConfigurationProperty;

const instant = ExecutionDuration.fixed(Duration.seconds(0));

function exponential(base: number, factor: number, criteria: { numberOfNotifiedThings?: number; numberOfSucceededThings?: number },
  max?: number): JobConfig {
  return {
    jobExecutionsRolloutConfig: {
      exponentialRate: { baseRatePerMinute: base, incrementFactor: factor, rateIncreaseCriteria: criteria },
      maximumPerMinute: max,
    },
  };
}

function run(config: JobConfig, fleet: SimulatedFleetProps, engine = SimulationEngine.AUTO): RolloutSimulation {
  return RolloutSimulator.simulate(SimulationPolicy.fromJobConfiguration(config), fleet, { engine });
}

const bothEngines = [SimulationEngine.PER_DEVICE, SimulationEngine.AGGREGATE];

describe('rollout rate', () => {
  test.each(bothEngines)('grows by the increment factor each time another numberOfNotifiedThings are notified (%s)', (engine) => {
    // base 2, x2 every 4 notified: minute 0 -> 2 (total 2), 1 -> 2 (4), 2 -> 4 (8), 3 -> 8 (16), 4 -> 16 but 4 left (20).
    const sim = run(exponential(2, 2, { numberOfNotifiedThings: 4 }), { size: 20, executionDuration: instant }, engine);
    expect(sim.timeline.map((m) => m.notifiedThisMinute)).toEqual([2, 2, 4, 8, 4]);
    expect(sim.timeline.map((m) => m.ratePerMinute)).toEqual([2, 2, 4, 8, 32]);
  });

  test.each(bothEngines)('grows on succeeded things with numberOfSucceededThings (%s)', (engine) => {
    // Instant successes: succeeded = notified at each minute's end. base 1, x2 every 2 succeeded:
    // minute 0 -> 1 (1 ok), 1 -> 1 (2 ok), 2 -> 2 (4 ok), 3 -> 4 (8 ok), 4 -> 16 but 2 left.
    const sim = run(exponential(1, 2, { numberOfSucceededThings: 2 }), { size: 10, executionDuration: instant }, engine);
    expect(sim.timeline.map((m) => m.notifiedThisMinute)).toEqual([1, 1, 2, 4, 2]);
  });

  test.each(bothEngines)('waits for successes before growing when executions take time (%s)', (engine) => {
    // 90 s executions: a device notified in minute m succeeds in minute m + 1.
    // base 1, x3 every 2 succeeded: 0 -> 1 (0 ok), 1 -> 1 (1 ok), 2 -> 1 (2 ok), 3 -> 3 (3 ok), 4 -> 3 but 1 left.
    const sim = run(exponential(1, 3, { numberOfSucceededThings: 2 }), {
      size: 7,
      executionDuration: ExecutionDuration.fixed(Duration.seconds(90)),
    }, engine);
    expect(sim.timeline.slice(0, 5).map((m) => m.notifiedThisMinute)).toEqual([1, 1, 1, 3, 1]);
    expect(sim.timeline.slice(0, 5).map((m) => m.succeeded)).toEqual([0, 1, 2, 3, 6]);
  });

  test.each(bothEngines)('never exceeds maximumPerMinute (%s)', (engine) => {
    // base 10, x5 every 10 notified, max 30: 10, then min(50, 30) = 30 each minute.
    const sim = run(exponential(10, 5, { numberOfNotifiedThings: 10 }, 30), { size: 100, executionDuration: instant }, engine);
    expect(sim.timeline.map((m) => m.notifiedThisMinute)).toEqual([10, 30, 30, 30]);
  });

  test('rounds a fractional rate down', () => {
    // base 3, x1.5 every 3 notified: 3, then floor(4.5) = 4, then (7 notified, 2 increases) floor(6.75) = 6.
    const sim = run(exponential(3, 1.5, { numberOfNotifiedThings: 3 }), { size: 13, executionDuration: instant });
    expect(sim.timeline.map((m) => m.notifiedThisMinute)).toEqual([3, 4, 6]);
  });

  test('uses 1000 per minute without a rollout configuration, maximumPerMinute alone otherwise', () => {
    expect(run({}, { size: 2500, executionDuration: instant }).timeline.map((m) => m.notifiedThisMinute)).toEqual([1000, 1000, 500]);
    expect(run({ jobExecutionsRolloutConfig: { maximumPerMinute: 7 } }, { size: 20, executionDuration: instant })
      .timeline.map((m) => m.notifiedThisMinute)).toEqual([7, 7, 6]);
  });
});

describe('abort criteria', () => {
  function abortOn(failureType: string, thresholdPercentage: number, minNumberOfExecutedThings: number, max = 10): JobConfig {
    return {
      jobExecutionsRolloutConfig: { maximumPerMinute: max },
      abortConfig: { criteriaList: [{ failureType, action: 'CANCEL', thresholdPercentage, minNumberOfExecutedThings }] },
    };
  }

  test.each(bothEngines)('aborts at the minute the executed things reach minNumberOfExecutedThings (%s)', (engine) => {
    // Every device fails instantly, 10 per minute: 10 executed at minute 0, 20 at minute 1.
    expect(run(abortOn('FAILED', 100, 10), { size: 100, failureProbability: 1, executionDuration: instant }, engine).abort?.minute).toBe(0);
    const sim = run(abortOn('FAILED', 100, 11), { size: 100, failureProbability: 1, executionDuration: instant }, engine);
    expect(sim.abort).toMatchObject({ minute: 1, executedThings: 20, failedThings: 20, observedPercentage: 100, failureType: 'FAILED' });
    expect(sim.finalCounts.notified).toBe(20);
    expect(sim.timeline.map((m) => m.ratePerMinute)).toEqual([10, 10]);
  });

  test.each(bothEngines)('minNumberOfExecutedThings counts terminal executions, not notified ones (%s)', (engine) => {
    // 90 s executions, all failing: 10 notified at minute 0 but none terminal until minute 1.
    const sim = run(abortOn('FAILED', 1, 10), { size: 100, failureProbability: 1, executionDuration: ExecutionDuration.fixed(Duration.seconds(90)) }, engine);
    expect(sim.abort).toMatchObject({ minute: 1, executedThings: 10, failedThings: 10 });
    expect(sim.countsAt(0)).toMatchObject({ notified: 10, failed: 0 });
  });

  test.each([
    // [type, threshold %, min, counts, met] computed by hand: met when executed >= min and failures / executed >= threshold.
    ['FAILED', 20, 100, { succeeded: 80, failed: 20 }, true], // exactly 20 %: "at least" 20 % aborts
    ['FAILED', 20, 100, { succeeded: 81, failed: 19 }, false],
    ['FAILED', 20, 100, { succeeded: 79, failed: 20 }, false], // 99 executed: below the minimum
    ['FAILED', 20.01, 10000, { succeeded: 7999, failed: 2001 }, true], // two decimals, compared exactly
    ['FAILED', 20.01, 10000, { succeeded: 8000, failed: 2000 }, false],
    ['TIMED_OUT', 50, 4, { succeeded: 2, timedOut: 2 }, true],
    ['REJECTED', 50, 4, { succeeded: 2, failed: 2 }, false], // failures of another type
    ['ALL', 30, 10, { succeeded: 7, failed: 1, rejected: 1, timedOut: 1 }, true], // ALL adds every failure type
    ['ALL', 30, 10, { succeeded: 8, failed: 1, rejected: 1 }, false],
    ['FAILED', 0, 1, { succeeded: 1 }, true], // 0 % aborts once the minimum is executed
  ] as const)('an abort criterion %s %d %% after %d executed things is met by %j: %s', (failureType, thresholdPercentage, minNumberOfExecutedThings, counts, met) => {
    const rules = SimulationPolicy.fromJobConfiguration({
      abortConfig: { criteriaList: [{ failureType, action: 'CANCEL', thresholdPercentage, minNumberOfExecutedThings }] },
    })._rules;
    expect(abortCriterionMet(rules, { succeeded: 0, failed: 0, rejected: 0, timedOut: 0, ...counts }) !== undefined).toBe(met);
  });

  test('ALL counts rejections, FAILED does not', () => {
    const fleet = { size: 50, rejectionProbability: 1, executionDuration: instant };
    expect(run(abortOn('ALL', 100, 5, 5), fleet).abort).toMatchObject({ minute: 0, failedThings: 5, failureType: 'ALL' });
    expect(run(abortOn('FAILED', 1, 5, 5), fleet).aborted).toBe(false);
    expect(run(abortOn('REJECTED', 100, 5, 5), fleet).abort?.minute).toBe(0);
  });

  test.each(bothEngines)('cancels queued executions of offline devices and stops notifying (%s)', (engine) => {
    const sim = run(abortOn('FAILED', 50, 1), { size: 1000, offlineFraction: 0.5, failureProbability: 1, executionDuration: instant, seed: 3 }, engine);
    const c = sim.finalCounts;
    expect(sim.abort?.minute).toBe(0);
    expect(c.notified).toBe(10);
    expect(c.failed + c.canceled).toBe(10);
    expect(c.canceled).toBeGreaterThan(0);
    expect(c.queued).toBe(0);
  });

  test.each(bothEngines)('lets executions in progress finish after the abort (%s)', (engine) => {
    // Instant rejections abort at minute 0 (ALL); the others run 2 minutes and still succeed.
    const sim = run(abortOn('ALL', 1, 1, 100), { size: 1000, rejectionProbability: 0.5, executionDuration: ExecutionDuration.fixed(Duration.minutes(2)), seed: 9 }, engine);
    const c = sim.finalCounts;
    expect(sim.abort?.minute).toBe(0);
    expect(c.notified).toBe(100);
    expect(c.rejected + c.succeeded).toBe(100);
    expect(c.succeeded).toBeGreaterThan(0);
    expect(sim.timeline[2].succeeded).toBe(c.succeeded);
    expect(sim.finished).toBe(true);
  });
});

describe('in-progress timeout', () => {
  test.each([
    // [execution duration (s), timeout (min), status, minute it is reached]
    [300, 5, 'timedOut', 5],
    [299, 5, 'succeeded', 4],
    [300, 6, 'succeeded', 5],
    [3600, 10, 'timedOut', 10],
  ])('a %d s execution with a %d min timeout ends %s at minute %d', (seconds, timeout, status, minute) => {
    for (const engine of bothEngines) {
      const sim = run({ timeoutConfig: { inProgressTimeoutInMinutes: timeout } }, {
        size: 3,
        executionDuration: ExecutionDuration.fixed(Duration.seconds(seconds)),
      }, engine);
      expect(sim.timeline.length).toBe(minute + 1);
      expect((sim.finalCounts as any)[status]).toBe(3);
      expect((sim.timeline[minute - 1] as any)[status]).toBe(0);
    }
  });

  test('a device that would fail after the timeout times out instead', () => {
    const sim = run({ timeoutConfig: { inProgressTimeoutInMinutes: 1 } }, {
      size: 4,
      failureProbability: 1,
      executionDuration: ExecutionDuration.fixed(Duration.minutes(2)),
    });
    expect(sim.finalCounts).toMatchObject({ failed: 0, timedOut: 4 });
  });

  test('offline devices stay queued: the timeout starts only when an execution starts', () => {
    const sim = run({ timeoutConfig: { inProgressTimeoutInMinutes: 1 } }, { size: 10, offlineFraction: 1 });
    expect(sim.finalCounts).toMatchObject({ notified: 10, queued: 10, timedOut: 0 });
    expect(sim.finished).toBe(true);
  });
});

describe('engines', () => {
  const policies: Array<[string, JobConfig]> = [
    ['exponential on notified, abort ALL, timeout', {
      ...exponential(5, 1.5, { numberOfNotifiedThings: 20 }, 200),
      abortConfig: { criteriaList: [{ failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 12.5, minNumberOfExecutedThings: 50 }] },
      timeoutConfig: { inProgressTimeoutInMinutes: 4 },
    }],
    ['exponential on succeeded, abort TIMED_OUT', {
      ...exponential(3, 2, { numberOfSucceededThings: 10 }, 100),
      abortConfig: { criteriaList: [{ failureType: 'TIMED_OUT', action: 'CANCEL', thresholdPercentage: 30, minNumberOfExecutedThings: 100 }] },
      timeoutConfig: { inProgressTimeoutInMinutes: 3 },
    }],
    ['constant rate, no abort', { jobExecutionsRolloutConfig: { maximumPerMinute: 37 } }],
  ];
  const fleets: SimulatedFleetProps[] = [
    {
      size: 3000,
      failureProbability: 0.05,
      rejectionProbability: 0.02,
      offlineFraction: 0.1,
      executionDuration: ExecutionDuration.exponential(Duration.minutes(1.5)),
      seed: 42,
    },
    { size: 1500, failureProbability: 0.2, executionDuration: ExecutionDuration.uniform(Duration.seconds(10), Duration.minutes(5)), seed: 7 },
  ];

  test.each(policies)('per-device and aggregate engines give the same timeline: %s', (_name, config) => {
    for (const fleet of fleets) {
      const perDevice = run(config, fleet, SimulationEngine.PER_DEVICE);
      const aggregate = run(config, fleet, SimulationEngine.AGGREGATE);
      expect(perDevice.engine).toBe(SimulationEngine.PER_DEVICE);
      expect(aggregate.engine).toBe(SimulationEngine.AGGREGATE);
      expect(aggregate.timeline).toEqual(perDevice.timeline);
      expect(aggregate.abort).toEqual(perDevice.abort);
      expect(perDevice.finalCounts.succeeded).toBeGreaterThan(0);
    }
  });

  test('the same seed gives the same rollout, another seed another one', () => {
    const fleet = { size: 2000, failureProbability: 0.1, executionDuration: ExecutionDuration.exponential(Duration.minutes(2)) };
    const config = { timeoutConfig: { inProgressTimeoutInMinutes: 5 } };
    const a = run(config, { ...fleet, seed: 1 });
    expect(run(config, { ...fleet, seed: 1 }).timeline).toEqual(a.timeline);
    expect(run(config, { ...fleet, seed: 2 }).finalCounts).not.toEqual(a.finalCounts);
    // 10 % failures drawn per device land near 10 %.
    expect(a.finalCounts.failed / 2000).toBeGreaterThan(0.07);
    expect(a.finalCounts.failed / 2000).toBeLessThan(0.13);
  });

  test('stops at maxDuration and says the rollout did not finish', () => {
    const sim = RolloutSimulator.simulate(SimulationPolicy.fromJobConfiguration({ jobExecutionsRolloutConfig: { maximumPerMinute: 1 } }),
      { size: 100, executionDuration: instant }, { maxDuration: Duration.minutes(10) });
    expect(sim.finished).toBe(false);
    expect(sim.durationMinutes).toBe(11);
    expect(sim.finalCounts.notified).toBe(11);
  });
});

describe('results', () => {
  test('countsAt, minuteWhenSucceeded and summary describe the rollout', () => {
    const sim = run({ jobExecutionsRolloutConfig: { maximumPerMinute: 10 } }, {
      size: 30,
      executionDuration: ExecutionDuration.fixed(Duration.seconds(61)),
    });
    expect(sim.countsAt(1)).toMatchObject({ notified: 20, succeeded: 10, inProgress: 10 });
    expect(sim.countsAt(99)).toEqual(sim.timeline[sim.timeline.length - 1]);
    expect(sim.minuteWhenSucceeded(25)).toBe(3);
    expect(sim.minuteWhenSucceeded(31)).toBe(-1);
    expect(sim.summary()).toContain('30 devices, 4 min simulated');
    expect(sim.summary()).toContain('not aborted');
  });

  test('the abort reason names the criterion and the observed failures', () => {
    const sim = run({
      jobExecutionsRolloutConfig: { maximumPerMinute: 10 },
      abortConfig: { criteriaList: [{ failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 10 }] },
    }, { size: 100, failureProbability: 1, executionDuration: instant });
    expect(sim.abort?.reason).toBe('aborted at minute 0: 10 of 10 executed things failed, rejected or timed-out (100 %), reaching the ALL threshold of 50 % after at least 10 executed things');
  });
});

describe('fleet validation', () => {
  const policy = SimulationPolicy.fromJobConfiguration({});
  test.each([
    [{ size: 0 }, 'fleet size must be an integer between 1 and 10000000, got 0'],
    [{ size: 10, failureProbability: 5 }, 'fleet failureProbability must be between 0 and 1, got 5: write 5 % as 0.05'],
    [{ size: 10, failureProbability: 0.6, rejectionProbability: 0.6 }, 'fleet failureProbability + rejectionProbability must be at most 1, got 0.6 + 0.6: lower one of them'],
    [{ size: 10, offlineFraction: -0.1 }, 'fleet offlineFraction must be between 0 and 1, got -0.1: write 5 % as 0.05'],
    [{ size: 10, seed: 1.5 }, 'fleet seed must be an integer, got 1.5'],
  ])('fails when the fleet is %j', (fleet, message) => {
    expect(() => RolloutSimulator.simulate(policy, fleet)).toThrow(message);
  });

  test('fails when an execution duration range is reversed', () => {
    expect(() => ExecutionDuration.uniform(Duration.minutes(5), Duration.minutes(1)))
      .toThrow('execution duration max must be at least min, got min 300 s and max 60 s: swap them');
  });
});
