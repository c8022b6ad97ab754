/**
 * Normalization of the JSON forms detector models and inputs are published in (the IoT Events API's
 * camelCase, CloudFormation's PascalCase with intrinsics) into the API shapes. No CDK import.
 */

/** Options of the normalization. */
export interface NormalizeOptions {
  /** Names that a CloudFormation `Ref` stands for, by logical ID. */
  readonly refs?: Record<string, string>;
}

/** The result of normalizing a value: the value and the `Ref`s left as their logical IDs. */
export interface Normalized<T> {
  readonly value: T;
  readonly unresolvedRefs: string[];
}

/** Lower-cases the first letter of a key (`DynamoDBv2` -> `dynamoDBv2`, `OnInput` -> `onInput`). */
export function lowerFirst(key: string): string {
  return key.length === 0 ? key : key[0].toLowerCase() + key.slice(1);
}

/**
 * Returns a copy of `value` with every object key in camelCase, `Fn::Join` of literals joined, `Ref`
 * replaced by the name given in `refs` (or, when absent, by the logical ID, recorded in
 * `unresolvedRefs`) and `null` members removed. Any other intrinsic throws, naming its path.
 */
export function normalizeJson(value: unknown, path: string, options: NormalizeOptions = {}): Normalized<any> {
  const unresolved = new Set<string>();
  const walk = (v: unknown, p: string): unknown => {
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${p}[${i}]`));
    if (v === null || typeof v !== 'object') return v;
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return resolveIntrinsic(keys[0], obj[keys[0]], p);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const item = obj[k];
      if (item === null || item === undefined) continue;
      out[lowerFirst(k)] = walk(item, `${p}.${k}`);
    }
    return out;
  };
  const resolveIntrinsic = (name: string, arg: unknown, p: string): string => {
    if (name === 'Ref') {
      if (typeof arg !== 'string') throw new Error(`${p}: a Ref must name a logical ID, got ${JSON.stringify(arg)}`);
      const mapped = options.refs?.[arg];
      if (mapped !== undefined) return mapped;
      unresolved.add(arg);
      return arg;
    }
    if (name === 'Fn::Join') {
      if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) {
        throw new Error(`${p}: Fn::Join must be [separator, [values...]], got ${JSON.stringify(arg)}`);
      }
      const parts = (arg[1] as unknown[]).map((part, i) => {
        const r = walk(part, `${p}.Fn::Join[1][${i}]`);
        if (typeof r !== 'string' && typeof r !== 'number' && typeof r !== 'boolean') {
          throw new Error(`${p}: Fn::Join can only join literals and Refs here, got ${JSON.stringify(part)}`);
        }
        return String(r);
      });
      return parts.join(arg[0]);
    }
    throw new Error(`${p}: ${name} is a CloudFormation intrinsic that only resolves at deployment `
      + `(${JSON.stringify({ [name]: arg })}); replace it by the literal value it stands for `
      + '(only Fn::Join of literals and Ref are read)');
  };
  const result = walk(value, path);
  return { value: result, unresolvedRefs: [...unresolved] };
}

/** Replaces every whole-word occurrence of `from` by `to` in every string of a JSON value. */
export function replaceWord(value: any, from: string, to: string): any {
  const re = new RegExp(`(?<![A-Za-z0-9_])${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`, 'g');
  const walk = (v: any): any => {
    if (typeof v === 'string') return v.replace(re, to);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, any> = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk(item);
      return out;
    }
    return v;
  };
  return walk(value);
}

/** `true` when `v` is a plain object. */
export function isObject(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A field of an API or CloudFormation document, spelled in camelCase (`inputName`, the API) or PascalCase
 * (`InputName`, CloudFormation); the camelCase spelling wins when both are there.
 */
export function pickField(from: Record<string, any>, field: string): any {
  return from[field] !== undefined ? from[field] : from[field.charAt(0).toUpperCase() + field.slice(1)];
}
