import { Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import * as semver from 'semver';
import type { ComponentDeploymentBindOptions, ComponentDeploymentConfig, IComponent } from '../component/component';

/**
 * The version of a component known at synth: its `componentVersion` when it is a literal, else the
 * literal version written into its recipe (`recipeVersion` of the component versions this library
 * creates, whose `componentVersion` is a CloudFormation attribute).
 */
export function knownComponentVersion(component: IComponent): string | undefined {
  if (!Token.isUnresolved(component.componentVersion)) return component.componentVersion;
  const recipeVersion = (component as { recipeVersion?: unknown }).recipeVersion;
  return typeof recipeVersion === 'string' && !Token.isUnresolved(recipeVersion) ? recipeVersion : undefined;
}

/** A component version as errors print it: the literal version, or where it comes from. */
export function describeComponentVersion(component: IComponent): string {
  const version = knownComponentVersion(component);
  return version !== undefined ? `'${version}'` : '(a version known at deploy time only)';
}

/** A typed dependency as `Recipe.of` and `LambdaComponentVersion` take it. */
export interface TypedDependency {
  readonly versionRequirement?: string;
  readonly dependencyType?: string;
  readonly component?: IComponent;
}

/**
 * Renders typed dependencies as `ComponentDependencies` (canonical keys). A dependency given as a
 * `component` requires exactly that component's version; the components are returned too, so that a
 * deployment of the depending component grants what they need (the nucleus installs them).
 */
export function renderTypedDependencies(deps: Record<string, TypedDependency>, prop: string, defaultType: string)
  : { rendered: Record<string, { VersionRequirement: string; DependencyType: string }>; components: IComponent[]; problems: string[] } {
  const rendered: Record<string, { VersionRequirement: string; DependencyType: string }> = {};
  const components: IComponent[] = [];
  const problems: string[] = [];
  for (const [name, dep] of Object.entries(deps)) {
    let requirement = dep.versionRequirement ?? '>=0.0.0';
    if (dep.component !== undefined) {
      const c = dep.component;
      const version = knownComponentVersion(c);
      if (!Token.isUnresolved(c.componentName) && c.componentName !== name) {
        problems.push(`${prop}.${name}.component is '${c.componentName}': key the dependency by the component's name, '${c.componentName}'`);
      } else if (version === undefined) {
        problems.push(`${prop}.${name}.component has a version known at deploy time only: pass a component whose version is known at synth (a ComponentVersion of this app, or ComponentVersion.fromComponentVersionAttributes)`);
      } else if (dep.versionRequirement === undefined) {
        requirement = version;
      } else if (semver.validRange(dep.versionRequirement) !== null && !semver.satisfies(version, dep.versionRequirement)) {
        problems.push(`${prop}.${name}.versionRequirement '${dep.versionRequirement}' does not include the component's version '${version}'`
          + `${semver.prerelease(version) ? ' (a content-hash version is a prerelease, which no range of release versions matches)' : ''}: leave versionRequirement out to require exactly '${version}'`);
      }
      components.push(c);
    }
    rendered[name] = { VersionRequirement: requirement, DependencyType: dep.dependencyType ?? defaultType };
  }
  return { rendered, components, problems };
}

/**
 * Why a component of a deployment cannot have its dependency resolved: `requirement` of `dependant`
 * on `name`, against `version`, the one version the deployment installs (or the library knows).
 */
export function unsatisfiedDependency(requirement: unknown, version: string): boolean {
  if (typeof requirement !== 'string' || Token.isUnresolved(requirement) || semver.validRange(requirement) === null) return false;
  if (semver.valid(version) === null) return false;
  return !semver.satisfies(version, requirement);
}

/**
 * Binds the components a component depends on (typed dependencies) to the deployment that includes it:
 * the nucleus installs them from the cloud, so the devices' role gets what they need, and the deployment
 * is created after them. Returns what they bring along.
 */
export function bindDependencies(scope: IConstruct, options: ComponentDeploymentBindOptions, components: IComponent[]): ComponentDeploymentConfig {
  const brought: IComponent[] = [];
  for (const c of components) {
    if (Construct.isConstruct(c)) scope.node.addDependency(c);
    brought.push(...(c.bindToDeployment(scope as any, options)?.components ?? []));
  }
  return brought.length > 0 ? { components: brought } : {};
}
