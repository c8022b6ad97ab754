// Detector ingest: Kinesis exports of Stream Manager and topic-rule SQS queues → the detector FIFO queue.
import { Logger } from '@aws-lambda-powertools/logger';
import type { KinesisStreamBatchResponse, SQSBatchResponse } from 'aws-lambda';
import { IngestEvent, handleIngestEvent } from '../engine/ingest-events';
import { createRuntime, readRuntimeEnv } from '../engine/runtime';

const logger = new Logger({ serviceName: 'detector-ingest' });
const runtime = createRuntime(readRuntimeEnv(process.env));

export async function handler(event: IngestEvent): Promise<SQSBatchResponse | KinesisStreamBatchResponse> {
  return handleIngestEvent(event, runtime.ingest, { kinesis: runtime.env.kinesisInputs, queues: runtime.env.queueInputs }, {
    warn: (message, extra) => logger.warn(message, { ...extra }),
  });
}
