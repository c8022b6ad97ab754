import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as iot from 'aws-cdk-lib/aws-iot';
import { IConstruct } from 'constructs';

/**
 * AWS IoT refuses a policy document longer than this, whitespace excluded (AWS IoT Core quotas,
 * "Maximum size of a policy document"; CreatePolicy `policyDocument`).
 */
export const IOT_POLICY_MAX_CHARS = 2048;

/**
 * AWS IoT attaches at most this many policies to one certificate (AWS IoT Core quotas, "Maximum
 * number of policies that can be attached to a certificate").
 */
export const IOT_POLICIES_PER_PRINCIPAL_MAX = 10;

/** The longest name AWS IoT allows for a thing, thing group, policy or role alias. */
const IOT_NAME_MAX = 128;

/**
 * Longest value each deploy-time token can take, so that a size computed at synth time is an upper
 * bound: partition `aws-us-gov`, a 14-character region (`ap-southeast-5`), a 12-digit account.
 */
const PSEUDO_MAX: Record<string, number> = { 'AWS::Partition': 10, 'AWS::Region': 14, 'AWS::AccountId': 12 };
/** Any other reference this file has no bound for is counted as this many characters. */
const OTHER_REFERENCE = 200;

type Statement = Record<string, unknown>;
/** An IoT policy document. */
export interface IotPolicyDocument {
  readonly Version: string;
  readonly Statement: Statement[];
}

/**
 * Measures IoT policy documents as AWS IoT does, before deployment: the document rendered as
 * compact JSON (no whitespace between tokens; whitespace inside strings is counted, so the figure
 * is an upper bound), with every deploy-time value at its longest:
 * - pseudo parameters: partition 10, region 14, account 12 characters;
 * - `Ref` to an `AWS::IoT::Thing`, `ThingGroup`, `Policy` or `RoleAlias` of the app: its literal
 *   name, or 128 characters (AWS IoT's longest name) when CloudFormation names it;
 * - `Fn::GetAtt [<RoleAlias>, RoleAliasArn]`: `arn:<partition>:iot:<region>:<account>:rolealias/<name>`
 *   with the same bounds;
 * - any other reference or function: 200 characters.
 */
export class IotPolicySizer {
  /** Measures documents of `scope`'s stack, resolving its tokens and looking its resources up. */
  public static ofStack(scope: IConstruct): IotPolicySizer {
    const stack = Stack.of(scope);
    let resources: Map<string, CfnResource> | undefined;
    return new IotPolicySizer((v) => stack.resolve(v), (id) => {
      if (!resources) {
        resources = new Map();
        for (const c of stack.node.findAll()) {
          if (CfnResource.isCfnResource(c) && Stack.of(c) === stack) resources.set(stack.resolve(c.logicalId), c);
        }
      }
      const r = resources.get(id);
      if (r instanceof iot.CfnThing) return { type: 'AWS::IoT::Thing', name: r.thingName };
      if (r instanceof iot.CfnThingGroup) return { type: 'AWS::IoT::ThingGroup', name: r.thingGroupName };
      if (r instanceof iot.CfnPolicy) return { type: 'AWS::IoT::Policy', name: r.policyName };
      if (r instanceof iot.CfnRoleAlias) return { type: 'AWS::IoT::RoleAlias', name: r.roleAlias };
      return r ? { type: r.cfnResourceType } : undefined;
    });
  }

  /** Measures documents of a synthesized template (its `Resources` are looked up by logical ID). */
  public static ofTemplate(template: { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> }): IotPolicySizer {
    return new IotPolicySizer((v) => v, (id) => {
      const r = template.Resources?.[id];
      if (!r) return undefined;
      const name = NAME_PROPERTY[r.Type] ? r.Properties?.[NAME_PROPERTY[r.Type]] : undefined;
      return { type: r.Type, name: typeof name === 'string' ? name : undefined };
    });
  }

  private constructor(
    private readonly resolve: (value: unknown) => unknown,
    private readonly lookup: (logicalId: string) => { type: string; name?: string } | undefined) {}

  /** The worst-case length of `value` rendered as compact JSON. */
  public length(value: unknown): number {
    return JSON.stringify(this.flatten(this.resolve(value))).length;
  }

  private flatten(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.flatten(v));
    if (value && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj);
      if (keys.length === 1 && keys[0] === 'Fn::Join') {
        const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
        return parts.map((p) => (typeof p === 'string' ? p : String(this.flatten(p)))).join(sep);
      }
      if (keys.length === 1 && keys[0] === 'Ref') return 'x'.repeat(this.refLength(obj.Ref as string));
      if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
        const [id, attribute] = obj['Fn::GetAtt'] as [string, string];
        return 'x'.repeat(this.getAttLength(id, attribute));
      }
      if (keys.length === 1 && keys[0].startsWith('Fn::')) return 'x'.repeat(OTHER_REFERENCE);
      return Object.fromEntries(keys.map((k) => [k, this.flatten(obj[k])]));
    }
    return value;
  }

  private refLength(id: string): number {
    if (id in PSEUDO_MAX) return PSEUDO_MAX[id];
    return this.nameLength(id) ?? OTHER_REFERENCE;
  }

  private getAttLength(id: string, attribute: string): number {
    if (this.lookup(id)?.type === 'AWS::IoT::RoleAlias' && attribute === 'RoleAliasArn') {
      // arn:<partition>:iot:<region>:<account>:rolealias/<name>
      const p = PSEUDO_MAX;
      return 'arn:'.length + p['AWS::Partition'] + ':iot:'.length + p['AWS::Region'] + 1 + p['AWS::AccountId'] + ':rolealias/'.length + this.nameLength(id)!;
    }
    return OTHER_REFERENCE;
  }

  /** The length of a named IoT resource's name, or undefined for a resource this file has no bound for. */
  private nameLength(id: string): number | undefined {
    const r = this.lookup(id);
    if (!r || !NAME_PROPERTY[r.type]) return undefined;
    return r.name === undefined || Token.isUnresolved(r.name) ? IOT_NAME_MAX : r.name.length;
  }
}

/** The property naming each IoT resource type whose `Ref` is its name. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::IoT::Thing': 'ThingName',
  'AWS::IoT::ThingGroup': 'ThingGroupName',
  'AWS::IoT::Policy': 'PolicyName',
  'AWS::IoT::RoleAlias': 'RoleAlias',
};

/** The worst-case length of `value` rendered as compact JSON (see {@link IotPolicySizer}). */
export function worstCaseJsonLength(scope: IConstruct, value: unknown): number {
  return IotPolicySizer.ofStack(scope).length(value);
}

/** Options of {@link splitIotPolicy}. */
export interface SplitIotPolicyOptions {
  /** What the policy belongs to, for errors (for example `CoreDevice Stack/Device`). */
  readonly owner: string;
  /** The prop a statement's permissions come from, by the statement's `Sid`, for errors. */
  readonly propOf?: (sid: string) => string;
  /** @default IOT_POLICY_MAX_CHARS */
  readonly limit?: number;
  /** @default IOT_POLICIES_PER_PRINCIPAL_MAX */
  readonly maxPolicies?: number;
}

/**
 * Makes a policy document fit AWS IoT's limits, granting exactly the same permissions:
 * 1. a document that fits (at most `limit` characters, every token at its longest) is kept as it is;
 * 2. otherwise it is split, in order: a statement that does not fit in the current document goes
 *    whole into the next one, and one too long for any document is split by its resources
 *    (`<Sid>Part<n>`), the first part filling the current document;
 * 3. when that needs more than `maxPolicies` documents, every statement that does not fit in the
 *    current document fills it with as many of its resources as fit (fewer documents);
 * 4. when that still needs too many, the statements are first compacted:
 *    `Allow` statements with the same actions become one (their resources joined), then statements
 *    with the same resources become one (their actions joined), each keeping the `Sid` of the first.
 *
 * @throws when one resource alone does not fit, or when more than `maxPolicies` documents are needed
 */
export function splitIotPolicy(scope: IConstruct, document: IotPolicyDocument, options: SplitIotPolicyOptions): IotPolicyDocument[] {
  const limit = options.limit ?? IOT_POLICY_MAX_CHARS;
  const maxPolicies = options.maxPolicies ?? IOT_POLICIES_PER_PRINCIPAL_MAX;
  const propOf = options.propOf ?? (() => 'the policy');
  const sizer = IotPolicySizer.ofStack(scope);
  const size = (statements: Statement[]) => sizer.length({ Version: document.Version, Statement: statements });
  if (size(document.Statement) <= limit) return [document];

  // Where each resource came from, for the errors.
  const origin = new Map<string, string>();
  const key = (v: unknown) => JSON.stringify(Stack.of(scope).resolve(v));
  for (const s of document.Statement) for (const r of [s.Resource].flat()) if (!origin.has(key(r))) origin.set(key(r), String(s.Sid));

  const split = (statements: Statement[], fill: boolean): Statement[][] => {
    // In order, so the statements read as the renderer wrote them across the documents. A statement
    // that does not fit in the current document goes whole into the next one when it fits there
    // (unless `fill`); otherwise it fills the current one with as many of its resources as fit.
    const documents: Statement[][] = [[]];
    const fits = (doc: Statement[], statement: Statement) => size([...doc, statement]) <= limit;
    for (const statement of statements) {
      let current = documents[documents.length - 1];
      if (fits(current, statement)) {
        current.push(statement);
        continue;
      }
      if (!fill && current.length > 0 && fits([], statement)) {
        documents.push([statement]);
        continue;
      }
      let n = 0;
      let part: unknown[] = [];
      const piece = (r: unknown[]) => ({ ...statement, Sid: `${statement.Sid}Part${n}`, Resource: r });
      for (const resource of [statement.Resource].flat()) {
        const alone = size([piece([resource])]);
        if (alone > limit) {
          const sid = origin.get(key(resource)) ?? String(statement.Sid);
          throw new Error(`${options.owner}: ${propOf(sid)} gives an IoT policy statement (${sid}) that alone is ${alone} characters with every token at its longest, `
            + `over AWS IoT's ${limit}-character policy limit: ${key(resource)}; use a shorter value`);
        }
        if (fits(current, piece([...part, resource]))) {
          part.push(resource);
          continue;
        }
        if (part.length > 0) {
          current.push(piece(part));
          n++;
        }
        current = [];
        documents.push(current);
        part = [resource];
      }
      // Not split after all (it went whole into a new document): it keeps its Sid.
      current.push(n === 0 ? statement : piece(part));
    }
    return documents.filter((d) => d.length > 0);
  };

  let documents = split(document.Statement, false);
  if (documents.length > maxPolicies) documents = split(document.Statement, true);
  if (documents.length > maxPolicies) documents = split(compact(document.Statement, key), true);
  if (documents.length > maxPolicies) {
    const bySize = new Map<string, number>();
    for (const s of document.Statement) {
      const prop = propOf(String(s.Sid));
      bySize.set(prop, (bySize.get(prop) ?? 0) + size([s]));
    }
    const props = [...bySize.entries()].sort((a, b) => b[1] - a[1]).map(([p, n]) => `${p} (${n} characters)`).join(', ');
    throw new Error(`${options.owner}: its IoT policy is ${size(document.Statement)} characters with every token at its longest and needs ${documents.length} policies `
      + `of at most ${limit} characters even with its statements merged, more than the ${maxPolicies} AWS IoT attaches to one certificate; by prop: ${props}. `
      + 'Grant fewer or shorter mqttTopics (one wildcard such as \'factory/line-1/*\' instead of many topics), or fewer clientDeviceThingNames');
  }
  return documents.map((Statement) => ({ Version: document.Version, Statement }));
}

/**
 * The same permissions in fewer statements: plain `Allow` statements (no conditions, no `Not*`)
 * with the same action set are joined, then those with the same resource set.
 */
function compact(statements: Statement[], key: (v: unknown) => string): Statement[] {
  const plain = (s: Statement) => s.Effect === 'Allow' && Object.keys(s).every((k) => ['Sid', 'Effect', 'Action', 'Resource'].includes(k));
  const set = (v: unknown) => JSON.stringify([...new Set([v].flat().map(key))].sort());
  const join = (items: unknown[]) => {
    const seen = new Set<string>();
    const out = items.filter((i) => !seen.has(key(i)) && !!seen.add(key(i)));
    return out.length === 1 ? out[0] : out;
  };
  const merge = (input: Statement[], by: 'Action' | 'Resource', other: 'Action' | 'Resource') => {
    const out: Statement[] = [];
    const groups = new Map<string, Statement>();
    for (const s of input) {
      if (!plain(s)) {
        out.push(s);
        continue;
      }
      const k = set(s[by]);
      const into = groups.get(k);
      if (into) {
        into[other] = join([into[other], s[other]].flat());
      } else {
        const copy = { ...s };
        groups.set(k, copy);
        out.push(copy);
      }
    }
    return out;
  };
  return merge(merge(statements, 'Action', 'Resource'), 'Resource', 'Action');
}
