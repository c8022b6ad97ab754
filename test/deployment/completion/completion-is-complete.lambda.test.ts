import { DescribeJobCommand, DescribeJobExecutionCommand, IoTClient, ListJobExecutionsForJobCommand } from '@aws-sdk/client-iot';
import { Duration } from 'aws-cdk-lib';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../../src/deployment/completion/completion-is-complete.lambda';
import { ExecutionDuration, RolloutSimulation, RolloutSimulator, SimulatedFleetProps, SimulationPolicy } from '../../../src/rollout';

const iot = mockClient(IoTClient);
const NOW = 1_700_000_000_000;
const handler = createHandler({ sleep: async () => {}, now: () => NOW });

const props = {
  DeploymentId: 'dep-1',
  TargetArn: 'arn:aws:iot:eu-west-1:111122223333:thinggroup/fleet',
  Mode: 'WAIT',
  TimeoutSeconds: '600',
  Threshold: 'ALL',
  ThresholdValue: '100',
  OfflineDevices: 'WAIT',
  FailingDevicesToName: '2',
  OnDelete: 'CANCEL',
  EmptyDeploymentName: 'x',
};
const event = (overrides: Record<string, string> = {}, startedAt = NOW - 60_000) => ({
  StackId: 's',
  RequestId: 'r',
  LogicalResourceId: 'Completion',
  RequestType: 'Create' as const,
  PhysicalResourceId: 'dep-1',
  ResourceProperties: { ...props, ...overrides },
  Data: { IotJobId: 'job-1', StartedAt: String(startedAt) },
});

function job(details: Record<string, number>, status = 'IN_PROGRESS', processingTargets: string[] = []): any {
  return { job: { jobId: 'job-1', status, jobProcessDetails: { ...details, processingTargets } } };
}

beforeEach(() => {
  iot.reset();
});

describe('isComplete', () => {
  test('polls with one DescribeJob while devices are in progress', async () => {
    iot.on(DescribeJobCommand).resolves(job({ numberOfSucceededThings: 40, numberOfInProgressThings: 60 }));
    await expect(handler(event())).resolves.toEqual({ IsComplete: false });
    expect(iot.calls().map((c) => c.args[0].constructor.name)).toEqual(['DescribeJobCommand']);
    expect(iot.commandCalls(DescribeJobCommand)[0].args[0].input).toEqual({ jobId: 'job-1' });
  });

  test('keeps waiting while the rollout still processes targets', async () => {
    iot.on(DescribeJobCommand).resolves(job({ numberOfSucceededThings: 40 }, 'IN_PROGRESS', ['arn:aws:iot:eu-west-1:111122223333:thinggroup/fleet']));
    await expect(handler(event())).resolves.toEqual({ IsComplete: false });
  });

  test('keeps waiting while the job still creates executions (isConcurrent), even without processing targets', async () => {
    iot.on(DescribeJobCommand).resolves({ job: { ...job({ numberOfSucceededThings: 40 }).job, isConcurrent: true } });
    await expect(handler(event())).resolves.toEqual({ IsComplete: false });
  });

  test('a continuous job never completes: all devices notified and succeeded is enough', async () => {
    // Greengrass thing-group jobs are continuous: status stays IN_PROGRESS, processingTargets empties.
    iot.on(DescribeJobCommand).resolves({ job: { ...job({ numberOfSucceededThings: 12, numberOfRemovedThings: 1 }).job, targetSelection: 'CONTINUOUS', isConcurrent: false } });
    await expect(handler(event())).resolves.toEqual({ IsComplete: true, Data: { SucceededDevices: '12' } });
  });

  test('completes once every device succeeded', async () => {
    iot.on(DescribeJobCommand).resolves(job({ numberOfSucceededThings: 100 }));
    await expect(handler(event())).resolves.toEqual({ IsComplete: true, Data: { SucceededDevices: '100' } });
  });

  test('fails with counts per status and the first failing devices with their status details', async () => {
    iot.on(DescribeJobCommand).resolves(job({ numberOfSucceededThings: 97, numberOfFailedThings: 1, numberOfRejectedThings: 2 }));
    iot.on(ListJobExecutionsForJobCommand, { status: 'FAILED' }).resolves({ executionSummaries: [{ thingArn: 'arn:aws:iot:eu-west-1:111122223333:thing/core-7' }] });
    iot.on(ListJobExecutionsForJobCommand, { status: 'REJECTED' }).resolves({ executionSummaries: [{ thingArn: 'arn:aws:iot:eu-west-1:111122223333:thing/core-9' }] });
    iot.on(DescribeJobExecutionCommand, { thingName: 'core-7' }).resolves({ execution: { status: 'FAILED', statusDetails: { detailsMap: { 'detailed-deployment-status': 'FAILED_ROLLBACK_COMPLETE', 'error': 'COMPONENT_BROKEN' } } } });
    iot.on(DescribeJobExecutionCommand, { thingName: 'core-9' }).resolves({ execution: { status: 'REJECTED' } });
    await expect(handler(event())).rejects.toThrow(
      'deployment dep-1 (IoT job job-1) failed on the fleet: the deployment cannot reach all devices (100 must succeed, at most 97 can): too many devices failed or never started. '
      + '97 succeeded, 1 failed, 2 rejected, 0 timed out, 0 canceled, 0 removed, 0 queued, 0 in progress (100 notified). '
      + 'First devices: core-7 FAILED (detailed-deployment-status=FAILED_ROLLBACK_COMPLETE, error=COMPONENT_BROKEN); core-9 REJECTED.');
    expect(iot.commandCalls(ListJobExecutionsForJobCommand).map((c) => c.args[0].input)).toEqual([
      { jobId: 'job-1', status: 'FAILED', maxResults: 2 },
      { jobId: 'job-1', status: 'REJECTED', maxResults: 1 },
    ]);
  });

  test('keeps the reason short however long the status details are', async () => {
    iot.on(DescribeJobCommand).resolves(job({ numberOfSucceededThings: 1, numberOfFailedThings: 5 }));
    iot.on(ListJobExecutionsForJobCommand).resolves({ executionSummaries: [1, 2].map((i) => ({ thingArn: `arn:aws:iot:eu-west-1:1:thing/${'d'.repeat(120)}${i}` })) });
    iot.on(DescribeJobExecutionCommand).resolves({ execution: { status: 'FAILED', statusDetails: { detailsMap: { a: 'é'.repeat(3000), b: 'x'.repeat(3000) } } } });
    const error: Error = await handler(event()).catch((e) => e);
    expect(Buffer.byteLength(error.message, 'utf8')).toBeLessThanOrEqual(1000);
    expect(error.message).toContain('1 succeeded, 5 failed');
  });

  test.each([
    ['AccessDeniedException', 1],
    ['ThrottlingException', 8], // retried within the naming budget, then given up
  ])('keeps the fleet summary when the failing devices cannot be listed (%s)', async (name, calls) => {
    const sleeps: number[] = [];
    const h = createHandler({ sleep: async (ms) => { sleeps.push(ms); }, random: () => 0.99, now: () => NOW });
    iot.on(DescribeJobCommand).resolves(job({ numberOfSucceededThings: 97, numberOfFailedThings: 3 }));
    iot.on(ListJobExecutionsForJobCommand).rejects(Object.assign(new Error('no'), { name }));
    await expect(h(event())).rejects.toThrow(
      'deployment dep-1 (IoT job job-1) failed on the fleet: the deployment cannot reach all devices (100 must succeed, at most 97 can): too many devices failed or never started. '
      + '97 succeeded, 3 failed, 0 rejected, 0 timed out, 0 canceled, 0 removed, 0 queued, 0 in progress (100 notified).');
    expect(iot.commandCalls(ListJobExecutionsForJobCommand).length).toBeLessThanOrEqual(calls);
    expect(iot.commandCalls(DescribeJobExecutionCommand)).toHaveLength(0);
    // Naming devices never spends more than 10 s sleeping per call.
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
  });

  test('fails after the timeout with what it waited for', async () => {
    iot.on(DescribeJobCommand).resolves(job({ numberOfSucceededThings: 90, numberOfQueuedThings: 10 }));
    iot.on(ListJobExecutionsForJobCommand).resolves({ executionSummaries: [] });
    await expect(handler(event({}, NOW - 601_000))).rejects.toThrow('timed out waiting for all devices (100 must succeed): 90 succeeded so far');
  });

  test('a single-thing target costs one DescribeJobExecution per poll', async () => {
    const thing = { TargetArn: 'arn:aws:iot:eu-west-1:111122223333:thing/core-1' };
    iot.on(DescribeJobExecutionCommand).resolvesOnce({ execution: { status: 'IN_PROGRESS' } }).resolves({ execution: { status: 'SUCCEEDED' } });
    await expect(handler(event(thing))).resolves.toEqual({ IsComplete: false });
    await expect(handler(event(thing))).resolves.toEqual({ IsComplete: true, Data: { SucceededDevices: '1' } });
    expect(iot.commandCalls(DescribeJobExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { jobId: 'job-1', thingName: 'core-1' }, { jobId: 'job-1', thingName: 'core-1' },
    ]);
    expect(iot.commandCalls(DescribeJobCommand)).toHaveLength(0);
  });

  test('retries a throttled poll', async () => {
    iot.on(DescribeJobCommand).rejectsOnce(Object.assign(new Error('rate'), { name: 'ThrottlingException' })).resolves(job({ numberOfSucceededThings: 3 }));
    await expect(handler(event())).resolves.toEqual({ IsComplete: true, Data: { SucceededDevices: '3' } });
    expect(iot.commandCalls(DescribeJobCommand)).toHaveLength(2);
  });

  test('delete, NO_WAIT and unchanged updates complete at once without any call', async () => {
    await expect(handler({ ...event(), RequestType: 'Delete' as any })).resolves.toEqual({ IsComplete: true });
    await expect(handler({ ...event({ Mode: 'NO_WAIT' }), Data: {} as any })).resolves.toEqual({ IsComplete: true });
    expect(iot.calls()).toHaveLength(0);
  });
});

/**
 * The real handler, polled once per simulated minute against a DescribeJob built from the
 * simulator's counts as IoT reports a Greengrass thing-group job: a continuous job that stays
 * IN_PROGRESS, with the group in processingTargets (and isConcurrent) while the rollout still
 * notifies devices, and CANCELED once the abort criteria are met.
 */
describe('isComplete agrees with the rollout simulator, minute by minute', () => {
  const GROUP = 'arn:aws:iot:eu-west-1:111122223333:thinggroup/fleet';

  function describeJobAt(sim: RolloutSimulation, minute: number): any {
    const m = sim.countsAt(minute);
    const aborted = sim.abort !== undefined && sim.abort.minute <= minute;
    const rollingOut = !aborted && m.notified < sim.fleetSize;
    return {
      job: {
        jobId: 'job-1',
        status: aborted ? 'CANCELED' : 'IN_PROGRESS',
        targetSelection: 'CONTINUOUS',
        isConcurrent: rollingOut,
        jobProcessDetails: {
          ...(rollingOut ? { processingTargets: [GROUP] } : {}),
          numberOfQueuedThings: m.queued,
          numberOfInProgressThings: m.inProgress,
          numberOfSucceededThings: m.succeeded,
          numberOfFailedThings: m.failed,
          numberOfRejectedThings: m.rejected,
          numberOfTimedOutThings: m.timedOut,
          numberOfCanceledThings: m.canceled,
          numberOfRemovedThings: m.removed,
        },
      },
    };
  }

  /** The first minute at which the handler concludes, and what. */
  async function firstConclusion(sim: RolloutSimulation, overrides: Record<string, string>): Promise<{ minute: number; outcome: string }> {
    for (const t of sim.timeline) {
      iot.reset();
      iot.on(DescribeJobCommand).resolves(describeJobAt(sim, t.minute));
      const h = createHandler({ sleep: async () => {}, now: () => NOW + t.minute * 60_000 });
      const result = await h(event({ FailingDevicesToName: '0', TimeoutSeconds: '3300', ...overrides }, NOW)).then(
        (r) => (r.IsComplete ? 'SUCCEEDED' : 'PENDING'), () => 'FAILED');
      expect(iot.calls()).toHaveLength(1);
      if (result !== 'PENDING') return { minute: t.minute, outcome: result };
    }
    return { minute: -1, outcome: 'PENDING' };
  }

  const policy = SimulationPolicy.fromJobConfiguration({
    jobExecutionsRolloutConfig: {
      exponentialRate: { baseRatePerMinute: 10, incrementFactor: 2, rateIncreaseCriteria: { numberOfNotifiedThings: 50 } },
      maximumPerMinute: 200,
    },
    abortConfig: { criteriaList: [{ failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 10, minNumberOfExecutedThings: 50 }] },
    timeoutConfig: { inProgressTimeoutInMinutes: 10 },
  });
  const simulate = (fleet: Partial<SimulatedFleetProps>) => RolloutSimulator.simulate(policy, {
    size: 2000, executionDuration: ExecutionDuration.uniform(Duration.seconds(20), Duration.minutes(4)), seed: 11, ...fleet,
  });

  test('all devices: succeeds at the minute the last device succeeds, not before', async () => {
    const sim = simulate({});
    expect(sim.finalCounts.succeeded).toBe(2000);
    await expect(firstConclusion(sim, {})).resolves.toEqual({ minute: sim.minuteWhenSucceeded(2000), outcome: 'SUCCEEDED' });
    // Instant executions: at the end of every minute each notified device has succeeded, yet only
    // the minute that notifies the last device may conclude.
    const instant = simulate({ executionDuration: ExecutionDuration.fixed(Duration.seconds(0)) });
    expect(instant.timeline.map((t) => t.succeeded === t.notified)).not.toContain(false);
    expect(instant.durationMinutes).toBeGreaterThan(5);
    await expect(firstConclusion(instant, {})).resolves.toEqual({ minute: instant.durationMinutes - 1, outcome: 'SUCCEEDED' });
  });

  test('a count: succeeds at the minute the simulator reaches that count, while the rollout goes on', async () => {
    const sim = simulate({ failureProbability: 0.02 });
    const minute = sim.minuteWhenSucceeded(500);
    expect(sim.countsAt(minute).notified).toBeLessThan(2000);
    await expect(firstConclusion(sim, { Threshold: 'COUNT', ThresholdValue: '500' })).resolves.toEqual({ minute, outcome: 'SUCCEEDED' });
  });

  test('an aborted rollout fails at the abort minute', async () => {
    const sim = simulate({ failureProbability: 0.3 });
    expect(sim.abort).toBeDefined();
    expect(sim.countsAt(sim.abort!.minute).notified).toBeLessThan(2000);
    await expect(firstConclusion(sim, {})).resolves.toEqual({ minute: sim.abort!.minute, outcome: 'FAILED' });
    await expect(firstConclusion(sim, { Threshold: 'PERCENTAGE', ThresholdValue: '50' })).resolves.toEqual({ minute: sim.abort!.minute, outcome: 'FAILED' });
  });

  test('a percentage: succeeds at the first minute every device is notified and enough succeeded', async () => {
    const sim = simulate({ failureProbability: 0.02 });
    expect(sim.aborted).toBe(false);
    const required = Math.ceil((95 * 2000) / 100);
    const expected = sim.timeline.find((t) => t.notified === 2000 && t.succeeded >= required)!.minute;
    await expect(firstConclusion(sim, { Threshold: 'PERCENTAGE', ThresholdValue: '95' })).resolves.toEqual({ minute: expected, outcome: 'SUCCEEDED' });
  });

  test('offline devices: EXCLUDE succeeds once nothing is in progress, COUNT_AS_FAILED fails then, WAIT keeps waiting', async () => {
    const sim = simulate({ offlineFraction: 0.05 });
    const c = sim.finalCounts;
    expect(c.queued).toBeGreaterThan(0);
    expect(c.succeeded + c.queued).toBe(2000);
    const settled = sim.timeline.find((t) => t.notified === 2000 && t.inProgress === 0)!.minute;
    await expect(firstConclusion(sim, { OfflineDevices: 'EXCLUDE' })).resolves.toEqual({ minute: settled, outcome: 'SUCCEEDED' });
    await expect(firstConclusion(sim, { OfflineDevices: 'COUNT_AS_FAILED' })).resolves.toEqual({ minute: settled, outcome: 'FAILED' });
    await expect(firstConclusion(sim, {})).resolves.toEqual({ minute: -1, outcome: 'PENDING' });
  });
});
