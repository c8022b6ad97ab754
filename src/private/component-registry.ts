import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { contentFingerprint } from './recipe-hash';

/**
 * Greengrass refuses to create a component version that exists in the account and region
 * (ConflictException), and CloudFormation creates a resource before it deletes the one it replaces.
 * This registry finds, across all stacks of an app, two component version resources that would
 * create the same component: the same name and the same content (content-hash versioning) or the
 * same version (pinned), in one account and region.
 *
 * Stacks whose account or region is only known at deploy time (no `env`) are taken to deploy to one
 * account and region, as `cdk deploy` of the app does without more options; the error says how to
 * tell the library otherwise (an explicit `env` per stack).
 */

const registries = new WeakMap<IConstruct, Map<string, IConstruct>>();
/** The component versions of an app by place and name, with their literal versions. */
const byName = new WeakMap<IConstruct, Map<string, { construct: IConstruct; version: string }[]>>();

/** The place of each stack (a stack's account and region never change once it is constructed). */
const places = new WeakMap<Stack, { key: string; label: string }>();

/** Where component versions are unique: the stack's account and region, or the stack itself. */
function placeOf(scope: IConstruct): { key: string; label: string } {
  const stack = Stack.of(scope);
  let place = places.get(stack);
  if (!place) {
    place = stackPlace(stack);
    places.set(stack, place);
  }
  return place;
}

function stackPlace(stack: Stack): { key: string; label: string } {
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    // The pseudo parameters are the same tokens in every stack without env.
    return {
      key: `${stack.account}|${stack.region}`,
      label: 'one account and region (stacks without env deploy where `cdk deploy` is pointed; give each stack its `env` if they deploy to different accounts or regions)',
    };
  }
  return { key: `${stack.account}|${stack.region}`, label: `account ${stack.account}, region ${stack.region}` };
}

/**
 * Records that `construct` creates component `name` with this identity (`content:<hash>` or
 * `version:<version>`); fails naming both construct paths when another construct of the app already
 * creates it in the same account and region.
 */
export function claimComponentVersion(construct: IConstruct, name: string, version: string, identity: string): void {
  const root = construct.node.root;
  let registry = registries.get(root);
  if (!registry) {
    registry = new Map();
    registries.set(root, registry);
  }
  const place = placeOf(construct);
  const key = `${place.key}|${name}|${identity}`;
  const existing = registry.get(key);
  if (existing) {
    throw new Error(`component versions '${existing.node.path}' and '${construct.node.path}' both create component '${name}' version '${version}' `
      + `(the same ${identity.startsWith('content:') ? 'content' : 'pinned version'}) in ${place.label}: Greengrass refuses to create a component version twice `
      + '(ConflictException). Define the component once and deploy that construct wherever it is needed, or change its name or version');
  }
  registry.set(key, construct);
  let names = byName.get(root);
  if (!names) {
    names = new Map();
    byName.set(root, names);
  }
  const nameKey = `${place.key}|${name}`;
  names.set(nameKey, [...(names.get(nameKey) ?? []), { construct, version }]);
}

/**
 * The component versions named `name` that the app of `scope` creates in the account and region of
 * `scope`'s stack, with their versions, in the order they were defined.
 */
export function componentVersionsNamed(scope: IConstruct, name: string): { construct: IConstruct; version: string }[] {
  return byName.get(scope.node.root)?.get(`${placeOf(scope).key}|${name}`) ?? [];
}

/**
 * The hash a content-hash version is made from: the content hash salted with the construct's path
 * in its stack. A component moved to another construct path gets a new logical ID, and CloudFormation
 * creates it while the old version is retained: with its path in the hash its version is new too, so
 * the create never collides with the retained version.
 */
export function versionHash(construct: IConstruct, contentHash: string): string {
  const stack = Stack.of(construct);
  const scopes = construct.node.scopes;
  const path = scopes.slice(scopes.indexOf(stack) + 1).map((s) => s.node.id).join('/');
  return contentFingerprint([`${path}\n${contentHash}`]);
}
