import type { Artifact, ArtifactConfig } from '../artifact';


/**
 * An artifact entry of a recipe document held by `Recipe`: either a typed artifact, bound when the
 * recipe is rendered, or a raw entry imported from an existing recipe (kept as written).
 */
export type ArtifactEntry =
  | { readonly typed: Artifact; readonly raw?: undefined }
  | { readonly raw: Record<string, unknown>; readonly typed?: undefined };

/**
 * A recipe document in canonical key case whose manifests' `Artifacts` hold `ArtifactEntry`s.
 */
export type RecipeDocument = Record<string, any>;

/**
 * The recipe entry of a bound artifact, in canonical key case.
 */
export function renderArtifact(config: ArtifactConfig, uri: string = config.uri): Record<string, unknown> {
  const out: Record<string, unknown> = { URI: uri };
  if (config.unarchive !== undefined) out.Unarchive = config.unarchive;
  if (config.permission !== undefined) {
    const permission: Record<string, unknown> = {};
    if (config.permission.read !== undefined) permission.Read = config.permission.read;
    if (config.permission.execute !== undefined) permission.Execute = config.permission.execute;
    out.Permission = permission;
  }
  if (config.digest !== undefined) out.Digest = config.digest;
  if (config.algorithm !== undefined) out.Algorithm = config.algorithm;
  return out;
}

/**
 * The one renderer of recipe JSON: the document exactly as it is sent to Greengrass.
 *
 * @param doc the recipe document
 * @param bind turns a typed artifact into its recipe entry
 * @param componentVersion replaces `ComponentVersion` when given
 */
export function renderRecipe(
  doc: RecipeDocument, bind: (artifact: Artifact) => Record<string, unknown>, componentVersion?: string,
): Record<string, any> {
  const out: Record<string, any> = {};
  for (const key of Object.keys(doc)) {
    const value = doc[key];
    if (key === 'ComponentVersion' && componentVersion !== undefined) {
      out[key] = componentVersion;
    } else if (key === 'Manifests' && Array.isArray(value)) {
      out[key] = value.map((manifest) => renderManifest(manifest, bind));
    } else {
      out[key] = clone(value);
    }
  }
  if (componentVersion !== undefined && out.ComponentVersion === undefined) {
    // keep the conventional position: right after the name
    return insertAfter(out, 'ComponentName', 'ComponentVersion', componentVersion);
  }
  return out;
}

/**
 * A rendered recipe (from `renderRecipe` without a version) with `ComponentVersion` set as
 * `renderRecipe` sets it; it shares the values of `rendered`.
 */
export function withComponentVersion(rendered: Record<string, any>, componentVersion?: string): Record<string, any> {
  if (componentVersion === undefined) {
    return rendered;
  }
  if (rendered.ComponentVersion !== undefined || Object.prototype.hasOwnProperty.call(rendered, 'ComponentVersion')) {
    return { ...rendered, ComponentVersion: componentVersion };
  }
  return insertAfter(rendered, 'ComponentName', 'ComponentVersion', componentVersion);
}

/**
 * The document a recipe's content hash is computed from: the rendered recipe (from `renderRecipe`
 * without a version) without `ComponentVersion` and with every typed artifact replaced by
 * `fingerprint(artifact)`. It is what `renderRecipe` renders from the document without
 * `ComponentVersion` with `fingerprint` as binder, and shares the values of `rendered`.
 */
export function renderFingerprintDocument(doc: RecipeDocument, rendered: Record<string, any>,
  fingerprint: (artifact: Artifact) => Record<string, unknown>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const key of Object.keys(rendered)) {
    if (key === 'ComponentVersion') continue;
    const value = rendered[key];
    if (key === 'Manifests' && Array.isArray(doc.Manifests)) {
      // the same list when no manifest has typed artifacts (see versionedRecipeText)
      out[key] = doc.Manifests.some(hasTypedArtifacts)
        ? value.map((m: any, i: number) => fingerprintManifest(doc.Manifests[i], m, fingerprint))
        : value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * The JSON text of `json`, a rendered recipe with `ComponentVersion` set by `withComponentVersion`,
 * when it holds no token; `undefined` otherwise.
 *
 * When the fingerprint document is token free (`fingerprintText` is its JSON) and differs from `json`
 * only by `ComponentVersion` (no typed artifacts), the text is assembled from `fingerprintText` rather
 * than serialized again: JSON of an object is its members joined by commas, and `json`'s members are
 * the fingerprint document's with `ComponentVersion` inserted.
 */
export function versionedRecipeText(json: Record<string, any>, fingerprintDocument: Record<string, any>,
  fingerprintText: string | undefined): string | undefined {
  const version = json.ComponentVersion;
  if (fingerprintText === undefined || typeof version !== 'string' || !isTokenFreeString(version)
    || fingerprintDocument.Manifests !== json.Manifests) {
    return tokenFreeJson(json);
  }
  // The members before ComponentVersion, then those after it.
  const keys = Object.keys(json);
  const at = keys.indexOf('ComponentVersion');
  let prefixMembers = '';
  if (at > 0) {
    const prefix: Record<string, any> = {};
    for (let i = 0; i < at; i++) {
      prefix[keys[i]] = json[keys[i]];
    }
    prefixMembers = JSON.stringify(prefix).slice(1, -1);
  }
  const members = fingerprintText.slice(1, -1);
  if (!members.startsWith(prefixMembers)) {
    return tokenFreeJson(json);
  }
  let suffixMembers = members.slice(prefixMembers.length);
  if (prefixMembers.length > 0 && suffixMembers.startsWith(',')) {
    suffixMembers = suffixMembers.slice(1);
  }
  const versionMember = `"ComponentVersion":${JSON.stringify(version)}`;
  return `{${prefixMembers}${prefixMembers.length > 0 ? ',' : ''}${versionMember}${suffixMembers.length > 0 ? ',' : ''}${suffixMembers}}`;
}

/** Whether `renderManifest` binds typed artifacts of this manifest. */
function hasTypedArtifacts(manifest: any): boolean {
  return typeof manifest === 'object' && manifest !== null && !Array.isArray(manifest) && Array.isArray(manifest.Artifacts)
    && (manifest.Artifacts as ArtifactEntry[]).some((entry) => entry.typed);
}

function fingerprintManifest(manifest: any, rendered: any, fingerprint: (artifact: Artifact) => Record<string, unknown>): any {
  if (!hasTypedArtifacts(manifest)) {
    return rendered;
  }
  const entries = manifest.Artifacts as ArtifactEntry[];
  return { ...rendered, Artifacts: entries.map((entry, j) => entry.typed ? fingerprint(entry.typed) : rendered.Artifacts[j]) };
}

function renderManifest(manifest: any, bind: (artifact: Artifact) => Record<string, unknown>): any {
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) return clone(manifest);
  const out: Record<string, any> = {};
  for (const key of Object.keys(manifest)) {
    const value = manifest[key];
    if (key === 'Artifacts' && Array.isArray(value)) {
      out[key] = value.map((entry: ArtifactEntry) => entry.typed ? bind(entry.typed) : clone(entry.raw));
    } else {
      out[key] = clone(value);
    }
  }
  return out;
}

function insertAfter(obj: Record<string, any>, after: string, key: string, value: any): Record<string, any> {
  const out: Record<string, any> = {};
  let inserted = false;
  for (const [k, v] of Object.entries(obj)) {
    out[k] = v;
    if (k === after) {
      out[key] = value;
      inserted = true;
    }
  }
  if (!inserted) out[key] = value;
  return out;
}

/**
 * A deep copy of JSON data (tokens are strings or objects CDK resolves later, and are kept).
 */
export function clone<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(clone) as any;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  // Own enumerable keys in order, as Object.entries gives them, without a pair array per key.
  const out: Record<string, any> = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    out[k] = clone((value as Record<string, any>)[k]);
  }
  return out as T;
}

/**
 * The JSON text of `value` when it holds no token anywhere (in keys or values), else `undefined`.
 *
 * Token-free data renders the same with `JSON.stringify` as with `Stack.toJsonString`, without a
 * lazy value resolved (twice) at synthesis. Anything this cannot vouch for returns `undefined`, so
 * the caller keeps the token-aware path: strings that may hold a token (`Token[`, or a number token
 * written into a string, which `Token.isUnresolved` does not report but synthesis resolves), numbers
 * outside the range of plain numbers (number tokens, NaN, infinities), `undefined` in arrays (dropped
 * by CDK, `null` in JSON), functions, class instances and other non-JSON objects. The checks are a
 * superset of `Token.isUnresolved` (which is slower on numbers): every value it reports is refused.
 */
export function tokenFreeJson(value: unknown): string | undefined {
  if (!isPlainJson(value, 0)) {
    return undefined;
  }
  const text = JSON.stringify(value);
  // Every string and key shows verbatim in the text (JSON escapes no character of either marker, and
  // neither holds a quote, so none spans two strings); plain numbers never print an exponent of 289.
  // One scan of the text thus checks them all. Keys of undefined values, left out of the text, are
  // checked by isPlainJson.
  return TOKEN_MARKERS.test(text) ? undefined : text;
}

/** What `isTokenFreeString` looks for, as one pattern (faster than two searches on a long text). */
const TOKEN_MARKERS = /Token\[|e\+289/;

function isTokenFreeString(s: string): boolean {
  return !s.includes('Token[') && !s.includes('e+289');
}

/**
 * Whether `value` is JSON data CDK renders as `JSON.stringify` does, apart from what strings and keys
 * hold (checked on the text by `tokenFreeJson`).
 */
function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string': return true;
    // Number tokens are encoded as doubles near -1.9e289: CDK itself treats every number in this
    // range as a literal, without decoding it (NaN and infinities fail the test too).
    case 'number': return value > -1e287 && value < 1e287;
    case 'boolean': return true;
    case 'object': break;
    default: return false;
  }
  if (value === null) return true;
  if (depth > 100) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v === undefined || !isPlainJson(v, depth + 1)) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const obj = value as Record<string, unknown>;
  // CDK refuses to resolve what looks like a construct: keep that error.
  if (obj._children !== undefined && obj._metadata !== undefined) return false;
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    const v = obj[keys[i]];
    if (v === undefined ? !isTokenFreeString(keys[i]) : !isPlainJson(v, depth + 1)) return false;
  }
  return true;
}

/**
 * A recipe bound to a scope: its JSON and its artifacts.
 */
export interface BoundRecipe {
  /**
   * The recipe with the given version (the version as written when omitted). Results of several
   * calls share their values.
   */
  readonly render: (componentVersion?: string) => Record<string, any>;
  /**
   * The recipe with every artifact replaced by its content fingerprint and without its version, as
   * JSON with tokens resolved, for versioning.
   */
  readonly fingerprintJson: string;
  /**
   * The JSON text of a result of `render` when it holds no token, `undefined` otherwise (it must
   * then be rendered at synthesis, with its tokens).
   */
  readonly renderedText: (rendered: Record<string, any>) => string | undefined;
  /** Typed artifacts, bound. */
  readonly artifacts: ArtifactConfig[];
  /** URIs of imported artifacts. */
  readonly artifactUris: string[];
}

