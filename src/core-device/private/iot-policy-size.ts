import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** AWS IoT refuses a policy document longer than this, not counting whitespace (CreatePolicy). */
export const IOT_POLICY_MAX_CHARS = 2048;

/**
 * Longest value each deploy-time token can take, so that a size computed at synth time is an upper
 * bound: partition `aws-us-gov`, a 14-character region (`ap-southeast-5`), a 12-digit account;
 * any other reference (a role alias ARN, a name) is counted as 200 characters.
 */
const WORST_CASE: Record<string, number> = { 'AWS::Partition': 10, 'AWS::Region': 14, 'AWS::AccountId': 12 };
const OTHER_REFERENCE = 200;

/** The length of `value` rendered as compact JSON, with every token at its longest. */
export function worstCaseJsonLength(scope: IConstruct, value: unknown): number {
  const resolved = Stack.of(scope).resolve(value);
  return JSON.stringify(flatten(resolved)).length;
}

function flatten(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flatten);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => (typeof p === 'string' ? p : String(flatten(p)))).join(sep);
    }
    if (keys.length === 1 && keys[0] === 'Ref') {
      return 'x'.repeat(WORST_CASE[obj.Ref as string] ?? OTHER_REFERENCE);
    }
    if (keys.length === 1 && keys[0].startsWith('Fn::')) {
      return 'x'.repeat(OTHER_REFERENCE);
    }
    return Object.fromEntries(keys.map((k) => [k, flatten(obj[k])]));
  }
  return value;
}

type Statement = Record<string, unknown>;

/**
 * Splits a policy document's statements into as few documents as fit AWS IoT's size limit (each
 * at most `limit` characters with every token at its longest), in order. A statement too long on
 * its own is split by its resources (`<Sid>Part<n>`).
 *
 * @throws when one resource alone does not fit
 */
export function splitIotPolicy(scope: IConstruct, document: { Version: string; Statement: Statement[] }, limit = IOT_POLICY_MAX_CHARS)
  : Array<{ Version: string; Statement: Statement[] }> {
  const size = (statements: Statement[]) => worstCaseJsonLength(scope, { Version: document.Version, Statement: statements });
  const pieces: Statement[] = [];
  for (const statement of document.Statement) {
    if (size([statement]) <= limit) {
      pieces.push(statement);
      continue;
    }
    const resources = [statement.Resource].flat();
    let part: unknown[] = [];
    let n = 0;
    const withResources = (r: unknown[]) => ({ ...statement, Sid: `${statement.Sid}Part${n}`, Resource: r });
    for (const resource of resources) {
      if (size([withResources([resource])]) > limit) {
        throw new Error(`IoT policy statement ${statement.Sid} has a resource longer than AWS IoT's ${limit}-character policy limit: ${JSON.stringify(Stack.of(scope).resolve(resource))}; use a shorter topic`);
      }
      if (part.length > 0 && size([withResources([...part, resource])]) > limit) {
        pieces.push(withResources(part));
        n++;
        part = [];
      }
      part.push(resource);
    }
    pieces.push(withResources(part));
  }
  const documents: Statement[][] = [[]];
  for (const piece of pieces) {
    const current = documents[documents.length - 1];
    if (current.length > 0 && size([...current, piece]) > limit) documents.push([piece]);
    else current.push(piece);
  }
  return documents.map((Statement) => ({ Version: document.Version, Statement }));
}
