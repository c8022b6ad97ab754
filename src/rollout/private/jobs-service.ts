import { JobExecutionStatus, isTerminal } from '../job-execution-status';

/** Live counts of executions per status, kept up to date by the service on every transition. */
export class StatusCounts {
  public notified = 0;
  public queued = 0;
  public inProgress = 0;
  public succeeded = 0;
  public failed = 0;
  public rejected = 0;
  public timedOut = 0;
  public canceled = 0;
  public removed = 0;

  public add(status: JobExecutionStatus, delta: number): void {
    switch (status) {
      case JobExecutionStatus.QUEUED: this.queued += delta; break;
      case JobExecutionStatus.IN_PROGRESS: this.inProgress += delta; break;
      case JobExecutionStatus.SUCCEEDED: this.succeeded += delta; break;
      case JobExecutionStatus.FAILED: this.failed += delta; break;
      case JobExecutionStatus.REJECTED: this.rejected += delta; break;
      case JobExecutionStatus.TIMED_OUT: this.timedOut += delta; break;
      case JobExecutionStatus.CANCELED: this.canceled += delta; break;
      case JobExecutionStatus.REMOVED: this.removed += delta; break;
    }
  }
}

/** One device's execution of the job, as the IoT Jobs service stores it. */
export interface JobExecution {
  readonly jobId: string;
  readonly thingName: string;
  status: JobExecutionStatus;
  statusDetails: Record<string, string>;
  readonly queuedAt: number;
  startedAt?: number;
  lastUpdatedAt: number;
  versionNumber: number;
  readonly executionNumber: number;
}

/** `JobExecutionSummary` of GetPendingJobExecutions. */
export interface JobExecutionSummary {
  readonly jobId: string;
  readonly queuedAt: number;
  readonly startedAt?: number;
  readonly lastUpdatedAt: number;
  readonly versionNumber: number;
  readonly executionNumber: number;
}

/** The error the service answers when `expectedVersion` is not the stored version. */
export class VersionMismatchError extends Error {
  public readonly name = 'VersionMismatch';
  constructor(public readonly current: { status: JobExecutionStatus; versionNumber: number }) {
    super(`expected version does not match: the execution is at version ${current.versionNumber} (${current.status})`);
  }
}

/** The error the service answers for an update of a terminal execution or to a status a device may not set. */
export class InvalidStateTransitionError extends Error {
  public readonly name = 'InvalidStateTransitionException';
}

/** Statuses a device may set with UpdateJobExecution. */
const DEVICE_STATUSES = new Set([
  JobExecutionStatus.IN_PROGRESS, JobExecutionStatus.SUCCEEDED, JobExecutionStatus.FAILED, JobExecutionStatus.REJECTED,
]);

/**
 * The IoT Jobs service for one job: the control-plane side (notify, in-progress timeout, cancel,
 * remove) and the data-plane API devices call. Every update increments the execution's version.
 * Times are simulated seconds; timestamps are milliseconds since the simulated epoch.
 */
export class SimulatedJobsService {
  private readonly executions = new Map<string, JobExecution>();

  constructor(public readonly jobId: string, public readonly counts: StatusCounts) {}

  /** The rollout notifies a thing: its execution is created QUEUED, version 1. */
  public notify(thingName: string, now: number): JobExecution {
    if (this.executions.has(thingName)) {
      throw new Error(`${thingName} was already notified of ${this.jobId}`);
    }
    const execution: JobExecution = {
      jobId: this.jobId,
      thingName,
      status: JobExecutionStatus.QUEUED,
      statusDetails: {},
      queuedAt: now * 1000,
      lastUpdatedAt: now * 1000,
      versionNumber: 1,
      executionNumber: 1,
    };
    this.executions.set(thingName, execution);
    this.counts.notified += 1;
    this.counts.add(JobExecutionStatus.QUEUED, 1);
    return execution;
  }

  /** Data plane: the thing's executions that are not terminal. */
  public getPendingJobExecutions(thingName: string): { inProgressJobs: JobExecutionSummary[]; queuedJobs: JobExecutionSummary[] } {
    const e = this.executions.get(thingName);
    const summary = e && {
      jobId: e.jobId,
      queuedAt: e.queuedAt,
      startedAt: e.startedAt,
      lastUpdatedAt: e.lastUpdatedAt,
      versionNumber: e.versionNumber,
      executionNumber: e.executionNumber,
    };
    return {
      inProgressJobs: summary && e.status === JobExecutionStatus.IN_PROGRESS ? [summary] : [],
      queuedJobs: summary && e.status === JobExecutionStatus.QUEUED ? [summary] : [],
    };
  }

  /** Data plane: starts the next pending execution (QUEUED → IN_PROGRESS) or returns the one in progress. */
  public startNextPendingJobExecution(thingName: string, now: number, statusDetails?: Record<string, string>): JobExecution | undefined {
    const e = this.executions.get(thingName);
    if (!e || isTerminal(e.status)) return undefined;
    if (e.status === JobExecutionStatus.QUEUED) {
      this.transition(e, JobExecutionStatus.IN_PROGRESS, now);
      e.startedAt = now * 1000;
    }
    if (statusDetails) e.statusDetails = { ...statusDetails };
    return { ...e, statusDetails: { ...e.statusDetails } };
  }

  /** Data plane: the device reports a status, guarded by `expectedVersion`. */
  public updateJobExecution(request: {
    jobId: string; thingName: string; status: JobExecutionStatus; statusDetails?: Record<string, string>; expectedVersion?: number;
  }, now: number): { executionState: { status: JobExecutionStatus; statusDetails: Record<string, string>; versionNumber: number } } {
    const e = this.executions.get(request.thingName);
    if (!e || e.jobId !== request.jobId) {
      throw new Error(`ResourceNotFoundException: no execution of ${request.jobId} for ${request.thingName}`);
    }
    if (request.expectedVersion !== undefined && request.expectedVersion !== e.versionNumber) {
      throw new VersionMismatchError({ status: e.status, versionNumber: e.versionNumber });
    }
    if (isTerminal(e.status) || !DEVICE_STATUSES.has(request.status)) {
      throw new InvalidStateTransitionError(`cannot update ${e.status} execution of ${request.thingName} to ${request.status}`);
    }
    if (request.statusDetails) e.statusDetails = { ...e.statusDetails, ...request.statusDetails };
    this.transition(e, request.status, now);
    return { executionState: { status: e.status, statusDetails: { ...e.statusDetails }, versionNumber: e.versionNumber } };
  }

  /** The in-progress timeout expired: IN_PROGRESS → TIMED_OUT. Returns whether the execution timed out. */
  public timeOut(thingName: string, now: number): boolean {
    const e = this.executions.get(thingName);
    if (!e || e.status !== JobExecutionStatus.IN_PROGRESS) return false;
    this.transition(e, JobExecutionStatus.TIMED_OUT, now);
    return true;
  }

  /** The job was canceled (abort, no force): every QUEUED execution becomes CANCELED. */
  public cancelQueued(now: number): number {
    let n = 0;
    for (const e of this.executions.values()) {
      if (e.status === JobExecutionStatus.QUEUED) {
        this.transition(e, JobExecutionStatus.CANCELED, now);
        n += 1;
      }
    }
    return n;
  }

  /** The thing left the job's target: its pending execution becomes REMOVED. */
  public remove(thingName: string, now: number): boolean {
    const e = this.executions.get(thingName);
    if (!e || isTerminal(e.status)) return false;
    this.transition(e, JobExecutionStatus.REMOVED, now);
    return true;
  }

  /** Control plane: DescribeJobExecution. */
  public describeJobExecution(thingName: string): JobExecution | undefined {
    const e = this.executions.get(thingName);
    return e && { ...e, statusDetails: { ...e.statusDetails } };
  }

  private transition(e: JobExecution, status: JobExecutionStatus, now: number): void {
    this.counts.add(e.status, -1);
    this.counts.add(status, 1);
    e.status = status;
    e.versionNumber += 1;
    e.lastUpdatedAt = now * 1000;
  }
}
