/**
 * Normalization of the JSON forms detector models and inputs are published in (the IoT Events API's
 * camelCase, CloudFormation's PascalCase with intrinsics) into the API shapes. No CDK import.
 */
import { isCloudFormationIntrinsic } from '../../private/detector-engine/evaluator';

/** Options of the normalization. */
export interface NormalizeOptions {
  /**
   * Values given by the caller: a `Ref` by logical ID or pseudo parameter name (`AWS::Region`), an
   * `Fn::GetAtt` by `<logicalId>.<attribute>`.
   */
  readonly refs?: Record<string, string>;
  /** The resource types of the template the JSON was read from, by logical ID. */
  readonly resourceTypes?: Record<string, string>;
  /** The parameters of that template, by logical ID (a `Ref` to one with a `Default` stands for it). */
  readonly parameters?: Record<string, { readonly Default?: unknown }>;
}

/** The result of normalizing a value: the value and the `Ref`s left as their logical IDs. */
export interface Normalized<T> {
  readonly value: T;
  /** `Ref`s that may name an input, left as their logical IDs (resolved once the inputs are known). */
  readonly unresolvedRefs: string[];
}

/** Lower-cases the first letter of a key (`DynamoDBv2` -> `dynamoDBv2`, `OnInput` -> `onInput`). */
export function lowerFirst(key: string): string {
  return key.length === 0 ? key : key[0].toLowerCase() + key.slice(1);
}

/** The API spellings that the snake_case of Terraform's awscc provider does not give back by itself. */
const SNAKE_FIXUPS: Readonly<Record<string, string>> = { dynamoDb: 'dynamoDB' };

/**
 * A key in the API's camelCase, from camelCase, CloudFormation's PascalCase (`OnInput`) or the snake_case of
 * Terraform's awscc provider (`transition_events`, `dynamo_d_bv_2` -> `dynamoDBv2`, `use_base_64` -> `useBase64`).
 */
export function apiKey(key: string): string {
  if (key.includes('_') && /^[a-z][a-z0-9_]*$/.test(key)) {
    const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    return SNAKE_FIXUPS[camel] ?? camel;
  }
  return lowerFirst(key);
}

/** `true` for a CloudFormation intrinsic function object: `{ "Ref": ... }` or `{ "Fn::...": ... }`. */
export const isIntrinsic = isCloudFormationIntrinsic;

/** The integer fields of `AWS::IoTEvents::DetectorModel` and `AWS::IoTEvents::Input` (camelCase). */
const INTEGER_FIELDS = new Set(['seconds']);
/** Their boolean fields. Every other scalar field is a string. */
const BOOLEAN_FIELDS = new Set(['useBase64']);

/**
 * A scalar of a CloudFormation property coerced to its field's type, as CloudFormation coerces the scalars of a
 * template (a YAML `60` where the schema has a string, `"60"` where it has an integer): a number or a boolean
 * becomes its text in a string field (`DurationExpression: 60` is `"60"`, `Condition: true` is `"true"`); the text
 * of an integer (`Seconds: "60"`) becomes that integer and `"true"`/`"false"` (any case) that boolean
 * (`UseBase64: "true"`). Anything else is returned as it is, for the checks to report.
 */
export function coerceCloudFormationScalar(key: string, v: unknown): unknown {
  if (INTEGER_FIELDS.has(key)) {
    return typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : v;
  }
  if (BOOLEAN_FIELDS.has(key)) {
    if (typeof v !== 'string') return v;
    const t = v.trim().toLowerCase();
    return t === 'true' ? true : t === 'false' ? false : v;
  }
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
}

/** The action types that call another service: their fields name resources (ARNs, URLs, table names). */
const EXTERNAL_ACTIONS = new Set(['sns', 'iotTopicPublish', 'lambda', 'iotEvents', 'sqs', 'firehose', 'dynamoDB', 'dynamoDBv2', 'iotSiteWise']);

/** An intrinsic that cannot be resolved without deploying, and why. */
class Unresolvable {
  constructor(public readonly reason: string, public readonly key?: string) {}
}

/**
 * Returns a copy of `value` with every object key in the API's camelCase (see `apiKey`), `null` members removed and the
 * CloudFormation intrinsics resolved where their value is known (`{ "Ref": "AWS::NoValue" }` removes its property):
 * - `Ref` to a name given in `refs`, to a template parameter with a `Default` (its value), or, in an expression,
 *   to an unknown logical ID (left as the logical ID and recorded in `unresolvedRefs`: it names an input);
 * - `Fn::GetAtt` given in `refs` as `<logicalId>.<attribute>`, `Fn::ImportValue` of a name given in `refs`;
 * - `Fn::Join` and `Fn::Sub` whose parts are all known.
 * An intrinsic whose value is known only at deployment (`Fn::GetAtt`, a pseudo parameter such as `AWS::Region`,
 * a `Ref` to a resource that is not an input, `Fn::ImportValue`, ...) is kept as written when it is a field of
 * an action that calls another service (other than its payload and `iotEvents.inputName`): such fields name the
 * target resource, which the detector does not evaluate. Anywhere else it throws, naming its path and the
 * `refs` entry that would give its value.
 */
export function normalizeJson(value: unknown, path: string, options: NormalizeOptions = {}): Normalized<any> {
  const unresolved = new Set<string>();
  const refs = options.refs ?? {};
  const types = options.resourceTypes ?? {};
  const parameters = options.parameters ?? {};

  /**
   * `keep`: inside an external action's field, where an unresolvable intrinsic stays as written; `inActions`: `v` is
   * an element of an `actions` list (its one key is the action type); `actionType`: the action `v` is inside.
   */
  const walk = (v: unknown, p: string, keep: boolean, inActions: boolean, actionType?: string): unknown => {
    if (Array.isArray(v)) {
      return v.filter((item) => !isNoValue(item)).map((item, i) => walk(item, `${p}[${i}]`, keep, inActions, actionType));
    }
    if (v === null || typeof v !== 'object') return v;
    if (isIntrinsic(v)) {
      const r = intrinsic(v, p, keep);
      if (!(r instanceof Unresolvable)) return r;
      if (keep) return JSON.parse(JSON.stringify(v));
      throw unresolvableError(v, p, r);
    }
    const obj = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(obj)) {
      const item = obj[k];
      // `{ "Ref": "AWS::NoValue" }` removes a property, as CloudFormation does
      if (item === null || item === undefined || isNoValue(item)) continue;
      const key = apiKey(k);
      let childKeep = keep;
      let childType = actionType;
      if (inActions) {
        childType = key;
        childKeep = EXTERNAL_ACTIONS.has(key);
      } else if (keep && (key === 'payload' || (actionType === 'iotEvents' && key === 'inputName'))) {
        // the payload is an expression, and iotEvents.inputName names an input: both are read by the detector
        childKeep = false;
      }
      const child = walk(item, `${p}.${k}`, childKeep, !inActions && key === 'actions', childType);
      // PascalCase is CloudFormation's form, whose scalars CloudFormation coerces; the API's JSON is typed
      out[key] = /^[A-Z]/.test(k) ? coerceCloudFormationScalar(key, child) : child;
    }
    return out;
  };

  /** The value of an intrinsic as text, or why it has none before deployment. */
  const intrinsic = (v: Record<string, unknown>, p: string, keep: boolean): string | Unresolvable => {
    const [name] = Object.keys(v);
    const arg = v[name];
    switch (name) {
      case 'Ref': {
        if (typeof arg !== 'string') throw new Error(`${p}: a Ref must name a logical ID, got ${JSON.stringify(arg)}`);
        return ref(arg, keep);
      }
      case 'Fn::GetAtt': {
        const parts = typeof arg === 'string' ? arg.split('.') : arg;
        if (!Array.isArray(parts) || parts.length < 2 || parts.some((x) => typeof x !== 'string')) {
          throw new Error(`${p}: Fn::GetAtt must be [logicalId, attribute], got ${JSON.stringify(arg)}`);
        }
        const key = `${parts[0]}.${parts.slice(1).join('.')}`;
        if (refs[key] !== undefined) return refs[key];
        return new Unresolvable(`an attribute of ${parts[0]}, known only at deployment`, key);
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) {
          throw new Error(`${p}: Fn::Join must be [separator, [values...]], got ${JSON.stringify(arg)}`);
        }
        const parts: string[] = [];
        for (let i = 0; i < arg[1].length; i++) {
          const r = part(arg[1][i], `${p}.Fn::Join[1][${i}]`, keep);
          if (r instanceof Unresolvable) return r;
          parts.push(r);
        }
        return parts.join(arg[0]);
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
        if (typeof text !== 'string' || !isObject(vars)) {
          throw new Error(`${p}: Fn::Sub must be a string or [string, { name: value }], got ${JSON.stringify(arg)}`);
        }
        let out = '';
        let i = 0;
        while (i < text.length) {
          const open = text.indexOf('${', i);
          if (open < 0) { out += text.slice(i); break; }
          out += text.slice(i, open);
          const close = text.indexOf('}', open);
          if (close < 0) throw new Error(`${p}: Fn::Sub has an unclosed \${ in ${JSON.stringify(text)}`);
          const inner = text.slice(open + 2, close);
          i = close + 1;
          if (inner.startsWith('!')) { out += '${' + inner.slice(1) + '}'; continue; }
          const r = inner in vars ? part(vars[inner], `${p}.Fn::Sub[1].${inner}`, keep)
            : inner.includes('.') && !inner.startsWith('AWS::') ? intrinsic({ 'Fn::GetAtt': inner }, p, keep) : ref(inner, keep);
          if (r instanceof Unresolvable) return r;
          out += r;
        }
        return out;
      }
      case 'Fn::ImportValue': {
        // an output of another stack (cdk synth exports an input's name this way); refs gives it by export name
        if (typeof arg === 'string') {
          if (refs[arg] !== undefined) return refs[arg];
          return new Unresolvable(`it imports ${arg}, an output of another stack known only at deployment`, arg);
        }
        return new Unresolvable(`${name} is evaluated only at deployment`);
      }
      default:
        return new Unresolvable(`${name} is evaluated only at deployment`);
    }
  };

  const part = (x: unknown, p: string, keep: boolean): string | Unresolvable => {
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return String(x);
    if (isIntrinsic(x)) return intrinsic(x, p, keep);
    throw new Error(`${p}: expected text or an intrinsic, got ${JSON.stringify(x)}`);
  };

  const ref = (id: string, keep: boolean): string | Unresolvable => {
    if (refs[id] !== undefined) return refs[id];
    if (id.startsWith('AWS::')) return new Unresolvable(`${id} is a pseudo parameter, known only at deployment`, id);
    const param = parameters[id];
    if (param !== undefined) {
      const d = param.Default;
      if (typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean') return String(d);
      return new Unresolvable(`${id} is a template parameter without a Default`, id);
    }
    const type = types[id];
    if (type !== undefined) return new Unresolvable(`${id} is an ${type} of the template, known only at deployment`, id);
    // in an action's target field a Ref names the target resource, elsewhere an input (resolved by the inputs)
    if (keep) return new Unresolvable(`${id} is not a resource of this JSON`, id);
    unresolved.add(id);
    return id;
  };

  const result = walk(value, path, false, false, undefined);
  return { value: result, unresolvedRefs: [...unresolved] };
}

function isNoValue(v: unknown): boolean {
  return isObject(v) && Object.keys(v).length === 1 && v.Ref === 'AWS::NoValue';
}

function unresolvableError(v: unknown, p: string, r: Unresolvable): Error {
  const fix = r.key !== undefined
    ? `pass its value: fromJson(json, { refs: { '${r.key}': '<value>' } })`
    : 'replace it by the value it stands for';
  return new Error(`${p}: ${JSON.stringify(v)} cannot be resolved here: ${r.reason}; ${fix}`);
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
 * A field of an API or CloudFormation document, spelled in camelCase (`inputName`, the API), PascalCase
 * (`InputName`, CloudFormation) or snake_case (`input_name`, Terraform's awscc provider); in that order of preference.
 * A scalar read from its PascalCase spelling is coerced to the field's type, as CloudFormation does
 * (`coerceCloudFormationScalar`).
 */
export function pickField(from: Record<string, any>, field: string): any {
  if (from[field] !== undefined) return from[field];
  const pascal = field.charAt(0).toUpperCase() + field.slice(1);
  if (from[pascal] !== undefined) return coerceCloudFormationScalar(field, from[pascal]);
  const snake = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return from[snake];
}
