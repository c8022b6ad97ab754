import { JobExecutionStatus } from '../../../src/rollout';
import { SimulatedDevice } from '../../../src/rollout/private/device';
import { Outcome } from '../../../src/rollout/private/fleet-model';
import { InvalidStateTransitionError, SimulatedJobsService, StatusCounts, VersionMismatchError } from '../../../src/rollout/private/jobs-service';

function service() {
  return new SimulatedJobsService('job-1', new StatusCounts());
}

describe('simulated IoT Jobs data plane', () => {
  test('a device takes a job: QUEUED v1 -> IN_PROGRESS v2 -> SUCCEEDED v3', () => {
    const jobs = service();
    jobs.notify('t1', 0);
    expect(jobs.getPendingJobExecutions('t1')).toEqual({
      inProgressJobs: [],
      queuedJobs: [{ jobId: 'job-1', queuedAt: 0, startedAt: undefined, lastUpdatedAt: 0, versionNumber: 1, executionNumber: 1 }],
    });
    const started = jobs.startNextPendingJobExecution('t1', 5, { step: 'download' });
    expect(started).toMatchObject({ status: JobExecutionStatus.IN_PROGRESS, versionNumber: 2, startedAt: 5000, statusDetails: { step: 'download' } });
    expect(jobs.getPendingJobExecutions('t1').inProgressJobs).toHaveLength(1);
    const answer = jobs.updateJobExecution({ jobId: 'job-1', thingName: 't1', status: JobExecutionStatus.SUCCEEDED, expectedVersion: 2 }, 10);
    expect(answer.executionState).toEqual({ status: JobExecutionStatus.SUCCEEDED, statusDetails: { step: 'download' }, versionNumber: 3 });
    expect(jobs.getPendingJobExecutions('t1')).toEqual({ inProgressJobs: [], queuedJobs: [] });
    expect(jobs.counts).toMatchObject({ notified: 1, queued: 0, inProgress: 0, succeeded: 1 });
  });

  test('an update with a stale expectedVersion is refused with VersionMismatch and the current state', () => {
    const jobs = service();
    jobs.notify('t1', 0);
    jobs.startNextPendingJobExecution('t1', 0);
    jobs.updateJobExecution({ jobId: 'job-1', thingName: 't1', status: JobExecutionStatus.IN_PROGRESS, statusDetails: { pct: '50' }, expectedVersion: 2 }, 1);
    let error: unknown;
    try {
      jobs.updateJobExecution({ jobId: 'job-1', thingName: 't1', status: JobExecutionStatus.SUCCEEDED, expectedVersion: 2 }, 2);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VersionMismatchError);
    expect((error as VersionMismatchError).current).toEqual({ status: JobExecutionStatus.IN_PROGRESS, versionNumber: 3 });
  });

  test('the in-progress timeout wins over a late report, which the service refuses', () => {
    const jobs = service();
    jobs.notify('t1', 0);
    const device = new SimulatedDevice('t1', Outcome.SUCCEEDED, 120);
    expect(device.onNotified(jobs, 0)).toBe(120);
    expect(jobs.timeOut('t1', 60)).toBe(true);
    device.report(jobs, 120);
    expect(device.lastError).toBe('VersionMismatch');
    expect(jobs.describeJobExecution('t1')).toMatchObject({ status: JobExecutionStatus.TIMED_OUT, versionNumber: 3 });
    expect(jobs.counts).toMatchObject({ inProgress: 0, timedOut: 1, succeeded: 0 });
  });

  test('devices may not set service-owned statuses, nor update terminal executions', () => {
    const jobs = service();
    jobs.notify('t1', 0);
    jobs.startNextPendingJobExecution('t1', 0);
    expect(() => jobs.updateJobExecution({ jobId: 'job-1', thingName: 't1', status: JobExecutionStatus.TIMED_OUT }, 1)).toThrow(InvalidStateTransitionError);
    jobs.updateJobExecution({ jobId: 'job-1', thingName: 't1', status: JobExecutionStatus.FAILED }, 1);
    expect(() => jobs.updateJobExecution({ jobId: 'job-1', thingName: 't1', status: JobExecutionStatus.SUCCEEDED }, 2)).toThrow('cannot update FAILED execution of t1 to SUCCEEDED');
  });

  test('canceling the job cancels queued executions only; removal ends a pending one', () => {
    const jobs = service();
    for (const t of ['a', 'b', 'c']) jobs.notify(t, 0);
    jobs.startNextPendingJobExecution('a', 0);
    expect(jobs.cancelQueued(1)).toBe(2);
    expect(jobs.describeJobExecution('b')).toMatchObject({ status: JobExecutionStatus.CANCELED, versionNumber: 2 });
    expect(jobs.remove('a', 2)).toBe(true);
    expect(jobs.remove('b', 2)).toBe(false);
    expect(jobs.counts).toMatchObject({ notified: 3, queued: 0, inProgress: 0, canceled: 2, removed: 1 });
  });

  test('an offline device never calls the service; a rejecting device rejects at once', () => {
    const jobs = service();
    jobs.notify('off', 0);
    jobs.notify('rej', 0);
    expect(new SimulatedDevice('off', Outcome.OFFLINE, 30).onNotified(jobs, 0)).toBeUndefined();
    const rejecting = new SimulatedDevice('rej', Outcome.REJECTED, 0);
    expect(rejecting.onNotified(jobs, 0)).toBe(0);
    rejecting.report(jobs, 0);
    expect(rejecting.expectedVersion).toBe(3);
    expect(jobs.describeJobExecution('off')?.status).toBe(JobExecutionStatus.QUEUED);
    expect(jobs.describeJobExecution('rej')).toMatchObject({ status: JobExecutionStatus.REJECTED, statusDetails: { step: 'deploying', detailed: 'COMPONENT_ERROR' } });
  });

  test('fails when a thing is notified twice', () => {
    const jobs = service();
    jobs.notify('t1', 0);
    expect(() => jobs.notify('t1', 1)).toThrow('t1 was already notified of job-1');
  });
});
