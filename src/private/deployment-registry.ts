import { Stack, Token, Tokenization } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/**
 * Greengrass keeps one deployment per target: a second deployment to the same thing or thing
 * group replaces the first. This registry finds such pairs across all stacks of an app.
 *
 * A target is identified by a key `<type>|<region>|<account>|<name>`. Every target kind records its
 * key with `keyTarget` when it is made: `DeploymentTarget` factories (construct, name or ARN),
 * `CoreDevice` (its thing) and `CoreDeviceFleet` (its thing group), so a name given as a literal, the
 * same name set on a construct and the device or fleet that owns the construct compare equal. Other
 * implementations of `IDeploymentTarget` are keyed by their ARN. Tokens compare as strings: the same
 * resource attribute gives the same token string. Names compare case-sensitively, as IoT does.
 */

/** The key of a target and how errors name it. */
export interface TargetKey {
  /** What deployments compare. */
  readonly key: string;
  /** The target in words, for errors: `thing group 'line-1'`. */
  readonly label: string;
}

/** Where a target keeps its key (private to this module). */
const TARGET_KEY = Symbol('cdk-greengrass-v2.targetKey');
const registries = new WeakMap<IConstruct, Map<string, IConstruct>>();

/** Builds a target key from its parts. */
export function makeTargetKey(type: string, region: string, account: string, name: string): string {
  return `${type}|${region}|${account}|${name}`;
}

function describe(type: string, name: string, construct?: IConstruct): string {
  const kind = type === 'thing' ? 'thing' : 'thing group';
  if (!Token.isUnresolved(name)) return `${kind} '${name}'`;
  return construct ? `${kind} of '${construct.node.path}' (its name is generated at deploy time)` : `${kind} with the deploy-time name ${name}`;
}

/**
 * Records the key of a deployment target: a thing or thing group (`type`) of `name` in the account and
 * region of `scope`'s stack. `name` is the literal name wherever it is known at synth, else a token of
 * the resource that owns the name (`CfnThingGroup.ref`), and `owner` that resource, to name it in errors.
 *
 * This is the one way targets are keyed: every target kind (and any new one, such as a fleet
 * provisioned by claim) calls it once, on the object it passes as `Deployment` target.
 */
export function keyTarget(target: object, scope: IConstruct, type: 'thing' | 'thinggroup', name: string, owner?: IConstruct): void {
  const stack = Stack.of(scope);
  setTargetKey(target, { key: makeTargetKey(type, stack.region, stack.account, name), label: describe(type, name, owner) });
}

/** Records a key built from its parts (a target from an ARN names its own region and account). */
export function setTargetKey(target: object, key: TargetKey): void {
  // A property under a private symbol rather than a WeakMap entry: as private, and cheaper to create.
  (target as { [TARGET_KEY]?: TargetKey })[TARGET_KEY] = key;
}

const ARN_RE = /^arn:[^:]*:iot:([^:]*):([0-9]+):(thing|thinggroup)\/(.+)$/;

/** Splits a literal IoT thing or thing group ARN; `undefined` when it is not one. */
export function parseTargetArn(arn: string): { type: string; region: string; account: string; name: string } | undefined {
  const m = ARN_RE.exec(arn);
  return m ? { region: m[1], account: m[2], type: m[3], name: m[4] } : undefined;
}

/** A key for a target from its ARN parts. */
export function arnTargetKey(parts: { type: string; region: string; account: string; name: string }): TargetKey {
  return { key: makeTargetKey(parts.type, parts.region, parts.account, parts.name), label: describe(parts.type, parts.name) };
}

/** The key of any target: the one it recorded, else one derived from its ARN. */
export function targetKeyOf(target: { readonly targetArn: string }): TargetKey {
  const known: TargetKey | undefined = (target as { [TARGET_KEY]?: TargetKey })[TARGET_KEY];
  if (known !== undefined) {
    return known;
  }
  if (!Token.isUnresolved(target.targetArn)) {
    const parts = parseTargetArn(target.targetArn);
    if (parts) {
      return arnTargetKey(parts);
    }
  }
  return { key: target.targetArn, label: describeTokenArn(target.targetArn) };
}

/** Names a target known by a token ARN by the resource the token refers to, where it is one. */
function describeTokenArn(arn: string): string {
  const tokens = Tokenization.reverseString(arn).tokens;
  const owner = tokens.length === 1 ? (tokens[0] as { target?: unknown }).target : undefined;
  return Construct.isConstruct(owner) ? `target of '${owner.node.path}' (its ARN is known at deploy time)` : 'target (its ARN is known at deploy time)';
}

/**
 * Records that `deployment` targets `key` in its app; returns the deployment that already
 * targets it, if any.
 */
export function claimTarget(deployment: IConstruct, key: string): IConstruct | undefined {
  const root = deployment.node.root;
  let registry = registries.get(root);
  if (!registry) {
    registry = new Map();
    registries.set(root, registry);
  }
  const existing = registry.get(key);
  if (existing) {
    return existing;
  }
  registry.set(key, deployment);
  return undefined;
}
