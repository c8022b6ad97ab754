/**
 * The status of one device's IoT job execution, as the IoT Jobs service reports it.
 */
export enum JobExecutionStatus {
  /** Notified: the execution exists and waits for the device to start it. */
  QUEUED = 'QUEUED',
  /** The device started the execution (`StartNextPendingJobExecution`). */
  IN_PROGRESS = 'IN_PROGRESS',
  /** The device reported success (terminal). */
  SUCCEEDED = 'SUCCEEDED',
  /** The device reported a failure (terminal). */
  FAILED = 'FAILED',
  /** The device rejected the job document (terminal). */
  REJECTED = 'REJECTED',
  /** The in-progress timeout expired before the device reported a terminal status (terminal). */
  TIMED_OUT = 'TIMED_OUT',
  /** The job was canceled while the execution was queued (terminal). */
  CANCELED = 'CANCELED',
  /** The device left the job's target, for example its thing group (terminal). */
  REMOVED = 'REMOVED',
}

/** Whether no further transition can leave this status. */
export function isTerminal(status: JobExecutionStatus): boolean {
  return status !== JobExecutionStatus.QUEUED && status !== JobExecutionStatus.IN_PROGRESS;
}
