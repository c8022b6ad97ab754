import { Annotations, ArnFormat, IResource, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as greengrassv2 from 'aws-cdk-lib/aws-greengrassv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ArtifactConfig } from './artifact';
import { ComponentDeploymentBindOptions, ComponentDeploymentConfig, IComponent } from './component';
import { grantArtifactUris, grantS3Object, urisNeedGrants } from './private/artifact-grants';
import { bindDependencies } from '../private/component-dependencies';
import { claimComponentVersion, versionHash } from '../private/component-registry';
import { acknowledgeGrantedWildcards } from '../private/nag';
import { contentFingerprint, contentVersion } from '../private/recipe-hash';
import { componentNameProblem, componentVersionProblem, MAX_RECIPE_BYTES, placeholderProblems, recipeProblems } from './private/recipe-validate';
import { Recipe } from './recipe';

/**
 * A Greengrass component version.
 */
export interface IComponentVersion extends IResource, IComponent {
  /**
   * The ARN of the component version.
   *
   * @attribute
   */
  readonly componentVersionArn: string;
}

/**
 * How a component version's `ComponentVersion` is chosen.
 *
 * CloudFormation cannot change the recipe of a component version: a changed recipe is a new
 * component version, and creating one that already exists fails with ConflictException.
 */
export enum VersioningMode {
  /**
   * The recipe's version followed by a hash of the recipe, of the artifacts' content and of the
   * construct's path in its stack, for example `1.0.0-c3f9a21b07e`: unchanged content keeps its
   * version, changed content gets a new one, and so does a component moved to another construct path
   * (CloudFormation creates it under a new logical ID while the old version is retained), so a
   * deployment never fails with ConflictException. The suffix is a semver prerelease: it sorts below
   * `1.0.0` in version requirements of other components (depend on it with
   * `ComponentDependencyRequirement.exact(component)`).
   */
  CONTENT_HASH = 'CONTENT_HASH',

  /**
   * The recipe's version, unchanged. Bump it whenever the recipe or an artifact changes: deploying
   * changed content under a version that exists fails with ConflictException and CloudFormation rolls
   * the stack back (artifacts uploaded under content-addressed keys are not affected). Bump it too when
   * the construct moves to another path, or keep its logical ID with `overrideLogicalId`: the moved
   * resource is created while the retained old one still holds the version.
   */
  PINNED = 'PINNED',
}

/**
 * Properties of a `ComponentVersion`.
 */
export interface ComponentVersionProps {
  /**
   * The component's recipe.
   */
  readonly recipe: Recipe;

  /**
   * How the version is chosen.
   *
   * @default VersioningMode.CONTENT_HASH
   */
  readonly versioning?: VersioningMode;

  /**
   * What happens to the component version when it leaves the stack. Deployments may still use it,
   * so it is kept by default.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Attributes of a component version defined outside this app.
 */
export interface ComponentVersionAttributes {
  /** The component's name. */
  readonly componentName: string;
  /** The exact component version. */
  readonly componentVersion: string;
  /**
   * The component version's ARN.
   *
   * @default - built from the name and version, in this stack's account and region
   */
  readonly componentVersionArn?: string;
}

abstract class ComponentVersionBase extends Resource implements IComponentVersion {
  public abstract readonly componentVersionArn: string;
  public abstract readonly componentName: string;
  public abstract readonly componentVersion: string;

  public bindToDeployment(_scope: Construct, _options: ComponentDeploymentBindOptions): ComponentDeploymentConfig {
    return {};
  }
}

function validateLiteral(problem: string | undefined) {
  if (problem) throw new Error(problem);
}

/**
 * A component version defined by a recipe (`AWS::GreengrassV2::ComponentVersion`).
 *
 * Its artifacts are uploaded as CDK assets or referenced where they are; a deployment that includes it
 * grants the devices' role read access to exactly those artifacts.
 */
export class ComponentVersion extends ComponentVersionBase {
  /**
   * Imports a component version by ARN (`arn:aws:greengrass:region:account:components:name:versions:version`).
   */
  public static fromComponentVersionArn(scope: Construct, id: string, componentVersionArn: string): IComponentVersion {
    if (Token.isUnresolved(componentVersionArn)) {
      throw new Error('componentVersionArn is a token: use ComponentVersion.fromComponentVersionAttributes with a literal componentName and componentVersion');
    }
    const match = /^arn:[^:]+:greengrass:[^:]*:[^:]*:components:([^:]+):versions:([^:]+)$/.exec(componentVersionArn);
    if (!match) {
      throw new Error(`componentVersionArn '${componentVersionArn}' is not a component version ARN: pass 'arn:aws:greengrass:<region>:<account>:components:<name>:versions:<version>'`);
    }
    return ComponentVersion.fromComponentVersionAttributes(scope, id, {
      componentName: match[1],
      componentVersion: match[2],
      componentVersionArn,
    });
  }

  /**
   * Imports a component version by name and version.
   */
  public static fromComponentVersionAttributes(scope: Construct, id: string, attrs: ComponentVersionAttributes): IComponentVersion {
    validateLiteral(componentNameProblem(attrs.componentName, 'componentName', true));
    validateLiteral(componentVersionProblem(attrs.componentVersion, 'componentVersion'));
    class Import extends ComponentVersionBase {
      public readonly componentName = attrs.componentName;
      public readonly componentVersion = attrs.componentVersion;
      public readonly componentVersionArn = attrs.componentVersionArn ?? Stack.of(scope).formatArn({
        service: 'greengrass',
        resource: 'components',
        resourceName: `${attrs.componentName}:versions:${attrs.componentVersion}`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    }
    return new Import(scope, id);
  }

  /** The component's name (a literal: deployments key components by name). */
  public readonly componentName: string;
  /**
   * The component version, as a CloudFormation attribute, so that resources using it are created
   * after it.
   */
  public readonly componentVersion: string;
  /**
   * The component version written into the recipe, as a literal string.
   */
  public readonly recipeVersion: string;
  /**
   * The recipe as sent to Greengrass (values may contain tokens).
   */
  public readonly recipeJson: any;
  /** The recipe. */
  public readonly recipe: Recipe;
  /**
   * The version requirement of each dependency, by component name.
   * @internal
   */
  public readonly _dependencyRequirements: Record<string, string>;

  private readonly artifactConfigs: ArtifactConfig[];
  private readonly artifactUris: string[];
  private readonly secrets: secretsmanager.ISecret[];
  private readonly resource: greengrassv2.CfnComponentVersion;
  private arnToken?: string;

  constructor(scope: Construct, id: string, props: ComponentVersionProps) {
    super(scope, id);
    this.recipe = props.recipe;
    const bound = props.recipe._bind(this);
    const versioning = props.versioning ?? VersioningMode.CONTENT_HASH;

    if (props.recipe._imported) {
      // Only imported recipes can hold GDK placeholders (typed recipes check their names and versions).
      const placeholders = placeholderProblems(props.recipe._doc);
      if (placeholders.length > 0) {
        throw new Error(`invalid recipe for component '${props.recipe.componentName}': ${placeholders.join('; ')}`);
      }
    }
    const written = props.recipe.componentVersion;
    let version: string;
    const hash = contentFingerprint([bound.fingerprintJson]);
    if (versioning === VersioningMode.PINNED) {
      validateLiteral(componentVersionProblem(written, 'recipe ComponentVersion (versioning: PINNED)'));
      version = written!;
    } else {
      // A missing version gets base 1.0.0; any invalid one fails (a placeholder never becomes a version).
      if (written !== undefined) validateLiteral(componentVersionProblem(written, 'recipe ComponentVersion (the base of the content-hash version)'));
      version = contentVersion(written ?? '1.0.0', versionHash(this, hash));
    }

    claimComponentVersion(this, props.recipe.componentName, version, versioning === VersioningMode.PINNED ? `version:${version}` : `content:${hash}`);
    const json = bound.render(version);
    const problems = recipeProblems(json);
    if (problems.errors.length > 0) {
      throw new Error(`invalid recipe for component '${json.ComponentName}': ${problems.errors.join('; ')}`);
    }
    for (const warning of problems.warnings) {
      Annotations.of(this).addWarningV2('cdk-greengrass-v2:recipe', warning);
    }
    // A recipe without tokens is rendered once, here; one with tokens is rendered at synthesis.
    const text = bound.renderedText(json);
    const rendered = text ?? JSON.stringify(json);
    // UTF-8 takes at most 3 bytes per UTF-16 code unit: only longer texts need counting.
    const bytes = rendered.length * 3 <= MAX_RECIPE_BYTES ? rendered.length : Buffer.byteLength(rendered, 'utf-8');
    if (bytes > MAX_RECIPE_BYTES) {
      throw new Error(`recipe of component '${json.ComponentName}' is ${bytes} bytes rendered, more than the ${MAX_RECIPE_BYTES} bytes Greengrass accepts: move large scripts into artifacts or configuration defaults into a file`);
    }

    const resource = new greengrassv2.CfnComponentVersion(this, 'Resource', {
      inlineRecipe: text ?? Stack.of(this).toJsonString(json),
    });
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    resource.addMetadata('cdk-greengrass-v2:contentHash', hash);

    this.recipeJson = json;
    const deps = json.ComponentDependencies;
    this._dependencyRequirements = deps !== null && typeof deps === 'object' && !Array.isArray(deps)
      ? Object.fromEntries(Object.entries(deps).map(([n, d]: [string, any]) => [n, d?.VersionRequirement])) : {};
    this.componentName = json.ComponentName;
    this.recipeVersion = version;
    this.componentVersion = resource.attrComponentVersion;
    this.resource = resource;
    this.artifactConfigs = bound.artifacts;
    // Typed artifacts known by URI only (Artifact.fromUri) are granted from their URI, like imported ones.
    this.artifactUris = [...bound.artifactUris, ...bound.artifacts.filter((a) => !a.bucket && !a.repository).map((a) => a.uri)];
    this.secrets = props.recipe._secrets;
  }

  /**
   * The ARN of the component version.
   *
   * @attribute
   */
  public get componentVersionArn(): string {
    // Created on first use (most apps never read it), then always the same token.
    this.arnToken ??= this.resource.attrArn;
    return this.arnToken;
  }

  /**
   * Grants the devices' role read access to this component's artifacts in S3 and Amazon ECR and to
   * the secrets its access control reads.
   */
  public bindToDeployment(scope: Construct, options: ComponentDeploymentBindOptions): ComponentDeploymentConfig {
    // Components given as typed dependencies: the nucleus installs them from the cloud.
    const config = this.recipe._dependencyComponents.length > 0 ? bindDependencies(scope, options, this.recipe._dependencyComponents) : {};
    const needsRole = this.artifactConfigs.some((a) => a.bucket || a.repository)
      || urisNeedGrants(this.artifactUris)
      || this.secrets.length > 0;
    if (!needsRole) return config;
    const role = options.deviceRole;
    if (!role) {
      throw new Error(`component '${this.componentName}' has artifacts in S3 or Amazon ECR (or reads secrets) that its devices must be allowed to download, but the deployment knows no device role: pass \`deviceRole\` to the Deployment or target a CoreDevice/fleet defined with this library`);
    }
    this.grantRead(role);
    return config;
  }

  /**
   * Grants a role read access to this component's artifacts and secrets.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const statements: iam.Grant[] = [];
    for (const a of this.artifactConfigs) {
      if (a.bucket && a.objectKey !== undefined) statements.push(grantS3Object(grantee, a.bucket, a.objectKey));
      if (a.repository) statements.push(a.repository.grantPull(grantee));
    }
    statements.push(...grantArtifactUris(grantee, this.artifactUris, this));
    if (this.artifactConfigs.some((a) => a.repository) || statements.some((g) => g.principalStatements.some((s) => s.actions.includes('ecr:GetAuthorizationToken')))) {
      acknowledgeGrantedWildcards(grantee, ['*'], 'ecr:GetAuthorizationToken has no resource type: IAM allows it only on *; the devices pull '
        + `the images of component ${this.componentName} with it, and the pull actions are granted on their repositories only`);
    }
    for (const secret of this.secrets) statements.push(secret.grantRead(grantee));
    return statements.reduce((acc, g) => acc.combine(g), iam.Grant.drop(grantee, 'no artifacts'));
  }
}
