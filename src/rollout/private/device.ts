import { JobExecutionStatus } from '../job-execution-status';
import { Outcome } from './fleet-model';
import { SimulatedJobsService } from './jobs-service';

/**
 * One simulated device following the IoT Jobs data-plane protocol:
 * GetPendingJobExecutions → StartNextPendingJobExecution → (runs) → UpdateJobExecution with
 * `expectedVersion`. An offline device never calls the service.
 */
export class SimulatedDevice {
  /** The version the device expects on its next update. */
  public expectedVersion?: number;
  /** The error the service answered to the device's last call, if any. */
  public lastError?: string;
  private jobId?: string;

  constructor(
    public readonly thingName: string,
    public readonly outcome: Outcome,
    public readonly durationSeconds: number,
  ) {}

  /**
   * The device receives the notify-next message. Returns when it will report its result
   * (simulated seconds), or undefined when it does not start anything.
   */
  public onNotified(service: SimulatedJobsService, now: number): number | undefined {
    if (this.outcome === Outcome.OFFLINE) return undefined;
    const pending = service.getPendingJobExecutions(this.thingName);
    if (pending.inProgressJobs.length + pending.queuedJobs.length === 0) return undefined;
    const execution = service.startNextPendingJobExecution(this.thingName, now, { step: 'deploying' });
    if (!execution) return undefined;
    this.jobId = execution.jobId;
    this.expectedVersion = execution.versionNumber;
    return now + this.durationSeconds;
  }

  /** The device reports its result; a stale version or a terminal execution is refused by the service. */
  public report(service: SimulatedJobsService, now: number): void {
    if (this.jobId === undefined) return;
    const status = this.outcome === Outcome.SUCCEEDED ? JobExecutionStatus.SUCCEEDED
      : this.outcome === Outcome.REJECTED ? JobExecutionStatus.REJECTED : JobExecutionStatus.FAILED;
    try {
      const answer = service.updateJobExecution({
        jobId: this.jobId,
        thingName: this.thingName,
        status,
        statusDetails: { detailed: status === JobExecutionStatus.SUCCEEDED ? 'SUCCESSFUL' : 'COMPONENT_ERROR' },
        expectedVersion: this.expectedVersion,
      }, now);
      this.expectedVersion = answer.executionState.versionNumber;
      this.lastError = undefined;
    } catch (e) {
      this.lastError = (e as Error).name;
    }
  }
}
