/**
 * The processor Lambda's body: an SQS FIFO event of packs → `processPack` each, with Powertools'
 * `SqsFifoPartialProcessorAsync` (`skipGroupOnError`: once a pack fails, the later packs of the same
 * detector fail too, so that order holds; other detectors go on) and partial batch responses.
 */
import { SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ActionFailedError, PackOutcome, ProcessDeps, processPack } from './process';
import { parseWorkPack } from './work';

export function createProcessorHandler(deps: ProcessDeps, logger: Logger, metrics: Metrics) {
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
      return await processPartialResponse(event, record, new SqsFifoPartialProcessorAsync(), { context, skipGroupOnError: true, throwOnFullBatchFailure: false });
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

function count(metrics: Metrics, o: PackOutcome): void {
  metrics.addMetric('MessagesEvaluated', MetricUnit.Count, o.messagesEvaluated);
  metrics.addMetric('TimersFired', MetricUnit.Count, o.timersFired);
  metrics.addMetric('StaleTimers', MetricUnit.Count, o.staleTimers);
  metrics.addMetric('ActionFailures', MetricUnit.Count, o.actionFailures);
  metrics.addMetric('StateConflicts', MetricUnit.Count, o.stateConflicts);
  metrics.addMetric('Redeliveries', MetricUnit.Count, o.redelivered);
}
