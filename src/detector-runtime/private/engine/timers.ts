/**
 * Detector timers as EventBridge Scheduler one-time schedules (group env `DETECTOR_SCHEDULE_GROUP`): one
 * schedule per running timer, named `scheduleName(model, key, timer)`, `at(yyyy-mm-ddThh:mm:ss)` in UTC
 * rounded up to the whole second, `ActionAfterCompletion: DELETE` (it deletes itself once it fired), target
 * the detector FIFO queue with the detector's MessageGroupId and a `timer` work as the message body, so the
 * expiry goes through the same ordered path as the messages. A firing whose due time differs from the stored
 * timer is stale (the processor ignores it), so a schedule left behind by a failure does no harm.
 *
 * Precision: Scheduler fires within a minute of its time (`FlexibleTimeWindow` OFF); a message that arrives
 * after a timer's due time fires the timer first, at its due time, whatever the schedule does.
 */
import {
  ConflictException, CreateScheduleCommand, CreateScheduleCommandInput, DeleteScheduleCommand, ResourceNotFoundException,
  SchedulerClient, UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { WorkPack, messageGroupId, scheduleName } from './work';
import type { DetectorInstance } from '../../../private/detector-engine/evaluator';

export interface TimerSchedulerProps {
  readonly client: SchedulerClient;
  readonly groupName: string;
  /** The detector FIFO queue's ARN. */
  readonly queueArn: string;
  /** The role Scheduler assumes to send to the queue. */
  readonly roleArn: string;
  readonly now?: () => number;
}

type Timers = DetectorInstance['timers'];

/** `at(2026-12-02T18:30:05)`: the due time rounded up to the second, never earlier than a second from now. */
export function atExpression(dueAtMs: number, nowMs: number): string {
  const ms = Math.max(Math.ceil(dueAtMs / 1000) * 1000, Math.ceil(nowMs / 1000) * 1000 + 1000);
  return `at(${new Date(ms).toISOString().slice(0, 19)})`;
}

/** Keeps a detector's schedules in step with its timers. */
export class TimerScheduler {
  private readonly now: () => number;

  constructor(private readonly props: TimerSchedulerProps) {
    this.now = props.now ?? Date.now;
  }

  /**
   * Creates, updates and deletes schedules from the timers before and after a write:
   * - a new timer: CreateSchedule;
   * - a timer due earlier than before: UpdateSchedule;
   * - a timer due later than before (`resetTimer` on every message, the heartbeat pattern): nothing. The
   *   existing schedule fires early, the processor finds the firing stale and, the timer still running,
   *   creates its schedule at the new due time. One Scheduler request per timer period instead of one per
   *   message;
   * - a timer whose schedule fired in this pack (`selfDeleted`) and still runs: CreateSchedule;
   * - a timer gone: DeleteSchedule (not when its schedule fired, since it deleted itself).
   * `resync` puts every running timer's schedule again (after a redelivery, when the previous attempt may
   * have stopped between the state write and the schedules).
   */
  public async sync(
    detectorModelName: string, keyValue: string, before: Timers | undefined, after: Timers | undefined,
    opts: { readonly resync?: boolean; readonly selfDeleted?: readonly string[] } = {},
  ): Promise<void> {
    const old = before ?? {};
    const next = after ?? {};
    const selfDeleted = new Set(opts.selfDeleted ?? []);
    for (const name of Object.keys(next).sort()) {
      const due = next[name].dueAtMs;
      if (selfDeleted.has(name)) {
        await this.put(detectorModelName, keyValue, name, due, false);
      } else if (old[name] === undefined) {
        await this.put(detectorModelName, keyValue, name, due, false);
      } else if (opts.resync || due < old[name].dueAtMs) {
        await this.put(detectorModelName, keyValue, name, due, true);
      }
    }
    for (const name of Object.keys(old).sort()) {
      if (next[name] !== undefined || selfDeleted.has(name)) continue;
      await this.delete(detectorModelName, keyValue, name);
    }
  }

  /** The CreateSchedule input of a timer. */
  public scheduleInput(detectorModelName: string, keyValue: string, timerName: string, dueAtMs: number): CreateScheduleCommandInput {
    const body: WorkPack = { v: 1, detectorModelName, keyValue, work: [{ kind: 'timer', timerName, dueAtMs }] };
    return {
      Name: scheduleName(detectorModelName, keyValue, timerName),
      GroupName: this.props.groupName,
      ScheduleExpression: atExpression(dueAtMs, this.now()),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: this.props.queueArn,
        RoleArn: this.props.roleArn,
        Input: JSON.stringify(body),
        SqsParameters: { MessageGroupId: messageGroupId(detectorModelName, keyValue) },
      },
    };
  }

  private async put(detectorModelName: string, keyValue: string, timerName: string, dueAtMs: number, probablyExists: boolean): Promise<void> {
    const input = this.scheduleInput(detectorModelName, keyValue, timerName, dueAtMs);
    if (probablyExists) {
      try {
        await this.props.client.send(new UpdateScheduleCommand(input));
        return;
      } catch (e) {
        if (!isError(e, ResourceNotFoundException)) throw e;
        // it fired and deleted itself: create it again
      }
    }
    try {
      await this.props.client.send(new CreateScheduleCommand(input));
    } catch (e) {
      if (!isError(e, ConflictException)) throw e;
      await this.props.client.send(new UpdateScheduleCommand(input));
    }
  }

  private async delete(detectorModelName: string, keyValue: string, timerName: string): Promise<void> {
    try {
      await this.props.client.send(new DeleteScheduleCommand({
        Name: scheduleName(detectorModelName, keyValue, timerName),
        GroupName: this.props.groupName,
      }));
    } catch (e) {
      if (!isError(e, ResourceNotFoundException)) throw e;
    }
  }
}

function isError(e: unknown, type: { new (...args: any[]): Error }): boolean {
  return e instanceof type || (e as Error)?.name === type.name;
}

/** The queue ARN from its URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`). */
export function queueArnFromUrl(url: string): string {
  const m = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/(\d{12})\/([^/]+)$/.exec(url);
  if (!m) throw new Error(`DETECTOR_QUEUE_URL must be an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>), got ${url}; or set DETECTOR_QUEUE_ARN`);
  return `arn:${m[2] ? 'aws-cn' : 'aws'}:sqs:${m[1]}:${m[3]}:${m[4]}`;
}
