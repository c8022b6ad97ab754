// The IoT Events Data API behind API Gateway (REST API, IAM auth, proxy integration).
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handleDataApiRequest } from '../data-api/rest-binding';
import { createRuntime, readRuntimeEnv } from '../engine/runtime';

const runtime = createRuntime(readRuntimeEnv(process.env));

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const query: Record<string, string | undefined> = { ...(event.queryStringParameters ?? {}) };
  const body = event.body === null || event.body === undefined ? undefined
    : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  // API Gateway's request id: unique per request, so the runtime tells a caller's reused messageId apart
  const res = await handleDataApiRequest(runtime.backend, {
    method: event.httpMethod, path: event.path, query, body, requestId: event.requestContext?.requestId,
  });
  return { statusCode: res.statusCode, headers: res.headers, body: res.body };
}
