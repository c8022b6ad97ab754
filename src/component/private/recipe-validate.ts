import { Token } from 'aws-cdk-lib';
import { distance } from 'fastest-levenshtein';
import * as semver from 'semver';
import { bareArtifactFileName, parseArtifactUri } from './artifact-uri';
import { LIFECYCLE_STEPS, nearMiss, STEP_KEYS } from './recipe-keys';

const PLATFORM_TYPOS: Record<string, string> = {
  arch: 'architecture',
  architecture_detail: 'architecture.detail',
  architecturedetail: 'architecture.detail',
  platform: 'os',
  operatingsystem: 'os',
  system: 'os',
};

/**
 * Checks a platform's keys and values; returns the problems.
 */
export function platformProblems(platform: Record<string, unknown>, where: string): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(platform)) {
    const lower = key.toLowerCase();
    const suggestion = PLATFORM_TYPOS[lower.replace(/[\s-]/g, '')];
    if (suggestion) {
      problems.push(`${where} has unknown platform key '${key}': use '${suggestion}'`);
    } else if (key.length === 0) {
      problems.push(`${where} has an empty platform key: remove it`);
    }
    if (typeof value !== 'string') {
      problems.push(`${where}.${key} must be a string, got ${JSON.stringify(value)}: quote the value`);
    } else if (Token.isUnresolved(value)) {
      continue;
    } else if (value.length > 1 && value.startsWith('/') && value.endsWith('/')) {
      const error = javaRegexError(value.slice(1, -1));
      if (error) {
        problems.push(`${where}.${key} '${value}' is not a valid regular expression: ${error}`);
      }
    } else if (value !== '*' && !/^[a-zA-Z0-9]/.test(value)) {
      problems.push(`${where}.${key} '${value}' never matches a device: the nucleus only matches exact values that start with a letter or a digit; use '*' for any value or a regular expression between slashes such as '/${value.replace(/\//g, '\\/') || '.+'}/'`);
    }
  }
  return problems;
}

/**
 * What the nucleus reports as `os` and `architecture` (its platform resolver), the values that match
 * any device, and names other tools use for the same systems.
 */
const REPORTED: Record<'os' | 'architecture', { values: string[]; any: string[]; aliases: Record<string, string> }> = {
  os: {
    values: ['linux', 'windows', 'darwin'],
    any: ['*', 'all', 'any'],
    aliases: {
      ubuntu: 'linux',
      debian: 'linux',
      fedora: 'linux',
      raspbian: 'linux',
      centos: 'linux',
      rhel: 'linux',
      unix: 'linux',
      posix: 'linux',
      macos: 'darwin',
      osx: 'darwin',
      mac: 'darwin',
      win: 'windows',
      win32: 'windows',
      win64: 'windows',
    },
  },
  architecture: {
    values: ['amd64', 'aarch64', 'arm', 'x86'],
    any: ['*'],
    aliases: {
      'arm64': 'aarch64',
      'armv8': 'aarch64',
      'x86_64': 'amd64',
      'x86-64': 'amd64',
      'x64': 'amd64',
      'armv7l': 'arm',
      'armv7': 'arm',
      'armv6l': 'arm',
      'armhf': 'arm',
      'i386': 'x86',
      'i686': 'x86',
      'ia32': 'x86',
    },
  },
};

/**
 * A warning when a platform's `os` or `architecture` can never match a device: a value the nucleus
 * never reports (with the nearest one it does), or a regular expression that finds none of them.
 */
export function platformValueWarning(key: 'os' | 'architecture', value: unknown, where: string): string | undefined {
  if (typeof value !== 'string' || Token.isUnresolved(value)) return undefined;
  const { values, any, aliases } = REPORTED[key];
  const lower = value.toLowerCase();
  if (values.includes(lower) || any.includes(lower)) return undefined;
  const reported = `the nucleus reports ${key} as one of ${values.join(', ')}`;
  if (value.length > 1 && value.startsWith('/') && value.endsWith('/')) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(value.slice(1, -1));
    } catch {
      return undefined; // Java-only syntax: platformProblems checks that it compiles
    }
    return values.some((v) => pattern.test(v)) ? undefined
      : `${where} '${value}' never matches a device: ${reported}, and the expression finds none of them`;
  }
  if (!/^[a-zA-Z0-9]/.test(value)) return undefined; // an error of platformProblems
  const nearest = aliases[lower] ?? values.reduce((best, v) => (distance(lower, v) < distance(lower, best) ? v : best));
  return `${where} '${value}' never matches a device: ${reported}; use '${nearest}'`;
}

/**
 * Why a platform regular expression does not compile, or `undefined` when it does. The nucleus uses
 * Java regular expressions: Java-only syntax (inline flags such as `(?i)`, possessive quantifiers,
 * atomic groups, `\Q...\E`, `\A`, `\z`) is translated to its JavaScript equivalent before compiling.
 */
function javaRegexError(body: string): string | undefined {
  let flags = '';
  let js = body.replace(/^\(\?([idmsux]+)\)/, (_m, f: string) => {
    flags = [...new Set(f.replace(/[dux]/g, ''))].join('');
    return '';
  });
  js = js
    .replace(/\\Q(.*?)(\\E|$)/g, (_m, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .replace(/\(\?>/g, '(?:')
    .replace(/([*+?}])\+/g, '$1')
    .replace(/\\A/g, '^')
    .replace(/\\[zZ]/g, '$');
  try {
    new RegExp(js, flags);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}


export const RECIPE_FORMAT_VERSION = '2020-01-25';
export const MAX_RECIPE_BYTES = 16_000;
export const COMPONENT_TYPES = ['aws.greengrass.generic', 'aws.greengrass.lambda', 'aws.greengrass.plugin', 'aws.greengrass.nucleus'];
/** A component name: 1-128 letters, digits, hyphens, underscores and periods (the hyphen is escaped: `9-_` would be a range). */
export const COMPONENT_NAME_PATTERN = /^[a-zA-Z0-9\-_.]{1,128}$/;
const NAME_PATTERN = COMPONENT_NAME_PATTERN;
/** The highest major, minor or patch number of a component version Greengrass accepts. */
const MAX_VERSION_NUMBER = 999_999;

/**
 * The problem with a component name, if any.
 */
export function componentNameProblem(name: unknown, prop: string, allowReserved: boolean = false): string | undefined {
  if (typeof name !== 'string') {
    return `${prop} must be a string, got ${JSON.stringify(name)}: pass the component name`;
  }
  if (Token.isUnresolved(name)) {
    return `${prop} is a token: pass a literal component name (deployments key components by name)`;
  }
  if (/\{[A-Z_]+\}/.test(name) || /^[A-Z_]+$/.test(name)) {
    return `${prop} '${name}' is a build-time placeholder: pass overrides.componentName to Recipe.fromFile/fromJson`;
  }
  if (!NAME_PATTERN.test(name)) {
    return `${prop} '${name}' is invalid: use 1-128 characters of letters, digits, '-', '_' and '.'`;
  }
  if (!allowReserved && name.toLowerCase().startsWith('aws.greengrass')) {
    return `${prop} '${name}' starts with 'aws.greengrass', which is reserved for AWS components: choose another prefix, for example 'com.example.'`;
  }
  return undefined;
}

/**
 * Versions every check below accepts: major.minor.patch, each a number of at most 6 digits without
 * leading zeros (no token, placeholder, prerelease or build metadata; valid semver).
 */
const PLAIN_VERSION = /^(?:0|[1-9]\d{0,5})\.(?:0|[1-9]\d{0,5})\.(?:0|[1-9]\d{0,5})$/;

/**
 * The problem with a component version, if any.
 */
export function componentVersionProblem(version: unknown, prop: string): string | undefined {
  if (typeof version === 'string' && PLAIN_VERSION.test(version)) {
    return undefined;
  }
  if (typeof version !== 'string') {
    return `${prop} must be a string, got ${JSON.stringify(version)}: quote it, for example '1.0.0'`;
  }
  if (Token.isUnresolved(version)) {
    return `${prop} is a token: pass a literal semantic version such as '1.0.0'`;
  }
  if (/\{[A-Z_]+\}/.test(version) || /^[A-Z_]+$/.test(version)) {
    return `${prop} '${version}' is a build-time placeholder: pass overrides.componentVersion to Recipe.fromFile/fromJson`;
  }
  if (version.length > 64) {
    return `${prop} '${version}' is ${version.length} characters long: use at most 64`;
  }
  if (semver.valid(version) !== version) {
    return `${prop} '${version}' is not a semantic version: use major.minor.patch, for example '1.0.0'`;
  }
  const parts = version.split(/[-+]/, 1)[0].split('.');
  if (parts.some((p) => Number(p) > MAX_VERSION_NUMBER)) {
    return `${prop} '${version}' has a major, minor or patch number above ${MAX_VERSION_NUMBER}, which Greengrass rejects: use at most 6 digits each (for a date, split it: '2024.1.15')`;
  }
  return undefined;
}

/**
 * Problems of a `ComponentDependencies` object in canonical key case.
 */
export function dependencyProblems(deps: unknown, prop: string): string[] {
  if (typeof deps !== 'object' || deps === null || Array.isArray(deps)) {
    return [`${prop} must be an object keyed by component name, got ${JSON.stringify(deps)}`];
  }
  const problems: string[] = [];
  for (const [name, dep] of Object.entries(deps as Record<string, any>)) {
    if (!Token.isUnresolved(name) && !NAME_PATTERN.test(name)) {
      problems.push(`${prop} has invalid component name '${name}': use 1-128 characters of letters, digits, '-', '_' and '.'`);
    }
    if (typeof dep !== 'object' || dep === null || Array.isArray(dep)) {
      problems.push(`${prop}.${name} must be an object with VersionRequirement and DependencyType, got ${JSON.stringify(dep)}`);
      continue;
    }
    const req = dep.VersionRequirement;
    if (req !== undefined && !(typeof req === 'string' && (Token.isUnresolved(req) || semver.validRange(req) !== null))) {
      problems.push(`${prop}.${name}.versionRequirement ${JSON.stringify(req)} is not a semver range: use for example '^2.0.0' or '>=2.1.0 <3.0.0'`);
    }
    const type = dep.DependencyType;
    // Greengrass reads enum values case-insensitively.
    if (type !== undefined && !(typeof type === 'string' && ['HARD', 'SOFT'].includes(type.toUpperCase()))) {
      problems.push(`${prop}.${name}.dependencyType ${JSON.stringify(type)} is invalid: use 'HARD' or 'SOFT'`);
    }
  }
  return problems;
}

/**
 * Problems of a rendered recipe.
 */
export interface RecipeProblems {
  /** Problems the service or the nucleus would reject, or that silently break the component. */
  readonly errors: string[];
  /** Problems that should not stop synthesis. */
  readonly warnings: string[];
}

/** Whether `value` is one of the upper-case enum `values`, in any case (as Greengrass reads it). */
function isOneOf(value: unknown, values: string[]): boolean {
  return typeof value === 'string' && values.includes(value.toUpperCase());
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stepProblems(step: unknown, where: string, errors: string[], allowSelections: boolean = false) {
  if (typeof step === 'string' || Token.isUnresolved(step)) return;
  if (!isObject(step)) {
    errors.push(`${where} must be a script or an object with Script, got ${JSON.stringify(step)}`);
    return;
  }
  for (const [key, value] of Object.entries(step)) {
    if (!STEP_KEYS.includes(key)) {
      // a selection key inside a step of a global lifecycle
      stepProblems(value, `${where}.${key}`, errors, allowSelections);
      continue;
    }
    stepValueProblems(key, value, `${where}.${key}`, errors, allowSelections);
  }
}

function stepValueProblems(key: string, value: unknown, where: string, errors: string[], allowSelections: boolean) {
  if (allowSelections && key !== 'Setenv' && isObject(value)) {
    // a global lifecycle may select a step's values by selection key, at any level
    for (const [selection, selected] of Object.entries(value)) {
      stepValueProblems(key, selected, `${where}.${selection}`, errors, allowSelections);
    }
    return;
  }
  if (key === 'Timeout' && !(typeof value === 'number' && Number.isInteger(value) && value >= 1) && !Token.isUnresolved(value)) {
    errors.push(`${where} ${JSON.stringify(value)} must be a whole number of seconds of at least 1: write it without quotes, for example 120`);
  }
  if (key === 'Script' && typeof value !== 'string') {
    errors.push(`${where} must be a string, got ${JSON.stringify(value)}`);
  }
  if (key === 'Skipif' && !(typeof value === 'string' && /^(onpath|exists)\s+\S/.test(value))) {
    errors.push(`${where} ${JSON.stringify(value)} is invalid: use 'onpath <executable>' or 'exists <file>'`);
  }
  if ((key === 'Setenv') && !isObject(value)) {
    errors.push(`${where} must be an object of environment variables, got ${JSON.stringify(value)}`);
  }
}

function manifestLifecycleProblems(lifecycle: unknown, where: string, allowSelections: boolean, errors: string[]) {
  if (lifecycle === undefined) return;
  if (!isObject(lifecycle)) {
    errors.push(`${where} must be an object of lifecycle steps, got ${JSON.stringify(lifecycle)}`);
    return;
  }
  if ('run' in lifecycle && 'startup' in lifecycle) {
    errors.push(`${where} has both run and startup: keep run for a foreground process or startup for a background one`);
  }
  for (const [key, value] of Object.entries(lifecycle)) {
    if (key === 'setenv') {
      if (!isObject(value)) errors.push(`${where}.setenv must be an object of environment variables, got ${JSON.stringify(value)}`);
    } else if (LIFECYCLE_STEPS.includes(key)) {
      stepProblems(value, `${where}.${key}`, errors, allowSelections);
    } else if (allowSelections) {
      manifestLifecycleProblems(value, `${where}.${key}`, true, errors);
    } else {
      const suggestion = nearMiss(LIFECYCLE_STEPS, key);
      errors.push(`${where} has unknown lifecycle step '${key}': ${suggestion ? `did you mean '${suggestion}'? ` : ''}use one of ${LIFECYCLE_STEPS.join(', ')}`);
    }
  }
}

function accessControlProblems(ac: unknown, where: string, errors: string[]) {
  if (!isObject(ac)) {
    errors.push(`${where} must be an object keyed by IPC service, got ${JSON.stringify(ac)}`);
    return;
  }
  for (const [service, policies] of Object.entries(ac)) {
    if (!isObject(policies)) {
      errors.push(`${where}.${service} must be an object keyed by policy ID, got ${JSON.stringify(policies)}`);
      continue;
    }
    for (const [id, policy] of Object.entries(policies)) {
      const p = `${where}.${service}.${id}`;
      if (!isObject(policy)) {
        errors.push(`${p} must be an object with operations and resources, got ${JSON.stringify(policy)}`);
        continue;
      }
      for (const key of ['operations', 'resources']) {
        const list = policy[key];
        if (!Token.isUnresolved(list) && !(Array.isArray(list) && list.length > 0 && list.every((x) => typeof x === 'string'))) {
          errors.push(`${p}.${key} must be a non-empty list of strings, got ${JSON.stringify(list)}`);
        }
      }
      if (policy.policyDescription !== undefined && typeof policy.policyDescription !== 'string') {
        errors.push(`${p}.policyDescription must be a string`);
      }
      for (const key of Object.keys(policy)) {
        if (!['policyDescription', 'operations', 'resources'].includes(key)) {
          errors.push(`${p} has unknown key '${key}': use policyDescription, operations and resources`);
        }
      }
    }
  }
}

/**
 * Checks a rendered recipe (canonical key case) against what Greengrass accepts.
 */
export function recipeProblems(recipe: Record<string, any>): RecipeProblems {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (recipe.RecipeFormatVersion !== RECIPE_FORMAT_VERSION) {
    errors.push(`RecipeFormatVersion ${JSON.stringify(recipe.RecipeFormatVersion)} is not supported: use '${RECIPE_FORMAT_VERSION}' (quoted in YAML)`);
  }
  const nameProblem = componentNameProblem(recipe.ComponentName, 'ComponentName');
  if (nameProblem) errors.push(nameProblem);
  const versionProblem = componentVersionProblem(recipe.ComponentVersion, 'ComponentVersion');
  if (versionProblem) errors.push(versionProblem);
  // Greengrass reads enum values (ComponentType, DependencyType, Unarchive, Permission) case-insensitively.
  if (recipe.ComponentType !== undefined && !(typeof recipe.ComponentType === 'string' && COMPONENT_TYPES.includes(recipe.ComponentType.toLowerCase()))) {
    errors.push(`ComponentType ${JSON.stringify(recipe.ComponentType)} is invalid: use one of ${COMPONENT_TYPES.join(', ')}`);
  }
  for (const key of ['ComponentDescription', 'ComponentPublisher', 'ComponentSource']) {
    if (recipe[key] !== undefined && typeof recipe[key] !== 'string') {
      errors.push(`${key} must be a string, got ${JSON.stringify(recipe[key])}`);
    }
  }
  if (recipe.ComponentDependencies !== undefined) {
    errors.push(...dependencyProblems(recipe.ComponentDependencies, 'ComponentDependencies'));
  }
  const config = recipe.ComponentConfiguration;
  if (config !== undefined) {
    if (!isObject(config)) {
      errors.push(`ComponentConfiguration must be an object with DefaultConfiguration, got ${JSON.stringify(config)}`);
    } else if (config.DefaultConfiguration !== undefined) {
      if (!isObject(config.DefaultConfiguration)) {
        errors.push(`ComponentConfiguration.DefaultConfiguration must be an object, got ${JSON.stringify(config.DefaultConfiguration)}`);
      } else {
        const acKey = Object.keys(config.DefaultConfiguration).find((k) => k === 'accessControl');
        if (acKey) accessControlProblems(config.DefaultConfiguration[acKey], 'ComponentConfiguration.DefaultConfiguration.accessControl', errors);
      }
    }
  }
  const manifests = recipe.Manifests;
  const hasGlobalLifecycle = recipe.Lifecycle !== undefined;
  if (manifests === undefined || (Array.isArray(manifests) && manifests.length === 0)) {
    errors.push('Manifests is empty: add at least one manifest, or devices find no platform to run the component on');
  } else if (!Array.isArray(manifests)) {
    errors.push(`Manifests must be a list, got ${JSON.stringify(manifests)}`);
  } else {
    manifests.forEach((m, i) => {
      const where = `Manifests[${i}]`;
      if (!isObject(m)) {
        errors.push(`${where} must be an object, got ${JSON.stringify(m)}`);
        return;
      }
      if (m.Platform !== undefined) {
        if (!isObject(m.Platform)) {errors.push(`${where}.Platform must be an object of platform attributes`);} else {
          errors.push(...platformProblems(m.Platform, `${where}.Platform`));
          for (const key of ['os', 'architecture'] as const) {
            const warning = platformValueWarning(key, m.Platform[key], `${where}.Platform.${key}`);
            if (warning) warnings.push(warning);
          }
        }
      }
      if (m.Selections !== undefined && !(Array.isArray(m.Selections) && m.Selections.every((s: unknown) => typeof s === 'string'))) {
        errors.push(`${where}.Selections must be a list of selection keys, got ${JSON.stringify(m.Selections)}`);
      }
      if (m.Selections !== undefined && !hasGlobalLifecycle) {
        errors.push(`${where}.Selections is set but the recipe has no top-level Lifecycle: add Lifecycle with the selection keys or remove Selections`);
      }
      manifestLifecycleProblems(m.Lifecycle, `${where}.Lifecycle`, false, errors);
      if (m.Artifacts !== undefined) {
        if (!Array.isArray(m.Artifacts)) {
          errors.push(`${where}.Artifacts must be a list, got ${JSON.stringify(m.Artifacts)}`);
        } else {
          const fileNames = new Map<string, number>();
          m.Artifacts.forEach((a: unknown, j: number) => {
            const aw = `${where}.Artifacts[${j}]`;
            if (!isObject(a)) {
              errors.push(`${aw} must be an object with URI, got ${JSON.stringify(a)}`);
              return;
            }
            const parsed = typeof a.URI === 'string' ? parseArtifactUri(a.URI) : undefined;
            if (typeof a.URI !== 'string') {
              errors.push(`${aw}.URI must be a string, got ${JSON.stringify(a.URI)}`);
            } else if (parsed?.problem !== undefined) {
              const bare = bareArtifactFileName(a.URI);
              errors.push(`${aw}.URI ${parsed.problem}${bare === undefined ? '' : `; GDK uploads a file the project builds to s3://<bucket>/<componentName>/<componentVersion>/${bare}: pass overrides.bucket to Recipe.fromFile/fromJson to use that URI`}`);
            } else {
              const fileName = parsed?.uri?.fileName;
              const first = fileName === undefined ? undefined : fileNames.get(fileName);
              if (first !== undefined) {
                errors.push(`${aw}.URI '${a.URI}' has the file name '${fileName}' of ${where}.Artifacts[${first}]: the artifacts of a manifest are stored in one folder on the device, so each needs its own file name; rename one of the files`);
              } else if (fileName !== undefined) {
                fileNames.set(fileName, j);
              }
            }
            if (a.Unarchive !== undefined && !isOneOf(a.Unarchive, ['NONE', 'ZIP'])) {
              errors.push(`${aw}.Unarchive ${JSON.stringify(a.Unarchive)} is invalid: use 'ZIP' or 'NONE'`);
            }
            if (a.Permission !== undefined) {
              if (!isObject(a.Permission)) {
                errors.push(`${aw}.Permission must be an object with Read and Execute`);
              } else {
                for (const k of ['Read', 'Execute']) {
                  if (a.Permission[k] !== undefined && !isOneOf(a.Permission[k], ['NONE', 'OWNER', 'ALL'])) {
                    errors.push(`${aw}.Permission.${k} ${JSON.stringify(a.Permission[k])} is invalid: use 'NONE', 'OWNER' or 'ALL'`);
                  }
                }
              }
            }
            if ((a.Digest === undefined) !== (a.Algorithm === undefined)) {
              errors.push(`${aw} sets only one of Digest and Algorithm: set both or neither`);
            }
          });
        }
      }
    });
  }
  if (hasGlobalLifecycle) {
    manifestLifecycleProblems(recipe.Lifecycle, 'Lifecycle', true, errors);
  }
  return { errors, warnings };
}

/** GDK build-time placeholders and the override of `Recipe.fromFile`/`fromJson` that replaces each. */
const PLACEHOLDER_OVERRIDES: Record<string, string> = {
  COMPONENT_NAME: 'componentName', COMPONENT_VERSION: 'componentVersion', BUCKET_NAME: 'bucket', COMPONENT_AUTHOR: 'publisher',
};
const ANY_PLACEHOLDER = /COMPONENT_NAME|COMPONENT_VERSION|BUCKET_NAME|COMPONENT_AUTHOR/;
const BRACED_PLACEHOLDER = /\{(COMPONENT_NAME|COMPONENT_VERSION|BUCKET_NAME|COMPONENT_AUTHOR)\}/g;
/** Placeholders GDK writes without braces: whole name and version values, and segments of `s3://` URIs. */
const BARE_PLACEHOLDER = /^(COMPONENT_NAME|COMPONENT_VERSION|BUCKET_NAME)$/;

/**
 * GDK build-time placeholders left in an imported recipe document (canonical key case, artifacts as
 * `{ raw }` entries) after its overrides, one problem per field, naming the override to pass. One walk
 * over the document, only when its text holds a placeholder name at all.
 */
export function placeholderProblems(doc: Record<string, any>): string[] {
  const problems: string[] = [];
  const publisher = doc.ComponentPublisher;
  if (typeof publisher === 'string' && /^\{[A-Z_]+\}$/.test(publisher) && !ANY_PLACEHOLDER.test(publisher)) {
    problems.push(`ComponentPublisher '${publisher}' is a build-time placeholder: pass overrides.publisher (GDK's author) to Recipe.fromFile/fromJson`);
  }
  if (!ANY_PLACEHOLDER.test(JSON.stringify(doc))) return problems;
  const report = (where: string, value: string, found: Set<string>) => {
    if (found.size === 0) return;
    const names = [...found];
    const shown = value.length > 100 ? `${value.slice(0, 97)}...` : value;
    problems.push(`${where} '${shown}' still holds the GDK build-time placeholder${names.length > 1 ? 's' : ''} ${names.join(', ')}: `
      + `pass ${names.map((n) => `overrides.${PLACEHOLDER_OVERRIDES[n]}`).join(', ')} to Recipe.fromFile/fromJson, as GDK replaces ${names.length > 1 ? 'them' : 'it'} at build time`);
  };
  const braced = (s: string, found: Set<string>) => {
    for (const m of s.matchAll(BRACED_PLACEHOLDER)) found.add(m[1]);
  };
  const walk = (value: unknown, where: string, isUri: boolean) => {
    if (typeof value === 'string') {
      const found = new Set<string>();
      braced(value, found);
      if ((where === 'ComponentName' || where === 'ComponentVersion') && BARE_PLACEHOLDER.test(value)) found.add(value);
      if (isUri && value.startsWith('s3://')) {
        for (const segment of value.slice('s3://'.length).split('/')) {
          if (BARE_PLACEHOLDER.test(segment)) found.add(segment);
        }
      }
      report(where, value, found);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${where}[${i}]`, false));
    } else if (typeof value === 'object' && value !== null) {
      // an imported artifact entry holds the artifact as written
      const entry = where.endsWith(']') && /\.Artifacts\[\d+\]$/.test(where) && isObject((value as any).raw) ? (value as any).raw : value;
      for (const [k, v] of Object.entries(entry)) {
        const path = where === '' ? k : `${where}.${k}`;
        const keyFound = new Set<string>();
        braced(k, keyFound);
        if (keyFound.size > 0) report(`the key of ${path}`, k, keyFound);
        walk(v, path, k === 'URI' && /\.Artifacts\[\d+\]$/.test(where));
      }
    }
  };
  walk(doc, '', false);
  return problems;
}
