// Copy of the contract's interface (runtime-contract.md) so the CDK branch compiles; the lead keeps the
// API engineer's file at merge.
import type {
  BatchDeleteDetectorRequest, BatchDeleteDetectorResponse, BatchPutMessageRequest, BatchPutMessageResponse,
  BatchUpdateDetectorRequest, BatchUpdateDetectorResponse, DescribeDetectorRequest, DescribeDetectorResponse,
  ListDetectorsRequest, ListDetectorsResponse,
} from '../../../detector/simulator';

export interface DataApiBackend {
  batchPutMessage(req: BatchPutMessageRequest): Promise<BatchPutMessageResponse>;
  batchUpdateDetector(req: BatchUpdateDetectorRequest): Promise<BatchUpdateDetectorResponse>;
  batchDeleteDetector(req: BatchDeleteDetectorRequest): Promise<BatchDeleteDetectorResponse>;
  describeDetector(req: DescribeDetectorRequest): Promise<DescribeDetectorResponse>;
  listDetectors(req: ListDetectorsRequest): Promise<ListDetectorsResponse>;
}

/** Thrown by a backend; the REST binding renders it as the service did (x-amzn-ErrorType header + JSON body). */
export class DataApiError extends Error {
  constructor(readonly errorType: 'InvalidRequestException' | 'ResourceNotFoundException' | 'ThrottlingException'
  | 'InternalFailureException' | 'ServiceUnavailableException', message: string, readonly statusCode: number) {
    super(message);
    this.name = errorType;
  }
}
