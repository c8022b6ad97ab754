// Placeholder of the CDK branch (issue 12): the signature of the contract's typed client, so the seeding
// handler compiles. The API engineer's implementation replaces this file at merge.
import type {
  BatchDeleteDetectorRequest, BatchDeleteDetectorResponse, BatchPutMessageRequest, BatchPutMessageResponse,
  BatchUpdateDetectorRequest, BatchUpdateDetectorResponse, DescribeDetectorRequest, DescribeDetectorResponse,
  ListDetectorsRequest, ListDetectorsResponse,
} from '../../detector/simulator';

export interface DetectorDataClientProps {
  readonly endpoint: string;
  readonly region?: string;
  readonly credentials?: unknown;
  readonly signed?: boolean;
}

export class DetectorDataClient {
  constructor(readonly props: DetectorDataClientProps) {}
  public async batchPutMessage(_req: BatchPutMessageRequest): Promise<BatchPutMessageResponse> { throw new Error('replaced at merge'); }
  public async batchUpdateDetector(_req: BatchUpdateDetectorRequest): Promise<BatchUpdateDetectorResponse> { throw new Error('replaced at merge'); }
  public async batchDeleteDetector(_req: BatchDeleteDetectorRequest): Promise<BatchDeleteDetectorResponse> { throw new Error('replaced at merge'); }
  public async describeDetector(_req: DescribeDetectorRequest): Promise<DescribeDetectorResponse> { throw new Error('replaced at merge'); }
  public async listDetectors(_req: ListDetectorsRequest): Promise<ListDetectorsResponse> { throw new Error('replaced at merge'); }
}
