import { Construct } from 'constructs';

/** A stream definition claimed on the devices of one deployment. */
interface StreamClaim {
  /** Who defines it, for error messages (for example `StreamProvisioner 'Stack/Streams'`). */
  readonly owner: string;
  /** The definition in wire format, serialized: equal definitions do not conflict. */
  readonly definition: string;
}

const claimsByDeployment = new WeakMap<Construct, Map<string, StreamClaim>>();

/**
 * Records that `owner` creates the given streams on the devices of the deployment `scope`.
 * Two components of one deployment that define the same stream name differently would
 * overwrite each other's definition on every run: that fails here, at synthesis.
 *
 * @param streams the definitions in wire format (each with its `name`)
 */
export function claimStreams(scope: Construct, owner: string, streams: Array<Record<string, any>>): void {
  let claims = claimsByDeployment.get(scope);
  if (!claims) {
    claims = new Map();
    claimsByDeployment.set(scope, claims);
  }
  const mine = streams.map(s => ({ name: String(s.name), claim: { owner, definition: JSON.stringify(s) } }));
  for (const { name, claim } of mine) {
    const existing = claims.get(name);
    if (existing && existing.owner !== owner && existing.definition !== claim.definition) {
      throw new Error(`stream '${name}' is defined differently by ${existing.owner} and ${owner}, both deployed by '${scope.node.path}'; `
        + 'on the devices each would overwrite the other\'s definition: define the stream in one StreamSet or StreamProvisioner only, or give one of them another name');
    }
  }
  for (const { name, claim } of mine) {
    if (!claims.has(name)) {
      claims.set(name, claim);
    }
  }
}
