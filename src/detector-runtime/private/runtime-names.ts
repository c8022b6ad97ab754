import * as apigateway from 'aws-cdk-lib/aws-apigateway';

/** The environment variables the runtime's handlers read (runtime-contract.md). */
export const ENV = {
  table: 'DETECTOR_TABLE_NAME',
  queueUrl: 'DETECTOR_QUEUE_URL',
  queueArn: 'DETECTOR_QUEUE_ARN',
  scheduleGroup: 'DETECTOR_SCHEDULE_GROUP',
  schedulerRoleArn: 'DETECTOR_SCHEDULER_ROLE_ARN',
  modelNames: 'DETECTOR_MODEL_NAMES',
  kinesisInputs: 'DETECTOR_KINESIS_INPUTS',
  queueInputs: 'DETECTOR_QUEUE_INPUTS',
  iotDataEndpoint: 'DETECTOR_IOT_DATA_ENDPOINT',
} as const;

/** One method of the Data API, as an `execute-api` resource: the HTTP method and the resource path (`*` allowed). */
export interface DataApiMethod {
  readonly method: string;
  readonly path: string;
}

/** The IoT Events Data API's request URIs (iotevents-data 2018-10-23 service model, `http.requestUri`). */
export const BATCH_PUT_MESSAGE: DataApiMethod = { method: 'POST', path: '/inputs/messages' };
export const BATCH_UPDATE_DETECTOR: DataApiMethod = { method: 'POST', path: '/detectors' };
export const BATCH_DELETE_DETECTOR: DataApiMethod = { method: 'POST', path: '/detectors/delete' };
/** DescribeDetector (`/detectors/{m}/keyValues/`) and ListDetectors (`/detectors/{m}`). */
export const READ_DETECTORS: DataApiMethod = { method: 'GET', path: '/detectors/*' };

export const DATA_API_METHODS: DataApiMethod[] = [BATCH_PUT_MESSAGE, BATCH_UPDATE_DETECTOR, BATCH_DELETE_DETECTOR, READ_DETECTORS];

/** `arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>` for each method. */
export function executeApiResources(api: apigateway.RestApi, methods: DataApiMethod[]): string[] {
  return methods.map((m) => api.arnForExecuteApi(m.method, m.path, api.deploymentStage.stageName));
}
