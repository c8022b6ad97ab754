import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AccessControl } from './access-control';
import { Artifact, ArtifactConfig } from './artifact';
import { IComponent } from './component';
import { Lifecycle } from './lifecycle';
import { Platform } from './platform';
import { bareArtifactFileName } from './private/artifact-uri';
import { renderTypedDependencies } from '../private/component-dependencies';
import { canonicalRecipe, LIFECYCLE_STEPS } from './private/recipe-keys';
import {
  ArtifactEntry, BoundRecipe, clone, RecipeDocument, renderArtifact, renderFingerprintDocument, renderRecipe, tokenFreeJson, versionedRecipeText,
  withComponentVersion,
} from './private/recipe-render';
import { componentNameProblem, componentVersionProblem, dependencyProblems, RECIPE_FORMAT_VERSION } from './private/recipe-validate';
import { parseRecipeYaml } from './private/recipe-yaml';

/**
 * How a component reacts to a change of state of a dependency.
 */
export enum DependencyType {
  /** The component restarts when the dependency changes state. */
  HARD = 'HARD',
  /** The component keeps running when the dependency changes state. */
  SOFT = 'SOFT',
}

/**
 * The kind of a component.
 */
export enum ComponentType {
  /** A component whose lifecycle scripts the nucleus runs. */
  GENERIC = 'aws.greengrass.generic',
  /** A component that runs a Lambda function. */
  LAMBDA = 'aws.greengrass.lambda',
  /** A component that runs inside the nucleus JVM. */
  PLUGIN = 'aws.greengrass.plugin',
  /** The nucleus. */
  NUCLEUS = 'aws.greengrass.nucleus',
}

/**
 * A dependency on another component.
 */
export interface ComponentDependency {
  /**
   * The versions that satisfy the dependency, as an npm-style semver range (`^2.0.0`, `>=2.1.0 <3.0.0`).
   *
   * @default - any version (`>=0.0.0`)
   */
  readonly versionRequirement?: string;

  /**
   * Whether the component restarts when the dependency changes state.
   *
   * @default DependencyType.HARD
   */
  readonly dependencyType?: DependencyType;

  /**
   * The component of this app (or any component whose version is known at synth) that the dependency
   * resolves to, for example a library component: the requirement becomes exactly its version (a
   * content-hash version is a prerelease, which no range such as `^1.0.0` matches), and a deployment of
   * the depending component grants the devices' role what this one needs (its artifacts), since the
   * nucleus installs it from the cloud. Key the dependency by its name: `{ [lib.componentName]: { component: lib } }`.
   *
   * Fails when the key is not the component's name, or when `versionRequirement` is also given and
   * does not include its version.
   *
   * @default - none: the dependency is resolved by name and `versionRequirement` only
   */
  readonly component?: IComponent;
}

/**
 * What a component does on one platform.
 */
export interface Manifest {
  /**
   * The platform this manifest applies to. The nucleus uses the first manifest whose platform
   * matches the device.
   *
   * @default - any platform (no `Platform` key)
   */
  readonly platform?: Platform;

  /**
   * A friendly name of the manifest.
   *
   * @default - none
   */
  readonly name?: string;

  /**
   * The lifecycle scripts.
   *
   * @default - no lifecycle (an empty `Lifecycle`)
   */
  readonly lifecycle?: Lifecycle;

  /**
   * The files the device downloads before installing the component.
   *
   * @default - none
   */
  readonly artifacts?: Artifact[];
}

/**
 * A recipe described with types.
 */
export interface RecipeOptions {
  /**
   * The component's name: 1-128 characters of `[a-zA-Z0-9-_.]`, not starting with `aws.greengrass`.
   */
  readonly componentName: string;

  /**
   * The component's version (semantic version). With `VersioningMode.CONTENT_HASH` (the default of
   * `ComponentVersion`) it is the base the content hash is appended to.
   *
   * @default '1.0.0'
   */
  readonly componentVersion?: string;

  /**
   * A description.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * The publisher.
   *
   * @default - none
   */
  readonly publisher?: string;

  /**
   * The kind of component.
   *
   * @default - not set (Greengrass treats it as `ComponentType.GENERIC`)
   */
  readonly componentType?: ComponentType;

  /**
   * The default configuration (any JSON object), readable in scripts with
   * `RecipeVariables.configuration('/key')` and changed per deployment with a configuration merge.
   *
   * @default - none
   */
  readonly defaultConfiguration?: { [key: string]: any };

  /**
   * IPC authorization policies, rendered as `accessControl` in the default configuration.
   *
   * @default - none
   */
  readonly accessControl?: AccessControl;

  /**
   * Components this one depends on, by name.
   *
   * @default - none
   */
  readonly dependencies?: { [componentName: string]: ComponentDependency };

  /**
   * What the component does, per platform.
   */
  readonly manifests: Manifest[];
}

/**
 * Values that replace the build-time placeholders of an imported recipe (as GDK does).
 */
export interface RecipeOverrides {
  /**
   * The component name: sets `ComponentName` and replaces `{COMPONENT_NAME}` everywhere (and
   * `COMPONENT_NAME` in `s3://` artifact URIs).
   *
   * @default - the recipe's `ComponentName`
   */
  readonly componentName?: string;

  /**
   * The component version: sets `ComponentVersion` and replaces `{COMPONENT_VERSION}` everywhere (and
   * `COMPONENT_VERSION` in `s3://` artifact URIs).
   *
   * @default - the recipe's `ComponentVersion`
   */
  readonly componentVersion?: string;

  /**
   * The bucket that holds the recipe's artifacts (GDK's `publish.bucket`, with GDK's region and account
   * suffix if it adds one): replaces `BUCKET_NAME` and `{BUCKET_NAME}` in `s3://` artifact URIs, and turns
   * an artifact written as a bare file name (`secrets.jar`, or `s3://secrets.jar` as GDK templates
   * write it) into `s3://<bucket>/<componentName>/<componentVersion>/<file name>`, where GDK's publish
   * uploads the files it builds.
   *
   * @default - URIs are kept as written; a bare file name is an error at synth
   */
  readonly bucket?: s3.IBucket;

  /**
   * The publisher (GDK's `author`): sets `ComponentPublisher` and replaces `{COMPONENT_AUTHOR}` everywhere.
   *
   * @default - the recipe's `ComponentPublisher`
   */
  readonly publisher?: string;
}

const BUILD_PLACEHOLDERS = /\{(?:COMPONENT_NAME|COMPONENT_VERSION|BUCKET_NAME|COMPONENT_AUTHOR)\}/g;

/**
 * A Greengrass component recipe: a value object built from types (`Recipe.of`) or imported from an
 * existing recipe (`Recipe.fromFile`, `Recipe.fromJson`), rendered by `toJson()` exactly as it is sent to
 * Greengrass, with the key case of the recipe reference.
 */
export class Recipe {
  /**
   * A recipe from typed options; fails on invalid names, versions, dependencies and lifecycles.
   */
  public static of(options: RecipeOptions): Recipe {
    const problems: string[] = [];
    const name = options.componentName;
    const nameProblem = componentNameProblem(name, 'componentName');
    if (nameProblem) problems.push(nameProblem);
    const version = options.componentVersion ?? '1.0.0';
    const versionProblem = componentVersionProblem(version, 'componentVersion');
    if (versionProblem) problems.push(versionProblem);

    const doc: RecipeDocument = {
      RecipeFormatVersion: RECIPE_FORMAT_VERSION,
      ComponentName: name,
      ComponentVersion: version,
    };
    if (options.description !== undefined) doc.ComponentDescription = options.description;
    if (options.publisher !== undefined) doc.ComponentPublisher = options.publisher;
    if (options.componentType !== undefined) doc.ComponentType = options.componentType;

    const defaultConfiguration: Record<string, any> = clone(options.defaultConfiguration ?? {});
    if (options.accessControl) {
      const clash = Object.keys(defaultConfiguration).find((k) => k.toLowerCase() === 'accesscontrol');
      if (clash) {
        problems.push(`defaultConfiguration.${clash} and accessControl are both set: move the policies to accessControl`);
      }
      const rendered = options.accessControl._render(name);
      if (Object.keys(rendered).length > 0) defaultConfiguration.accessControl = rendered;
    }
    if (Object.keys(defaultConfiguration).length > 0) {
      doc.ComponentConfiguration = { DefaultConfiguration: defaultConfiguration };
    }

    let dependencyComponents: IComponent[] = [];
    if (options.dependencies && Object.keys(options.dependencies).length > 0) {
      const typed = renderTypedDependencies(options.dependencies, 'dependencies', DependencyType.HARD);
      doc.ComponentDependencies = typed.rendered;
      dependencyComponents = typed.components;
      problems.push(...typed.problems, ...dependencyProblems(typed.rendered, 'dependencies'));
    }

    if (options.manifests.length === 0) {
      problems.push('manifests is empty: pass at least one manifest, for example { platform: Platform.all(), lifecycle: { run: LifecycleStep.script(\'...\') } }');
    }
    doc.Manifests = options.manifests.map((manifest, i) => {
      const m: Record<string, any> = {};
      if (manifest.name !== undefined) m.Name = manifest.name;
      if (manifest.platform !== undefined) m.Platform = { ...manifest.platform.attributes };
      const lifecycle: Record<string, any> = {};
      const lc = manifest.lifecycle ?? {};
      if (lc.run && lc.startup) {
        problems.push(`manifests[${i}].lifecycle sets both run and startup: keep run for a foreground process or startup for a background one`);
      }
      if (lc.setenv !== undefined) lifecycle.setenv = { ...lc.setenv };
      for (const step of LIFECYCLE_STEPS) {
        if (step === 'setenv') continue;
        const value = (lc as any)[step];
        if (value !== undefined) {
          try {
            lifecycle[step] = value._render(step);
          } catch (e) {
            problems.push(`manifests[${i}].${(e as Error).message}`);
          }
        }
      }
      m.Lifecycle = lifecycle;
      if (manifest.artifacts && manifest.artifacts.length > 0) {
        m.Artifacts = manifest.artifacts.map((typed): ArtifactEntry => ({ typed }));
      }
      return m;
    });

    if (problems.length > 0) {
      throw new Error(`invalid recipe for '${name}': ${problems.join('; ')}`);
    }
    return new Recipe(doc, options.accessControl?.secrets ?? [], false, dependencyComponents);
  }

  /**
   * Imports an existing recipe document (for example parsed from a GDK project's recipe).
   *
   * Keys are accepted in any case and rendered in the case of the recipe reference; keys the library
   * does not know are kept, but a near miss of a recipe key in the recipe's own structures (top level,
   * `ComponentConfiguration`, dependencies, manifests, platforms, artifacts, lifecycle steps) fails here,
   * naming the key it resembles: `Manifest`, `Artifact`, `DefaultConfigration`, `Scirpt`.
   *
   * The rest of the recipe is checked when a `ComponentVersion` uses it; GDK placeholders still in the
   * recipe after the overrides (`{COMPONENT_NAME}`, `COMPONENT_VERSION`, `BUCKET_NAME`, ...) fail then,
   * naming the field and the override to pass.
   *
   * @param recipe the recipe as a JSON object
   */
  public static fromJson(recipe: any, overrides: RecipeOverrides = {}): Recipe {
    const doc = canonicalRecipe(clone(recipe));
    const replaced = applyOverrides(doc, overrides);
    if (Array.isArray(replaced.Manifests)) {
      replaced.Manifests = replaced.Manifests.map((m: any) => {
        if (typeof m === 'object' && m !== null && Array.isArray(m.Artifacts)) {
          return { ...m, Artifacts: m.Artifacts.map((raw: any): ArtifactEntry => ({ raw })) };
        }
        return m;
      });
    }
    return new Recipe(replaced, [], true);
  }

  /**
   * Imports a recipe file, YAML or JSON (by extension: `.json` is JSON, anything else YAML).
   *
   * YAML is read with the core schema, so an unquoted `RecipeFormatVersion: 2020-01-25` stays a string.
   */
  public static fromFile(file: string, overrides: RecipeOverrides = {}): Recipe {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf-8');
    } catch (e) {
      throw new Error(`recipe file '${file}' cannot be read (${(e as Error).message}): pass the path of a recipe.yaml or recipe.json`);
    }
    let parsed: any;
    try {
      parsed = path.extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseRecipeYaml(text);
    } catch (e) {
      throw new Error(`recipe file '${file}' is not valid ${path.extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
    }
    return Recipe.fromJson(parsed, overrides);
  }

  /** @internal */
  public readonly _doc: RecipeDocument;
  /** @internal */
  public readonly _secrets: secretsmanager.ISecret[];
  /**
   * Whether the recipe was imported (`fromJson`, `fromFile`): only imported recipes can hold GDK
   * placeholders or raw artifact URIs, so only they are checked for them.
   * @internal
   */
  public readonly _imported: boolean;
  /**
   * Components given as typed dependencies (`ComponentDependency.component`).
   * @internal
   */
  public readonly _dependencyComponents: IComponent[];

  private constructor(doc: RecipeDocument, secrets: secretsmanager.ISecret[], imported: boolean = false, dependencyComponents: IComponent[] = []) {
    this._doc = doc;
    this._secrets = secrets;
    this._imported = imported;
    this._dependencyComponents = dependencyComponents;
  }

  /**
   * The component name (`ComponentName`), as written (may be a build-time placeholder).
   */
  public get componentName(): string {
    return this._doc.ComponentName;
  }

  /**
   * The component version (`ComponentVersion`) as written, if any.
   */
  public get componentVersion(): string | undefined {
    return this._doc.ComponentVersion;
  }

  /**
   * The recipe exactly as it is sent to Greengrass, in the key case of the recipe reference.
   *
   * Local assets are created in `scope` (a detached stack when omitted); values that are tokens
   * (for example bucket names) stay tokens.
   *
   * @param scope where local artifacts are created
   */
  public toJson(scope?: Construct): any {
    const where = scope ?? new Stack(new App(), 'RecipeToJson');
    return this._bind(where).render();
  }

  /**
   * Binds the recipe's artifacts in a scope.
   * @internal
   */
  public _bind(scope: Construct): BoundRecipe {
    const bound = new Map<Artifact, ArtifactConfig>();
    const artifactUris: string[] = [];
    const configOf = (a: Artifact) => {
      let config = bound.get(a);
      if (!config) {
        config = a.bind(scope);
        bound.set(a, config);
      }
      return config;
    };
    for (const manifest of Array.isArray(this._doc.Manifests) ? this._doc.Manifests : []) {
      for (const entry of Array.isArray(manifest?.Artifacts) ? manifest.Artifacts as ArtifactEntry[] : []) {
        if (entry.typed) {
          configOf(entry.typed);
        } else if (entry.raw && typeof entry.raw === 'object') {
          const uriKey = Object.keys(entry.raw).find((k) => k.toLowerCase() === 'uri');
          const uri = uriKey ? (entry.raw as any)[uriKey] : undefined;
          if (typeof uri === 'string') artifactUris.push(uri);
        }
      }
    }
    // Rendered once: the versioned recipe and the fingerprint document share its values.
    const rendered = renderRecipe(this._doc, (a) => renderArtifact(configOf(a)));
    const fingerprintDocument = renderFingerprintDocument(this._doc, rendered, (a) => renderArtifact(configOf(a), configOf(a).fingerprint));
    const fingerprintText = tokenFreeJson(fingerprintDocument);
    return {
      render: (componentVersion?: string) => withComponentVersion(rendered, componentVersion),
      // Resolving is only needed (and only done) when the recipe holds tokens.
      fingerprintJson: fingerprintText ?? JSON.stringify(Stack.of(scope).resolve(fingerprintDocument)),
      renderedText: (json: Record<string, any>) => versionedRecipeText(json, fingerprintDocument, fingerprintText),
      artifacts: [...bound.values()],
      artifactUris,
    };
  }
}

function replaceDeep(value: any, replace: (s: string) => string): any {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, replace));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(value)) out[replace(k)] = replaceDeep(v, replace);
    return out;
  }
  return value;
}

function applyOverrides(doc: RecipeDocument, overrides: RecipeOverrides): RecipeDocument {
  const { componentName, componentVersion, bucket, publisher } = overrides;
  if (componentName === undefined && componentVersion === undefined && bucket === undefined && publisher === undefined) return doc;
  if (componentName !== undefined && Token.isUnresolved(componentName)) {
    throw new Error('overrides.componentName is a token: pass a literal name, deployments key components by name');
  }
  const bucketName = bucket?.bucketName;
  const values: Record<string, string | undefined> = {
    '{COMPONENT_NAME}': componentName, '{COMPONENT_VERSION}': componentVersion, '{BUCKET_NAME}': bucketName, '{COMPONENT_AUTHOR}': publisher,
  };
  let out = replaceDeep(doc, (s) => s.replace(BUILD_PLACEHOLDERS, (m) => values[m] ?? m));
  if (componentName !== undefined) out.ComponentName = componentName;
  if (componentVersion !== undefined) out.ComponentVersion = componentVersion;
  if (publisher !== undefined) out.ComponentPublisher = publisher;
  if (Array.isArray(out.Manifests)) {
    // GDK's folder of a build's artifacts in the bucket; placeholders where the recipe has no literal value
    const name = typeof out.ComponentName === 'string' ? out.ComponentName : 'COMPONENT_NAME';
    const version = typeof out.ComponentVersion === 'string' ? out.ComponentVersion : 'COMPONENT_VERSION';
    out.Manifests = out.Manifests.map((m: any) => {
      if (typeof m !== 'object' || m === null || !Array.isArray(m.Artifacts)) return m;
      return {
        ...m,
        Artifacts: m.Artifacts.map((a: any) => {
          if (typeof a !== 'object' || a === null || typeof a.URI !== 'string') return a;
          let uri: string = a.URI;
          const bare = bucketName === undefined ? undefined : bareArtifactFileName(uri);
          if (bare !== undefined) {
            uri = `s3://${bucketName}/${name}/${version}/${bare}`;
          } else if (!uri.startsWith('s3://')) {
            return a;
          }
          if (bucketName !== undefined) uri = uri.replace(/^s3:\/\/\{?BUCKET_NAME\}?\//, `s3://${bucketName}/`);
          if (componentName !== undefined) uri = uri.replace(/(^|\/)COMPONENT_NAME(?=\/|$)/g, `$1${componentName}`);
          if (componentVersion !== undefined) uri = uri.replace(/(^|\/)COMPONENT_VERSION(?=\/|$)/g, `$1${componentVersion}`);
          return { ...a, URI: uri };
        }),
      };
    });
  }
  return out;
}
