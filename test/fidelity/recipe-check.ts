/**
 * An independent checker for Greengrass recipes, used on every recipe the tests render and on the
 * example app's recipes: the GDK recipe schema (as GDK applies it: every key lower-cased first) plus
 * the checks the schema misses. It does not use the library's own validation.
 *
 * The schema is a third-party file in `../shared` (see `test/shared-oracle.ts`): without `../shared`,
 * outside CI, only the checks written here run (the run says so in one line); with `CI=true` a missing
 * schema fails every check.
 */
import * as fs from 'fs';
import Ajv, { ValidateFunction } from 'ajv';
import * as semver from 'semver';
import { REPO_ROOT, SHARED_DIR, SHARED_GDK_SCHEMA_FILE, SHARED_RECIPES_DIR, sharedMissingMessage, sharedRequired } from '../shared-oracle';

export { REPO_ROOT, SHARED_DIR };
export const GDK_SCHEMA_FILE = SHARED_GDK_SCHEMA_FILE;
/** The real recipes in `../shared/fixtures/recipes`: read them inside `describeWithShared`/`testWithShared`. */
export const FIXTURE_RECIPES_DIR = SHARED_RECIPES_DIR;

const STEPS = ['setenv', 'bootstrap', 'install', 'startup', 'run', 'shutdown', 'recover'];
const STEP_FIELDS = ['script', 'requiresprivilege', 'skipif', 'timeout', 'setenv', 'bootstraponrollback'];
const ACCESS_CONTROL_POLICY_FIELDS = ['policydescription', 'operations', 'resources'];

/** Lower-cases every key of a JSON value, recursively (what GDK does before validating). */
export function lowerCaseKeys(value: any): any {
  if (Array.isArray(value)) return value.map(lowerCaseKeys);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(value)) out[k.toLowerCase()] = lowerCaseKeys(v);
    return out;
  }
  return value;
}

/**
 * Replaces CloudFormation intrinsics in a resolved recipe by plain strings: `Fn::Join` is joined,
 * anything else (`Ref`, `Fn::GetAtt`, ...) becomes `TOKEN`, so a recipe with deploy-time values can be
 * checked like the recipe Greengrass receives.
 */
export function flattenIntrinsics(value: any): any {
  if (Array.isArray(value)) return value.map(flattenIntrinsics);
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      if (keys[0] === 'Fn::Join') {
        const [sep, parts] = value['Fn::Join'];
        return (parts as any[]).map(flattenIntrinsics).join(sep);
      }
      return 'TOKEN';
    }
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(value)) out[k] = flattenIntrinsics(v);
    return out;
  }
  return value;
}

let validator: ValidateFunction | undefined;

/** The GDK schema's validator; undefined when the schema is not there (outside CI). */
function schemaValidator(): ValidateFunction | undefined {
  if (!validator) {
    if (!fs.existsSync(GDK_SCHEMA_FILE)) {
      if (sharedRequired()) throw new Error(`${GDK_SCHEMA_FILE}: ${sharedMissingMessage()}`);
      return undefined;
    }
    // the schema's patterns start with Java's `(?i)`: strip it and use the `i` flag
    const regExp = (pattern: string, flags: string) => {
      if (pattern.startsWith('(?i)')) {
        return new RegExp(pattern.slice(4), `${flags}i`);
      }
      return new RegExp(pattern, flags);
    };
    regExp.code = 'new RegExp';
    const ajv = new Ajv({ allErrors: true, strict: false, code: { regExp } as any });
    validator = ajv.compile(JSON.parse(fs.readFileSync(GDK_SCHEMA_FILE, 'utf-8')));
  }
  return validator;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkStep(step: unknown, where: string, problems: string[], allowSelections: boolean) {
  if (typeof step === 'string') return;
  if (!isObject(step)) {
    problems.push(`${where}: a step must be a string or an object`);
    return;
  }
  for (const [key, value] of Object.entries(step)) {
    if (!STEP_FIELDS.includes(key)) {
      if (allowSelections) checkStep(value, `${where}.${key}`, problems, true);
      else problems.push(`${where}: unknown step field '${key}'`);
      continue;
    }
    checkStepField(key, value, `${where}.${key}`, problems, allowSelections);
  }
}

function checkStepField(key: string, value: unknown, where: string, problems: string[], allowSelections: boolean) {
  if (allowSelections && key !== 'setenv' && isObject(value)) {
    // a global lifecycle selects a field's value by selection key, at any level
    for (const [selection, selected] of Object.entries(value)) checkStepField(key, selected, `${where}.${selection}`, problems, true);
    return;
  }
  if (key === 'timeout' && !(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
    problems.push(`${where}: ${JSON.stringify(value)} is not a positive whole number of seconds`);
  }
  if (key === 'requiresprivilege' && typeof value !== 'boolean') {
    problems.push(`${where}: ${JSON.stringify(value)} is not a boolean`);
  }
  if (key === 'script' && typeof value !== 'string') {
    problems.push(`${where}: ${JSON.stringify(value)} is not a string`);
  }
}

function checkLifecycle(lifecycle: unknown, where: string, problems: string[], allowSelections: boolean) {
  if (!isObject(lifecycle)) {
    problems.push(`${where}: a lifecycle must be an object`);
    return;
  }
  if ('run' in lifecycle && 'startup' in lifecycle) {
    problems.push(`${where}: run and startup are exclusive`);
  }
  for (const [key, value] of Object.entries(lifecycle)) {
    if (key === 'setenv') {
      if (!isObject(value)) problems.push(`${where}.setenv: must be an object`);
    } else if (STEPS.includes(key)) {
      checkStep(value, `${where}.${key}`, problems, allowSelections);
    } else if (allowSelections) {
      checkLifecycle(value, `${where}.${key}`, problems, true);
    } else {
      problems.push(`${where}: unknown lifecycle step '${key}'`);
    }
  }
}

function checkAccessControl(ac: unknown, problems: string[]) {
  const where = 'componentconfiguration.defaultconfiguration.accesscontrol';
  if (!isObject(ac)) {
    problems.push(`${where}: must be an object keyed by IPC service`);
    return;
  }
  for (const [service, policies] of Object.entries(ac)) {
    if (!isObject(policies)) {
      problems.push(`${where}.${service}: must be an object keyed by policy ID`);
      continue;
    }
    for (const [id, policy] of Object.entries(policies)) {
      const p = `${where}.${service}.${id}`;
      if (!isObject(policy)) {
        problems.push(`${p}: must be an object`);
        continue;
      }
      for (const key of Object.keys(policy)) {
        if (!ACCESS_CONTROL_POLICY_FIELDS.includes(key)) problems.push(`${p}: unknown field '${key}'`);
      }
      for (const key of ['operations', 'resources']) {
        const list = policy[key];
        if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string')) {
          problems.push(`${p}.${key}: must be a non-empty list of strings`);
        }
      }
    }
  }
}

/**
 * Problems of a recipe (any key case; CloudFormation intrinsics allowed, see `flattenIntrinsics`): GDK
 * schema violations (when `../shared` is there) and the stricter checks. Empty when valid.
 */
export function checkRecipe(json: any): string[] {
  const problems: string[] = [];
  const recipe = lowerCaseKeys(flattenIntrinsics(json));
  const validate = schemaValidator();
  if (validate && !validate(recipe)) {
    for (const e of validate.errors ?? []) problems.push(`schema: ${e.instancePath || '/'} ${e.message}`);
  }
  if (!isObject(recipe)) return problems;
  const version = recipe.componentversion;
  if (typeof version !== 'string' || semver.valid(version) !== version || version.length > 64) {
    problems.push(`componentversion: ${JSON.stringify(version)} is not a semantic version of at most 64 characters`);
  }
  const name = recipe.componentname;
  if (typeof name !== 'string' || !/^[a-zA-Z0-9\-_.]{1,128}$/.test(name)) {
    problems.push(`componentname: ${JSON.stringify(name)} is not 1-128 characters of [a-zA-Z0-9-_.]`);
  }
  for (const [dep, spec] of Object.entries(isObject(recipe.componentdependencies) ? recipe.componentdependencies : {})) {
    const req = isObject(spec) ? spec.versionrequirement : undefined;
    if (req !== undefined && (typeof req !== 'string' || semver.validRange(req) === null)) {
      problems.push(`componentdependencies.${dep}.versionrequirement: ${JSON.stringify(req)} is not a semver range`);
    }
  }
  const hasGlobal = recipe.lifecycle !== undefined;
  (Array.isArray(recipe.manifests) ? recipe.manifests : []).forEach((m: any, i: number) => {
    if (isObject(m) && m.lifecycle !== undefined) checkLifecycle(m.lifecycle, `manifests[${i}].lifecycle`, problems, false);
  });
  if (hasGlobal) checkLifecycle(recipe.lifecycle, 'lifecycle', problems, true);
  const ac = recipe.componentconfiguration?.defaultconfiguration?.accesscontrol;
  if (ac !== undefined) checkAccessControl(ac, problems);
  return problems;
}
