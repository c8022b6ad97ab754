/**
 * Canonical key case of Greengrass recipes.
 *
 * Greengrass reads recipe keys case-insensitively. Imported recipes are normalized to the key case of
 * the recipe reference; keys the library does not know (custom platform attributes, configuration,
 * selection keys, keys of future recipe formats) are kept exactly as written.
 */

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

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Rebuilds an object with its keys renamed, failing on two keys that mean the same.
 */
function mapKeys(
  obj: Record<string, Json>, where: string, rename: (key: string) => string, value: (canonical: string, v: Json, path: string) => Json,
): Record<string, Json> {
  const out: Record<string, Json> = {};
  const seen: Record<string, string> = {};
  for (const [key, v] of Object.entries(obj)) {
    const canonical = rename(key);
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
  });
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
    k === 'Permission' && isObject(v) ? mapKeys(v, p, (pk) => lookup(PERMISSION_KEYS, pk) ?? pk, verbatim) : v);
}

function canonicalManifest(manifest: Json, where: string): Json {
  if (!isObject(manifest)) return manifest;
  return mapKeys(manifest, where, (k) => lookup(MANIFEST_KEYS, k) ?? k, (k, v, p) => {
    switch (k) {
      case 'Platform': return isObject(v) ? mapKeys(v, p, (pk) => lookup(PLATFORM_KEYS, pk) ?? pk, verbatim) : v;
      case 'Lifecycle': return canonicalLifecycle(v, p);
      case 'Artifacts': return Array.isArray(v) ? v.map((a, i) => canonicalArtifact(a, `${p}[${i}]`)) : v;
      default: return v;
    }
  });
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
      case 'ComponentConfiguration': return isObject(v) ? mapKeys(v, p, (ck) => lookup(CONFIGURATION_KEYS, ck) ?? ck, verbatim) : v;
      case 'ComponentDependencies':
        return isObject(v) ? mapKeys(v, p, (name) => name, (_n, dep, dp) =>
          isObject(dep) ? mapKeys(dep, dp, (dk) => lookup(DEPENDENCY_KEYS, dk) ?? dk, verbatim) : dep) : v;
      case 'Manifests': return Array.isArray(v) ? v.map((m, i) => canonicalManifest(m, `${p}[${i}]`)) : v;
      case 'Lifecycle': return canonicalLifecycle(v, p);
      default: return v;
    }
  });
}
