// The detector runtime's Data API client: TypeScript/JavaScript only (not exported from the package root, whose
// API jsii translates to other languages): require('cdk-greengrass-v2/lib/detector-runtime/client').
export * from './detector-data-client';
export { DataApiError } from '../private/data-api/backend';
export type { DataApiErrorType } from '../private/data-api/backend';
