/**
 * An independent SigV4 verifier (node:crypto only, written from the AWS documentation "Create a signed AWS API
 * request"), checked against AWS's published get-vanilla vector: what API Gateway's IAM auth does with a
 * request, reimplemented so the tests need not trust the signer they test.
 */
import { createHash, createHmac } from 'crypto';

/** A request as the server received it. */
export interface ReceivedRequest {
  readonly method: string;
  /** The raw path and query, as on the request line (`/prod/detectors/M?maxResults=2`). */
  readonly url: string;
  /** Header names in any case. */
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface VerifiedSignature {
  readonly valid: boolean;
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: string[];
  readonly expected: string;
  readonly received: string;
}

const hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Recomputes the request's signature with the secret key; `valid` when it matches the Authorization header. */
export function verifySigV4(req: ReceivedRequest, secretAccessKey: string): VerifiedSignature {
  const header = (name: string) => {
    const entry = Object.entries(req.headers).find(([k]) => k.toLowerCase() === name);
    const v = entry?.[1];
    return Array.isArray(v) ? v.join(',') : v;
  };
  const auth = header('authorization') ?? '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) throw new Error(`not a SigV4 Authorization header: ${auth}`);
  const [, accessKeyId, date, region, service, signedHeaderList, received] = m;
  const signedHeaders = signedHeaderList.split(';');
  const q = req.url.indexOf('?');
  const rawPath = q >= 0 ? req.url.slice(0, q) : req.url;
  // not S3: each segment encoded once more (the request line holds it encoded once)
  const canonicalUri = rawPath.split('/').map((s) => rfc3986(decodeURIComponent(s))).map((s) => rfc3986(s)).join('/') || '/';
  const params = [...new URLSearchParams(q >= 0 ? req.url.slice(q + 1) : '')]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)]).sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const canonicalQuery = params.map(([k, v]) => `${k}=${v}`).join('&');
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${(header(h) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  // the body's hash; a declared x-amz-content-sha256 must be that hash
  const payloadHash = hex(req.body);
  const declared = header('x-amz-content-sha256');
  const bodyMatches = declared === undefined || declared === payloadHash;
  const canonicalRequest = [req.method.toUpperCase(), canonicalUri, canonicalQuery, canonicalHeaders, signedHeaderList, payloadHash].join('\n');
  const amzDate = header('x-amz-date') ?? '';
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  const valid = expected === received && bodyMatches && amzDate.startsWith(date);
  return { valid, accessKeyId, date, region, service, signedHeaders, expected, received };
}
