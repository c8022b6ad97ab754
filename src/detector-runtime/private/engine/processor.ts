/**
 * The processor Lambda's body: an SQS FIFO event of packs → `processPack` each, with Powertools'
 * `SqsFifoPartialProcessorAsync` (`skipGroupOnError`: once a pack fails, the later packs of the same
 * detector fail too, so that order holds; other detectors go on) and partial batch responses.
 */
import { SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ActionFailedError, PackOutcome, ProcessDeps, processPack } from './process';
import { parseWorkPack } from './work';

/** What the processor logs through (Powertools Logger). */
export interface ProcessorLogger {
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** What the processor counts through (Powertools Metrics). */
export interface ProcessorMetrics {
  addMetric(name: string, unit: typeof MetricUnit.Count, value: number): unknown;
  publishStoredMetrics(): void;
}

export function createProcessorHandler(deps: ProcessDeps, logger: ProcessorLogger, metrics: ProcessorMetrics) {
  const record = async (r: SQSRecord): Promise<void> => {
    const pack = parseWorkPack(r.body);
    let outcome: PackOutcome;
    try {
      outcome = await processPack(pack, deps);
    } catch (e) {
      if (e instanceof ActionFailedError) {
        count(metrics, e.outcome);
        logger.error('external actions failed; the pack will be received again', { detectorModelName: pack.detectorModelName, keyValue: pack.keyValue, failures: e.failures });
      }
      throw e;
    }
    if (outcome.dropped) logger.warn('pack dropped', { messageId: r.messageId, reason: outcome.dropped });
    count(metrics, outcome);
  };
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    try {
      return await processPartialResponse(event, record, new SqsFifoPartialProcessorAsync(), {
        context,
        skipGroupOnError: true,
        throwOnFullBatchFailure: false,
      });
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

function count(metrics: ProcessorMetrics, o: PackOutcome): void {
  metrics.addMetric('MessagesEvaluated', MetricUnit.Count, o.messagesEvaluated);
  metrics.addMetric('TimersFired', MetricUnit.Count, o.timersFired);
  metrics.addMetric('StaleTimers', MetricUnit.Count, o.staleTimers);
  metrics.addMetric('ActionFailures', MetricUnit.Count, o.actionFailures);
  metrics.addMetric('StateConflicts', MetricUnit.Count, o.stateConflicts);
  metrics.addMetric('Redeliveries', MetricUnit.Count, o.redelivered);
  metrics.addMetric('DuplicateMessages', MetricUnit.Count, o.duplicates);
}
