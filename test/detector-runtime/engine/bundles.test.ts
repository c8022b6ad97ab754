// The handler bundles (npx projen bundle) load on their own, with only the AWS SDK from the Lambda runtime.
import * as path from 'path';

test.each(['processor', 'ingest', 'data-api'])('the %s bundle loads and exports a handler', (name) => {
  process.env.DETECTOR_TABLE_NAME = 'detectors';
  process.env.DETECTOR_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/x-detector-events.fifo';
  process.env.DETECTOR_MODEL_NAMES = 'motorPressure';
  process.env.AWS_REGION = 'us-east-1';
  const file = path.join(__dirname, '../../../assets/detector-runtime/private/handlers', `${name}.lambda`, 'index.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file);
  expect(typeof mod.handler).toBe('function');
});
