import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Greengrass keeps one deployment per target: a second deployment to the same thing or thing
 * group replaces the first. This registry finds such pairs across all stacks of an app.
 *
 * A target is identified by a key `<type>|<region>|<account>|<name>`, built from its parts
 * by the `DeploymentTarget` factories (so a name given as a literal and the same name taken
 * from a `CfnThingGroup` compare equal), or from its ARN for other implementations of
 * `IDeploymentTarget`. Tokens compare as strings: the same resource attribute gives the same
 * token string. Names compare case-sensitively, as IoT does.
 */

/** Where a target built by a `DeploymentTarget` factory keeps its key (private to this module). */
const TARGET_KEY = Symbol('cdk-greengrass-v2.targetKey');
const registries = new WeakMap<IConstruct, Map<string, IConstruct>>();

/** Remembers the key of a target built by a `DeploymentTarget` factory. */
export function setTargetKey(target: object, key: string): void {
  // A property under a private symbol rather than a WeakMap entry: as private, and cheaper to create.
  (target as { [TARGET_KEY]?: string })[TARGET_KEY] = key;
}

/** Builds a target key from its parts. */
export function makeTargetKey(type: string, region: string, account: string, name: string): string {
  return `${type}|${region}|${account}|${name}`;
}

const ARN_RE = /^arn:[^:]*:iot:([^:]*):([0-9]+):(thing|thinggroup)\/(.+)$/;

/** Splits a literal IoT thing or thing group ARN; `undefined` when it is not one. */
export function parseTargetArn(arn: string): { type: string; region: string; account: string; name: string } | undefined {
  const m = ARN_RE.exec(arn);
  return m ? { region: m[1], account: m[2], type: m[3], name: m[4] } : undefined;
}

/** The key of any target: the one its factory recorded, else one derived from its ARN. */
export function targetKeyOf(target: { readonly targetArn: string }): string {
  const known: string | undefined = (target as { [TARGET_KEY]?: string })[TARGET_KEY];
  if (known !== undefined) {
    return known;
  }
  if (!Token.isUnresolved(target.targetArn)) {
    const parts = parseTargetArn(target.targetArn);
    if (parts) {
      return makeTargetKey(parts.type, parts.region, parts.account, parts.name);
    }
  }
  return target.targetArn;
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
