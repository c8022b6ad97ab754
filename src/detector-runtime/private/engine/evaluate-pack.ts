/**
 * The pure part of processing a pack: runs its works, in order, through one detector and returns the next
 * detector, the external actions to execute and what happened. No I/O (the processor does the reads,
 * writes, schedules and actions around it).
 *
 * - A work whose short id is in `seen` was evaluated before (a redelivery): skipped; so is every work of
 *   a pack whose id is the detector's `lastPack`.
 * - A Data API message (one with a `deliveryId`: its `messageId` is the caller's) whose messageId the detector
 *   evaluated less than 5 minutes before is ignored, as IoT Events ignored a messageId sent within the last five
 *   minutes: not evaluated, no action, but remembered in `seen` (a redelivery of it is skipped too). The detector
 *   keeps those messageIds with their evaluation times (`messageIds`: the last `MESSAGE_ID_LIMIT` of the last
 *   5 minutes); other sources' ids are unique per message and are not kept.
 * - A work older than the detector's last evaluation is evaluated at that time (as the simulator evaluates
 *   a message older than its clock at the current time): the detector's clock never goes back.
 * - Before a `message`, `update` or `delete` work, every timer due at or before its time fires, in due
 *   order (ties by timer name), as `DetectorSimulator.advanceTime` does.
 * - A `timer` work fires that timer (and the timers due before it) when the detector's timer has exactly
 *   that due time; otherwise it is stale (cleared, reset or fired already) and ignored: no state change,
 *   no write (the processor only puts the schedule of a timer that still runs, due later).
 * - `update` sets the state, variables and timers without running events (BatchUpdateDetector); it
 *   creates the detector when there is none (so that a deploy can seed detectors; the simulator does the same).
 *   Variable texts are read by `parseVariableText` as expression literals: `"20.0"` is the decimal 20, `"20"` the
 *   integer, `"\"01\""` the string 01 (and a text that is no literal, `abc`, that string).
 * - `delete` removes the detector (BatchDeleteDetector); a later message creates a new one.
 */
import { createHash } from 'node:crypto';
import { MESSAGE_ID_LIMIT, OutboxEntry, SEEN_LIMIT } from './state-store';
import { Work, workId, workTime } from './work';
import { MESSAGE_ID_WINDOW_MS } from '../../../private/detector-engine/data-api-limits';
import { CompiledDetectorModel, DetectorInstance, EvaluationResult, evaluateInput, fireTimer } from '../../../private/detector-engine/evaluator';
import { VariableValue } from '../../../private/detector-engine/expression/decimal';
import { parseJsonText, parseVariableText } from '../../../private/detector-engine/json-text';

/** 8 characters of base64url sha256 (48 bits): the form of a work id in `seen` and the outbox. */
export function shortWorkId(w: Work): string {
  return createHash('sha256').update(workId(w)).digest('base64url').slice(0, 8);
}


/**
 * An entry of a detector's `messageIds`: 8 characters of base64url sha256 of the caller's messageId (48 bits), then
 * the evaluation time (epoch ms) in base 36.
 */
export function messageIdEntry(messageId: string, timeMs: number): string {
  return `${createHash('sha256').update(messageId).digest('base64url').slice(0, 8)}${timeMs.toString(36)}`;
}

function parseMessageIdEntry(entry: string): { hash: string; timeMs: number } {
  return { hash: entry.slice(0, 8), timeMs: parseInt(entry.slice(8), 36) };
}

/** The id of a pack (its works' ids): a redelivered pack has the same one. */
export function packId(works: readonly Work[]): string {
  return createHash('sha256').update(works.map(workId).join('\n')).digest('base64url').slice(0, 16);
}

export interface PackEvaluation {
  readonly instance: DetectorInstance | undefined;
  /** True when the detector or its seen ids changed (a state write is needed). */
  readonly changed: boolean;
  readonly seen: string[];
  /** The Data API messageIds evaluated in the last 5 minutes (`messageIdEntry`), the last `MESSAGE_ID_LIMIT`. */
  readonly messageIds: string[];
  /** Data API messages ignored because their messageId was evaluated less than 5 minutes before. */
  readonly duplicates: number;
  /** The external actions of the works evaluated now. */
  readonly actions: OutboxEntry[];
  /** The short ids of the pack's works that had been evaluated already (redelivered). */
  readonly redelivered: string[];
  readonly messagesEvaluated: number;
  readonly timersFired: number;
  readonly staleTimers: number;
  /** Actions IoT Events would have failed (a field or payload that could not be evaluated). */
  readonly failedActions: number;
  /** Set when the detector was created by this pack (its creation time). */
  readonly createdAtMs?: number;
  /** Timers whose schedule fired in this pack, stale or not (it deleted itself). */
  readonly firedBySchedule: string[];
  /** The time of the last work evaluated. */
  readonly lastTimeMs?: number;
}

/** What the detector item holds besides its instance and `seen`. */
export interface PackContext {
  /** The last pack written was this one (a redelivery of a pack larger than `seen` remembers). */
  readonly packRedelivered?: boolean;
  /** The detector's last evaluation time (epoch ms): an older message is evaluated at this time. */
  readonly clockMs?: number;
  /** The detector's `messageIds` (`messageIdEntry`). */
  readonly messageIds?: readonly string[];
}

export function evaluatePack(
  model: CompiledDetectorModel, keyValue: string, start: DetectorInstance | undefined, seenBefore: readonly string[], works: readonly Work[],
  context: PackContext = {},
): PackEvaluation {
  const { packRedelivered = false, clockMs } = context;
  let instance = start;
  const seen = [...seenBefore];
  const seenSet = new Set(seen);
  const messageIds = (context.messageIds ?? []).map(parseMessageIdEntry);
  let duplicates = 0;
  const actions: OutboxEntry[] = [];
  const redelivered: string[] = [];
  let messagesEvaluated = 0;
  let timersFired = 0;
  let staleTimers = 0;
  let failedActions = 0;
  let createdAtMs: number | undefined;
  let lastTimeMs: number | undefined;
  let changed = false;
  const firedBySchedule: string[] = [];

  const take = (sid: string, result: EvaluationResult) => {
    instance = result.instance;
    result.actions.forEach((a) => {
      if (a.error !== undefined) {
        failedActions++;
        return;
      }
      actions.push({ id: `${sid}#${actions.filter((x) => x.work === sid).length}`, work: sid, type: a.type, config: a.config, payload: a.payload, payloadType: a.payloadType });
    });
  };
  const fireDueTimers = (sid: string, untilMs: number) => {
    for (;;) {
      if (!instance) return;
      const due = Object.entries(instance.timers)
        .filter(([, t]) => t.dueAtMs <= untilMs)
        .sort(([a, ta], [b, tb]) => ta.dueAtMs - tb.dueAtMs || (a < b ? -1 : a > b ? 1 : 0))[0];
      if (!due) return;
      take(sid, fireTimer(model, instance, due[0], due[1].dueAtMs, { trace: false }));
      timersFired++;
    }
  };

  for (const w of works) {
    const sid = shortWorkId(w);
    if (packRedelivered || seenSet.has(sid)) {
      redelivered.push(sid);
      continue;
    }
    if (w.kind === 'timer' && instance?.timers[w.timerName]?.dueAtMs !== w.dueAtMs) {
      // stale: nothing changes, so nothing to remember (a redelivery is stale again); no write
      firedBySchedule.push(w.timerName);
      staleTimers++;
      continue;
    }
    seenSet.add(sid);
    seen.push(sid);
    changed = true;
    // the detector's clock never goes back (a message from another shard may arrive late)
    const t = Math.max(workTime(w), lastTimeMs ?? clockMs ?? -Infinity);
    if (w.kind === 'message' && w.deliveryId !== undefined) {
      // the caller's messageId: ignored when this detector evaluated it less than 5 minutes before
      const entry = parseMessageIdEntry(messageIdEntry(w.messageId, t));
      if (messageIds.some((m) => m.hash === entry.hash && t - m.timeMs < MESSAGE_ID_WINDOW_MS)) {
        duplicates++;
        continue;
      }
      messageIds.push(entry);
    }
    lastTimeMs = t;
    switch (w.kind) {
      case 'message': {
        fireDueTimers(sid, t);
        const created = instance === undefined;
        // 20.0 in the text is a decimal (JSON.parse reads it as an integer)
        const message = { inputName: w.inputName, payload: parseJsonText(w.payload), timestampMs: t, messageId: w.messageId };
        take(sid, evaluateInput(model, instance, message, { trace: false }));
        if (created) createdAtMs = t;
        messagesEvaluated++;
        break;
      }
      case 'timer': {
        firedBySchedule.push(w.timerName);
        fireDueTimers(sid, w.dueAtMs);
        break;
      }
      case 'update': {
        fireDueTimers(sid, t);
        const variables: Record<string, VariableValue> = {};
        for (const v of w.variables) variables[v.name] = parseVariableText(v.value);
        const timers: Record<string, { durationSeconds: number; dueAtMs: number }> = {};
        for (const tm of w.timers) timers[tm.name] = { durationSeconds: tm.seconds, dueAtMs: t + tm.seconds * 1000 };
        if (instance === undefined) createdAtMs = t;
        instance = { ...(model.key !== undefined ? { keyValue } : {}), stateName: w.stateName, variables, timers };
        break;
      }
      case 'delete':
        fireDueTimers(sid, t);
        instance = undefined;
        createdAtMs = undefined;
        break;
    }
  }
  // forget the messageIds older than 5 minutes; keep at most the last MESSAGE_ID_LIMIT
  const latest = Math.max(lastTimeMs ?? -Infinity, clockMs ?? -Infinity);
  const kept = messageIds.filter((m) => !(latest - m.timeMs >= MESSAGE_ID_WINDOW_MS)).slice(-MESSAGE_ID_LIMIT);
  return {
    instance,
    changed,
    seen: seen.slice(-SEEN_LIMIT),
    messageIds: kept.map((m) => `${m.hash}${m.timeMs.toString(36)}`),
    duplicates,
    actions,
    redelivered,
    messagesEvaluated,
    timersFired,
    staleTimers,
    failedActions,
    createdAtMs,
    firedBySchedule,
    lastTimeMs,
  };
}
