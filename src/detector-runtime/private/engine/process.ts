/**
 * Processes one SQS message of the detector queue: a pack of works for one detector.
 *
 * 1. Read the detector (strongly consistent), evaluate the pack's works in order (`evaluatePack`).
 * 2. One conditional write: the new state, the `seen` ids, the Data API messageIds of the last 5 minutes and the outbox (this pack's external actions).
 *    A conflict (another writer got there first) re-reads and re-evaluates the whole pack (up to 5 times).
 *    A pack whose works were all evaluated before (a redelivery) needs no write.
 * 3. Timers: the schedules of the timers that changed (`TimerScheduler.sync`; all running ones after a redelivery).
 * 4. External actions: this pack's outbox entries (also those of redelivered works), at least once.
 *
 * The outbox is cleared lazily: the next write of the detector replaces it with its own actions. That is
 * safe because the queue is FIFO per detector: the next pack of a detector is received only once this one
 * was deleted, that is once its actions ran. So there is one DynamoDB write per pack, never a second one
 * to clear the outbox (bench/detector-runtime.bench.ts counts them).
 */
import { evaluatePack, packId } from './evaluate-pack';
import { ModelRegistry } from './models';
import { DetectorRecord, DetectorStateStore, OutboxEntry, StateConflictError } from './state-store';
import { TimerScheduler } from './timers';
import { WorkPack } from './work';

/** What processing a pack did (the processor turns it into metrics). */
export interface PackOutcome {
  readonly messagesEvaluated: number;
  readonly timersFired: number;
  readonly staleTimers: number;
  readonly stateConflicts: number;
  readonly actionsExecuted: number;
  readonly actionFailures: number;
  readonly redelivered: number;
  /** Data API messages ignored: their messageId was evaluated less than 5 minutes before. */
  readonly duplicates: number;
  readonly writes: number;
  /** Set when the pack was dropped (a model the runtime does not hold). */
  readonly dropped?: string;
}

export interface ProcessDeps {
  readonly store: DetectorStateStore;
  readonly models: ModelRegistry;
  readonly timers: TimerScheduler;
  /** Runs one external action; throws when it failed. */
  readonly execute: (entry: OutboxEntry, ctx: { detectorModelName: string; keyValue: string; timeMs: number }) => Promise<void>;
  readonly now?: () => number;
}

/** Thrown when an external action failed after the state was written: the pack is received again. */
export class ActionFailedError extends Error {
  constructor(readonly failures: Array<{ id: string; type: string; error: string }>, readonly outcome: PackOutcome) {
    super(`${failures.length} action${failures.length === 1 ? '' : 's'} failed: ${failures.map((f) => `${f.type} ${f.id}: ${f.error}`).join('; ')}`);
    this.name = 'ActionFailedError';
  }
}

const MAX_ATTEMPTS = 5;

export async function processPack(pack: WorkPack, deps: ProcessDeps): Promise<PackOutcome> {
  const model = await deps.models.get(pack.detectorModelName);
  const empty = {
    messagesEvaluated: 0,
    timersFired: 0,
    staleTimers: 0,
    stateConflicts: 0,
    actionsExecuted: 0,
    actionFailures: 0,
    redelivered: 0,
    duplicates: 0,
    writes: 0,
  };
  if (!model) return { ...empty, dropped: `detector model '${pack.detectorModelName}' is not held by this runtime (${deps.models.modelNames.join(', ')})` };
  const now = deps.now ?? Date.now;
  let conflicts = 0;
  for (let attempt = 1; ; attempt++) {
    const before = await deps.store.get(pack.detectorModelName, pack.keyValue);
    const id = packId(pack.work);
    const ev = evaluatePack(model.compiled, pack.keyValue, before.instance, before.seen, pack.work, {
      packRedelivered: before.lastPack === id, clockMs: before.lastUpdateTime, messageIds: before.messageIds,
    });
    // this pack's actions: the new ones, and those of its works evaluated before (a redelivery)
    const redelivered = new Set(ev.redelivered);
    const pending = before.outbox.filter((e) => redelivered.has(e.work));
    let after: DetectorRecord = before;
    let writes = 0;
    if (ev.changed) {
      // a pack of ignored duplicates only (no evaluation) leaves the detector's clock where it was
      const t = ev.lastTimeMs ?? before.lastUpdateTime ?? now();
      try {
        after = await deps.store.save(before, {
          instance: ev.instance,
          seen: ev.seen,
          messageIds: ev.messageIds,
          lastPack: id,
          outbox: [...pending, ...ev.actions],
          creationTime: ev.instance ? ev.createdAtMs ?? before.creationTime ?? t : undefined,
          lastUpdateTime: ev.instance ? t : undefined,
        });
        writes = 1;
      } catch (e) {
        if (e instanceof StateConflictError && attempt < MAX_ATTEMPTS) {
          conflicts++;
          continue;
        }
        throw e;
      }
    }
    await deps.timers.sync(pack.detectorModelName, pack.keyValue, before.instance?.timers, after.instance?.timers, {
      resync: redelivered.size > 0,
      selfDeleted: ev.firedBySchedule,
    });
    const toRun = [...pending, ...ev.actions];
    const failures: Array<{ id: string; type: string; error: string }> = [];
    for (const entry of toRun) {
      try {
        await deps.execute(entry, { detectorModelName: pack.detectorModelName, keyValue: pack.keyValue, timeMs: ev.lastTimeMs ?? now() });
      } catch (e) {
        failures.push({ id: entry.id, type: entry.type, error: (e as Error).message });
      }
    }
    const outcome: PackOutcome = {
      messagesEvaluated: ev.messagesEvaluated,
      timersFired: ev.timersFired,
      staleTimers: ev.staleTimers,
      stateConflicts: conflicts,
      actionsExecuted: toRun.length - failures.length,
      actionFailures: failures.length + ev.failedActions,
      redelivered: ev.redelivered.length,
      duplicates: ev.duplicates,
      writes,
    };
    if (failures.length > 0) throw new ActionFailedError(failures, outcome);
    return outcome;
  }
}
