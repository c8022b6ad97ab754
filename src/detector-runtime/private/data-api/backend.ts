/**
 * The backend of the IoT Events Data API: what the REST binding (`rest-binding.ts`) calls once a request is
 * routed, parsed and validated against the service model. Two implementations: the simulator backend
 * (`simulator-backend.ts`, the local `greengrass-detectors serve`) and the AWS backend of the detector runtime
 * (`../engine`, behind API Gateway).
 *
 * What a backend receives has passed the model's constraints (required members, lengths, patterns, ranges).
 * `Message.payload` arrives as the decoded bytes (a `Uint8Array`: the Data API sends the blob base64-encoded).
 * A backend reports a failure of one entry of a batch in the response's error entries, and a failure of the
 * whole request by throwing `DataApiError`.
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/apireference/API_Operations_AWS_IoT_Events_Data.html
 */
import type {
  BatchDeleteDetectorRequest, BatchDeleteDetectorResponse, BatchPutMessageRequest, BatchPutMessageResponse,
  BatchUpdateDetectorRequest, BatchUpdateDetectorResponse, DescribeDetectorRequest, DescribeDetectorResponse,
  ListDetectorsRequest, ListDetectorsResponse,
} from '../../../detector/simulator';

/** What the REST binding knows of a request besides its shape. */
export interface DataApiRequestContext {
  /**
   * Unique per HTTP request (API Gateway's request id on AWS, a random UUID locally), also sent back as
   * `x-amzn-RequestId`. A client's retry of a request is a new request with a new id.
   */
  readonly requestId: string;
}

/**
 * The five operations of the IoT Events Data API that detectors use (alarms are not part of this runtime). The batch
 * operations return their error entries in the order of the request's entries (`inRequestOrder`).
 */
export interface DataApiBackend {
  batchPutMessage(req: BatchPutMessageRequest, ctx?: DataApiRequestContext): Promise<BatchPutMessageResponse>;
  batchUpdateDetector(req: BatchUpdateDetectorRequest, ctx?: DataApiRequestContext): Promise<BatchUpdateDetectorResponse>;
  batchDeleteDetector(req: BatchDeleteDetectorRequest, ctx?: DataApiRequestContext): Promise<BatchDeleteDetectorResponse>;
  describeDetector(req: DescribeDetectorRequest, ctx?: DataApiRequestContext): Promise<DescribeDetectorResponse>;
  listDetectors(req: ListDetectorsRequest, ctx?: DataApiRequestContext): Promise<ListDetectorsResponse>;
}


/** The error types of the IoT Events Data API (service model `iotevents-data` 2018-10-23). */
export type DataApiErrorType = 'InvalidRequestException' | 'ResourceNotFoundException' | 'ThrottlingException'
| 'InternalFailureException' | 'ServiceUnavailableException';

/** The HTTP status code the service model gives each error type (`error.httpStatusCode`). */
export const DATA_API_ERROR_STATUS: Readonly<Record<DataApiErrorType, number>> = {
  InvalidRequestException: 400,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  InternalFailureException: 500,
  ServiceUnavailableException: 503,
};

/** Thrown by a backend; the REST binding renders it as the service did (x-amzn-ErrorType header + JSON body). */
export class DataApiError extends Error {
  constructor(
    readonly errorType: DataApiErrorType,
    message: string,
    readonly statusCode: number = DATA_API_ERROR_STATUS[errorType],
  ) {
    super(message);
    this.name = errorType;
  }
}

/**
 * Error entries in the order of the request's entries they belong to, by messageId (stable: entries of one
 * messageId, which a request should not repeat, keep their order, at its first entry). An entry whose messageId is
 * not in the request goes last.
 */
export function inRequestOrder<E extends { readonly messageId: string }>(entries: readonly E[], requestIds: readonly string[]): E[] {
  const position = new Map<string, number>();
  requestIds.forEach((id, i) => {
    if (!position.has(id)) position.set(id, i);
  });
  const at = (e: E) => position.get(e.messageId) ?? requestIds.length;
  return entries.map((e, i) => ({ e, i })).sort((a, b) => at(a.e) - at(b.e) || a.i - b.i).map((x) => x.e);
}
