/**
 * Canonical key case of Greengrass recipes.
 *
 * Greengrass reads recipe keys case-insensitively. Imported recipes are normalized to the key case of
 * the recipe reference; keys the library does not know (custom platform attributes, configuration,
 * selection keys, keys of future recipe formats) are kept exactly as written.
 */
import { distance } from 'fastest-levenshtein';

export const TOP_LEVEL_KEYS = [
  'RecipeFormatVersion', 'ComponentName', 'ComponentVersion', 'ComponentDescription', 'ComponentPublisher',
  'ComponentType', 'ComponentSource', 'ComponentConfiguration', 'ComponentDependencies', 'Manifests', 'Lifecycle',
];
export const CONFIGURATION_KEYS = ['DefaultConfiguration'];
export const DEPENDENCY_KEYS = ['VersionRequirement', 'DependencyType'];
export const MANIFEST_KEYS = ['Platform', 'Name', 'Lifecycle', 'Selections', 'Artifacts'];
export const PLATFORM_KEYS = ['os', 'architecture', 'architecture.detail'];
export const ARTIFACT_KEYS = ['URI', 'Digest', 'Algorithm', 'Unarchive', 'Permission'];
export const PERMISSION_KEYS = ['Read', 'Execute'];
export const LIFECYCLE_STEPS = ['setenv', 'install', 'run', 'startup', 'shutdown', 'recover', 'bootstrap'];
export const STEP_KEYS = ['Script', 'RequiresPrivilege', 'Skipif', 'Timeout', 'Setenv', 'BootstrapOnRollback'];

type Json = any;

function lookup(known: string[], key: string): string | undefined {
  const lower = key.toLowerCase();
  return known.find((k) => k.toLowerCase() === lower);
}

function singularOf(word: string): string {
  return word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.endsWith('s') ? word.slice(0, -1) : word;
}

/**
 * The known key that `key` (not a known key in any case) is a near miss of, if any: the same but for
 * a plural ending (`s`, `ies`), or at most one edit away (two for keys of more than 5
 * characters; keys of 3 characters or fewer only match by singular or plural). Near misses are
 * typos, never other keys: Greengrass ignores an unknown key, so the value written under it is lost.
 */
export function nearMiss(known: readonly string[], key: string): string | undefined {
  const lower = key.toLowerCase();
  const singular = singularOf(lower);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const kl = k.toLowerCase();
    if (singular === singularOf(kl)) return k;
    if (kl.length <= 3 || Math.abs(kl.length - lower.length) > 2) continue;
    const d = distance(lower, kl);
    if (d <= (kl.length > 5 ? 2 : 1) && d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Rebuilds an object with its keys renamed, failing on two keys that mean the same.
 */
function mapKeys(
  obj: Record<string, Json>, where: string, rename: (key: string) => string, value: (canonical: string, v: Json, path: string) => Json,
  known?: readonly string[],
): Record<string, Json> {
  const out: Record<string, Json> = {};
  const seen: Record<string, string> = {};
  for (const [key, v] of Object.entries(obj)) {
    const canonical = rename(key);
    if (known !== undefined && canonical === key && !known.includes(key)) {
      const suggestion = nearMiss(known, key);
      if (suggestion !== undefined) {
        throw new Error(`recipe key '${key}' in ${where} is not a recipe key, so Greengrass would ignore it and what it holds: did you mean '${suggestion}'? Rename the key`);
      }
    }
    const id = canonical.toLowerCase();
    if (seen[id] !== undefined) {
      throw new Error(`recipe has duplicate keys '${seen[id]}' and '${key}' in ${where} (keys are case-insensitive): keep one of them`);
    }
    seen[id] = key;
    out[canonical] = value(canonical, v, `${where}.${canonical}`);
  }
  return out;
}

const verbatim = (_k: string, v: Json) => v;

function canonicalStep(step: Json, where: string): Json {
  if (!isObject(step)) return step;
  return mapKeys(step, where, (k) => lookup(STEP_KEYS, k) ?? k, (k, v, p) => {
    if (k === 'Setenv') return v;
    if (STEP_KEYS.includes(k)) return v;
    // a selection key inside a step
    return canonicalStep(v, p);
  }, STEP_KEYS);
}

function canonicalLifecycle(lifecycle: Json, where: string): Json {
  if (!isObject(lifecycle)) return lifecycle;
  return mapKeys(lifecycle, where, (k) => lookup(LIFECYCLE_STEPS, k) ?? k, (k, v, p) => {
    if (k === 'setenv') return v;
    if (LIFECYCLE_STEPS.includes(k)) return canonicalStep(v, p);
    // a selection key of a global lifecycle
    return canonicalLifecycle(v, p);
  });
}

function canonicalArtifact(artifact: Json, where: string): Json {
  if (!isObject(artifact)) return artifact;
  return mapKeys(artifact, where, (k) => lookup(ARTIFACT_KEYS, k) ?? k, (k, v, p) =>
    k === 'Permission' && isObject(v) ? mapKeys(v, p, (pk) => lookup(PERMISSION_KEYS, pk) ?? pk, verbatim, PERMISSION_KEYS) : v, ARTIFACT_KEYS);
}

function canonicalManifest(manifest: Json, where: string): Json {
  if (!isObject(manifest)) return manifest;
  return mapKeys(manifest, where, (k) => lookup(MANIFEST_KEYS, k) ?? k, (k, v, p) => {
    switch (k) {
      case 'Platform': return isObject(v) ? mapKeys(v, p, (pk) => lookup(PLATFORM_KEYS, pk) ?? pk, verbatim, PLATFORM_KEYS) : v;
      case 'Lifecycle': return canonicalLifecycle(v, p);
      case 'Artifacts': return Array.isArray(v) ? v.map((a, i) => canonicalArtifact(a, `${p}[${i}]`)) : v;
      default: return v;
    }
  }, MANIFEST_KEYS);
}

/**
 * Returns a copy of a recipe with every key the recipe reference defines in its canonical case.
 */
export function canonicalRecipe(recipe: Json): Record<string, Json> {
  if (!isObject(recipe)) {
    throw new Error(`recipe must be an object, got ${Array.isArray(recipe) ? 'an array' : typeof recipe}: pass a recipe document with RecipeFormatVersion, ComponentName and Manifests`);
  }
  return mapKeys(recipe, 'recipe', (k) => lookup(TOP_LEVEL_KEYS, k) ?? k, (k, v, p) => {
    switch (k) {
      case 'ComponentConfiguration': return isObject(v) ? mapKeys(v, p, (ck) => lookup(CONFIGURATION_KEYS, ck) ?? ck, verbatim, CONFIGURATION_KEYS) : v;
      case 'ComponentDependencies':
        return isObject(v) ? mapKeys(v, p, (name) => name, (_n, dep, dp) =>
          isObject(dep) ? mapKeys(dep, dp, (dk) => lookup(DEPENDENCY_KEYS, dk) ?? dk, verbatim, DEPENDENCY_KEYS) : dep) : v;
      case 'Manifests': return Array.isArray(v) ? v.map((m, i) => canonicalManifest(m, `${p}[${i}]`)) : v;
      case 'Lifecycle': return canonicalLifecycle(v, p);
      default: return v;
    }
  }, TOP_LEVEL_KEYS);
}
