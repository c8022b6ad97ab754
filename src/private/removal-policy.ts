import { CfnResource, CustomResource, RemovalPolicy } from 'aws-cdk-lib';

/**
 * Validates a removal policy that only keeps or deletes (SNAPSHOT means nothing for IoT, IAM or
 * custom resources) and returns it, or `fallback` when it is not set.
 *
 * @param prop the prop's name, for the error
 * @param what what is kept or deleted, for the error (`a device identity`)
 */
export function keptOrDeleted(prop: string, policy: RemovalPolicy | undefined, fallback: RemovalPolicy, what: string): RemovalPolicy {
  const p = policy ?? fallback;
  if (p !== RemovalPolicy.RETAIN && p !== RemovalPolicy.DESTROY) {
    const defaults = (x: RemovalPolicy) => (x === fallback ? ', the default' : '');
    throw new Error(`${prop} is ${p}: ${what} is either kept (RemovalPolicy.RETAIN${defaults(RemovalPolicy.RETAIN)}) or deleted (RemovalPolicy.DESTROY${defaults(RemovalPolicy.DESTROY)})`);
  }
  return p;
}

/**
 * Applies a removal policy to what a custom resource set up (a membership, an association, a list)
 * on its deletion only: `RETAIN` keeps it when the resource is removed or the stack deleted. Its
 * UpdateReplacePolicy stays Delete: an update that moves it elsewhere (another group, another core
 * device) returns a new physical id, and the Delete of the old one is how the old one is undone.
 */
export function applyOnDeletion(resource: CustomResource, policy: RemovalPolicy): void {
  (resource.node.defaultChild as CfnResource).applyRemovalPolicy(policy, { applyToUpdateReplacePolicy: false });
}
