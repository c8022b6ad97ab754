import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * AWS IoT has one thing per name in an account and region: two constructs of an app that create the
 * same thing would fail the second deployment, or (a thing deleted and created again) take over the
 * other's device. This registry finds such pairs across all stacks of an app, as the deployment
 * registry does for deployment targets.
 *
 * A thing is keyed by `<region>|<account>|<name>` of the stack that creates it. Tokens compare as
 * strings: the same parameter or attribute gives the same token string, and so the same key
 * (environment-agnostic stacks share the region and account tokens, so they compare equal too).
 */
const registries = new WeakMap<IConstruct, Map<string, IConstruct>>();

/**
 * Records that `owner` creates the thing `thingName` in its stack's account and region; returns the
 * construct of the app that already creates it, if any.
 */
export function claimThingName(owner: IConstruct, thingName: string): IConstruct | undefined {
  const root = owner.node.root;
  let registry = registries.get(root);
  if (!registry) {
    registry = new Map();
    registries.set(root, registry);
  }
  const stack = Stack.of(owner);
  const key = `${stack.region}|${stack.account}|${thingName}`;
  const existing = registry.get(key);
  if (existing) return existing;
  registry.set(key, owner);
  return undefined;
}
