import { DescribeJobCommand, DescribeJobExecutionCommand, IoTClient, JobExecutionStatus, ListJobExecutionsForJobCommand } from '@aws-sdk/client-iot';
import { ATTR_IOT_JOB_ID, ATTR_STARTED_AT, ATTR_SUCCEEDED } from './api';
import type { CompletionHandlerDeps } from './completion-on-event.lambda';
import { Conclusion, FleetCounts, JobState, describeCounts, evaluate } from './private/evaluate';
import { ParsedProperties, parseProperties } from './private/properties';
import {
  CustomResourceEvent, IsCompleteResponse, createLogger, isNotFound, propertiesUnchanged, truncateUtf8, withCloudFormationErrors, withRetries,
} from '../../private/handler-kit';

const iot = new IoTClient({ maxAttempts: 1 });

/** Longest sleep of one naming call's retries (the poll itself may retry for 60 s). */
const NAMING_BUDGET_MS = 10_000;

const NO_COUNTS: FleetCounts = { succeeded: 0, failed: 0, rejected: 0, timedOut: 0, canceled: 0, removed: 0, queued: 0, inProgress: 0 };

/** Statuses whose devices a failure reason names, most telling first. */
const NAMED_STATUSES: Array<[JobExecutionStatus, keyof FleetCounts]> = [
  ['FAILED', 'failed'], ['REJECTED', 'rejected'], ['TIMED_OUT', 'timedOut'], ['QUEUED', 'queued'], ['IN_PROGRESS', 'inProgress'],
];

function countsOfStatus(status: string | undefined): FleetCounts {
  switch (status) {
    case 'SUCCEEDED': return { ...NO_COUNTS, succeeded: 1 };
    case 'FAILED': return { ...NO_COUNTS, failed: 1 };
    case 'REJECTED': return { ...NO_COUNTS, rejected: 1 };
    case 'TIMED_OUT': return { ...NO_COUNTS, timedOut: 1 };
    case 'CANCELED': return { ...NO_COUNTS, canceled: 1 };
    case 'REMOVED': return { ...NO_COUNTS, removed: 1 };
    case 'IN_PROGRESS': return { ...NO_COUNTS, inProgress: 1 };
    case 'QUEUED': return { ...NO_COUNTS, queued: 1 };
    default: return NO_COUNTS;
  }
}

/**
 * isComplete of the fleet waiter: one DescribeJob per poll for a thing group, whatever its size
 * (one DescribeJobExecution for a single thing). When the deployment fails, a few more calls name
 * the first failing devices with their status details.
 */
export function createHandler(deps: CompletionHandlerDeps = {}) {
  const log = createLogger('deployment-completion-is-complete');
  const retry = { sleep: deps.sleep, random: deps.random, log, budgetMs: 60_000 };
  const now = deps.now ?? Date.now;

  const jobState = async (jobId: string, props: ParsedProperties): Promise<JobState> => {
    if (props.thingName !== undefined) {
      try {
        const res = await withRetries(() => iot.send(new DescribeJobExecutionCommand({ jobId, thingName: props.thingName })),
          { ...retry, label: 'DescribeJobExecution' });
        return { counts: countsOfStatus(res.execution?.status), rolloutComplete: true, canceled: false };
      } catch (error) {
        if (isNotFound(error)) return { counts: NO_COUNTS, rolloutComplete: false, canceled: false };
        throw error;
      }
    }
    const res = await withRetries(() => iot.send(new DescribeJobCommand({ jobId })), { ...retry, label: 'DescribeJob' });
    const d = res.job?.jobProcessDetails ?? {};
    const counts: FleetCounts = {
      succeeded: d.numberOfSucceededThings ?? 0,
      failed: d.numberOfFailedThings ?? 0,
      rejected: d.numberOfRejectedThings ?? 0,
      timedOut: d.numberOfTimedOutThings ?? 0,
      canceled: d.numberOfCanceledThings ?? 0,
      removed: d.numberOfRemovedThings ?? 0,
      queued: d.numberOfQueuedThings ?? 0,
      inProgress: d.numberOfInProgressThings ?? 0,
    };
    const status = res.job?.status;
    const canceled = status === 'CANCELED' || status === 'DELETION_IN_PROGRESS';
    // A Greengrass deployment to a thing group runs a continuous job: it stays IN_PROGRESS and never
    // completes, so the end of the rollout is read from the job itself. processingTargets lists the
    // targets still being rolled out (empty or absent once every device of the group was notified)
    // and isConcurrent is true while the job still creates executions; both must say "done". A new
    // job has no counts yet either, so "done" also needs devices notified. The fleet is then what
    // the counts add up to.
    const notified = Object.values(counts).some((n) => n > 0);
    const rollingOut = (d.processingTargets ?? []).length > 0 || res.job?.isConcurrent === true;
    const rolloutComplete = status === 'COMPLETED' || canceled || (!rollingOut && notified);
    return { counts, rolloutComplete, canceled };
  };

  /**
   * Names the first failing devices, best effort: the fleet summary is the failure reason, so an
   * error here (access denied, throttling beyond a short budget) only shortens the list. Each call
   * retries for at most NAMING_BUDGET_MS, so that even 2 x 5 throttled calls end well within the
   * function's timeout and the summary reaches CloudFormation.
   */
  const failingDevices = async (jobId: string, props: ParsedProperties, counts: FleetCounts): Promise<string[]> => {
    const limit = props.failingDevicesToName;
    const naming = { ...retry, budgetMs: NAMING_BUDGET_MS };
    const things: string[] = [];
    if (props.thingName !== undefined) {
      things.push(props.thingName);
    } else {
      for (const [status, key] of NAMED_STATUSES) {
        if (things.length >= limit) break;
        if (counts[key] === 0) continue;
        try {
          const res = await withRetries(() => iot.send(new ListJobExecutionsForJobCommand({ jobId, status, maxResults: limit - things.length })),
            { ...naming, label: 'ListJobExecutionsForJob' });
          for (const s of res.executionSummaries ?? []) {
            const name = s.thingArn?.split('/').pop();
            if (name && things.length < limit) things.push(name);
          }
        } catch (error) {
          log.error('could not list failing devices; the failure reason gives the counts only', { status, error: (error as Error).name });
          break;
        }
      }
    }
    const described: string[] = [];
    for (const thingName of things.slice(0, limit)) {
      try {
        const res = await withRetries(() => iot.send(new DescribeJobExecutionCommand({ jobId, thingName })), { ...naming, label: 'DescribeJobExecution' });
        const details = Object.entries(res.execution?.statusDetails?.detailsMap ?? {}).map(([k, v]) => `${k}=${truncateUtf8(v, 120)}`).join(', ');
        described.push(`${thingName} ${res.execution?.status ?? 'UNKNOWN'}${details ? ` (${details})` : ''}`);
      } catch (error) {
        described.push(`${thingName} (status details unavailable: ${(error as Error).name})`);
      }
    }
    return described;
  };

  return withCloudFormationErrors(log, async (event: CustomResourceEvent): Promise<IsCompleteResponse> => {
    if (event.RequestType === 'Delete') return { IsComplete: true };
    const props = parseProperties(event.ResourceProperties);
    const jobId = event.Data?.[ATTR_IOT_JOB_ID];
    if (!props.wait || propertiesUnchanged(event) || !jobId) return { IsComplete: true };

    const startedAt = Number(event.Data?.[ATTR_STARTED_AT] ?? now());
    const timedOut = now() - startedAt >= props.timeoutMs;
    const state = await jobState(jobId, props);
    const conclusion: Conclusion = evaluate(state, props.rule, timedOut);
    log.info('poll', { jobId, outcome: conclusion.outcome, reason: conclusion.reason, counts: state.counts });
    if (conclusion.outcome === 'PENDING') return { IsComplete: false };
    if (conclusion.outcome === 'SUCCEEDED') {
      return { IsComplete: true, Data: { [ATTR_SUCCEEDED]: String(state.counts.succeeded) } };
    }
    const devices = props.failingDevicesToName > 0 ? await failingDevices(jobId, props, state.counts) : [];
    throw new Error(`deployment ${props.deploymentId} (IoT job ${jobId}) failed on the fleet: ${conclusion.reason}. `
      + `${describeCounts(state.counts)}.${devices.length ? ` First devices: ${devices.join('; ')}.` : ''}`);
  });
}

export const handler = createHandler();
