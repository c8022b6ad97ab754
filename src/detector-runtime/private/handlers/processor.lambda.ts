// The detector processor: consumes the detector FIFO queue (batch size 10, reportBatchItemFailures).
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createProcessorHandler } from '../engine/processor';
import { createRuntime, readRuntimeEnv } from '../engine/runtime';

const logger = new Logger({ serviceName: 'detector-processor' });
const metrics = new Metrics({ namespace: 'GreengrassDetectors', serviceName: 'detector-processor' });
const runtime = createRuntime(readRuntimeEnv(process.env));

export const handler = createProcessorHandler(runtime.processDeps, {
  warn: (message, extra) => logger.warn(message, { ...extra }),
  error: (message, extra) => logger.error(message, { ...extra }),
}, metrics);
