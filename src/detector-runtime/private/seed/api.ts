/**
 * What the detector runtime's constructs and their deploy-time handler (`seed.lambda.ts`) share: resource types
 * and property names. No CDK import (bundled into the handler).
 */
import { createHash } from 'node:crypto';

/** Registers a detector model in the runtime's table: the item `model#<name>` with its definition. */
export const MODEL_RESOURCE_TYPE = 'Custom::GreengrassV2DetectorModel';

/** Seeds detectors through the Data API at deploy time (BatchPutMessage, BatchUpdateDetector). */
export const SEED_RESOURCE_TYPE = 'Custom::GreengrassV2DetectorSeed';

/** Properties of `Custom::GreengrassV2DetectorModel`. */
export interface ModelResourceProperties {
  /** The runtime's table. */
  readonly TableName: string;
  readonly DetectorModelName: string;
  /** JSON text: `{ detectorModel: DetectorModelShape, inputs: InputShape[] }`. */
  readonly Definition: string;
}

/** Properties of `Custom::GreengrassV2DetectorSeed`. */
export interface SeedResourceProperties {
  /** The Data API's base URL (`https://<api>.execute-api.<region>.amazonaws.com/<stage>/`). */
  readonly Endpoint: string;
  /** The region the API is in (SigV4). */
  readonly Region: string;
  /** JSON text: `Message[]` (BatchPutMessage), possibly empty. */
  readonly Messages: string;
  /** JSON text: `UpdateDetectorRequest[]` (BatchUpdateDetector), possibly empty. */
  readonly Detectors: string;
  /** Changes when the model's definition changes, so that a model update seeds again. */
  readonly ModelVersion: string;
}

/**
 * The attribute of a model item that names the registration that wrote it: `<stack id>#<logical id>` of the
 * `Custom::GreengrassV2DetectorModel` resource. A Delete removes the item only while it still names that resource,
 * so the cleanup of a moved or renamed `DetectorModel` (a new resource wrote the same item first) leaves it.
 */
export const MODEL_REGISTRATION_ATTRIBUTE = 'registration';

/**
 * The attribute of a model item that names the registration it replaced while that registration's resource still
 * lives (a renamed `DetectorModel`: CloudFormation creates the new resource before it deletes the old one). A copy
 * of the replaced item is kept in `modelKeptItemKey(pk, replaced)`: a Delete of the new resource first (a rollback)
 * restores it; the Delete of the replaced resource (the rename's cleanup) drops it.
 */
export const MODEL_REPLACED_ATTRIBUTE = 'replaced';

/**
 * The key of the kept copy of a replaced registration's model item: `<pk>#replaced#<32 hex of sha256(registration)>`.
 * It starts with `model#` (the handler may write only such items) and carries neither `detectorModelName` nor
 * `keyValue`, so the runtime never reads it as a model or a detector.
 */
export function modelKeptItemKey(pk: string, registration: string): string {
  return `${pk}#replaced#${createHash('sha256').update(registration, 'utf8').digest('hex').slice(0, 32)}`;
}

/** The registration id of a model resource (see `MODEL_REGISTRATION_ATTRIBUTE`). */
export function modelRegistrationId(stackId: string, logicalResourceId: string): string {
  return `${stackId}#${logicalResourceId}`;
}

/** The table's partition key of a detector model item. */
export function modelItemKey(detectorModelName: string): string {
  return `model#${detectorModelName}`;
}

/** Entries per Data API call (BatchPutMessage and BatchUpdateDetector take small batches). */
export const SEED_BATCH_SIZE = 10;
