import { Annotations, Duration, IResource, Names, Resource, Size, Token } from 'aws-cdk-lib';
import { CfnDeployment } from 'aws-cdk-lib/aws-greengrassv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import * as semver from 'semver';
import { DeploymentCompletion } from './completion/deployment-completion';
import { ComponentDeploymentOptions, RunWith } from './component-options';
import { AbortCriterion, Rollout } from './iot-job';
import { ComponentUpdatePolicy, FailureHandling } from './policies';
import { claimTarget, targetKeyOf } from '../private/deployment-registry';
import { checkDuration, checkJsonPointer, MAX_INT32 } from './private/deployment-validate';
import { IDeploymentTarget } from './target';
import { IComponent } from '../component/component';
import { renderComponent, renderPolicies } from './private/deployment-render';
import { describeComponentVersion, knownComponentVersion, unsatisfiedDependency } from '../private/component-dependencies';
import { componentVersionsNamed } from '../private/component-registry';
import { renderIotJobConfiguration } from '../private/iot-job-render';

/**
 * A Greengrass V2 deployment.
 */
export interface IDeployment extends IResource {
  /**
   * The ID of the deployment.
   *
   * @attribute
   */
  readonly deploymentId: string;
}

/**
 * Properties of a `Deployment`.
 */
export interface DeploymentProps {
  /**
   * The thing or thing group the deployment goes to. Greengrass keeps one deployment per
   * target: each target may have only one `Deployment` in the app.
   *
   * @see DeploymentTarget
   */
  readonly target: IDeploymentTarget;

  /**
   * The name of the deployment (1 to 256 characters).
   *
   * @default - a name derived from the construct path
   */
  readonly deploymentName?: string;

  /**
   * Components to install with default options. Use `addComponent()` to set a component's
   * configuration or run-with options.
   *
   * @default - none; add them with `addComponent()`
   */
  readonly components?: IComponent[];

  /**
   * The role the target's core devices assume through the token exchange service, used when
   * the target does not know it. Components grant it what they need (for example read access
   * to their artifacts).
   *
   * @default - the target's `deviceRole`
   */
  readonly deviceRole?: iam.IRole;

  /**
   * What a device does when the deployment fails on it.
   *
   * @default FailureHandling.ROLLBACK
   */
  readonly failureHandling?: FailureHandling;

  /**
   * Whether running components are notified, and may defer the update, before they are updated.
   *
   * @default - ComponentUpdatePolicy.notifyComponents() with a 60-second timeout
   */
  readonly componentUpdatePolicy?: ComponentUpdatePolicy;

  /**
   * How long each component may take to validate a configuration update (whole seconds, at
   * least 1 second).
   *
   * @default Duration.seconds(30)
   */
  readonly configurationValidationTimeout?: Duration;

  /**
   * How fast the deployment reaches the devices of a thing group.
   *
   * @default - the IoT jobs default rate
   */
  readonly rollout?: Rollout;

  /**
   * When to cancel the deployment because it fails on too many devices.
   *
   * @default - the deployment is never cancelled automatically
   */
  readonly abortCriteria?: AbortCriterion[];

  /**
   * How long each device has to complete the deployment once it started it, in whole
   * minutes from 1 minute to 7 days; devices that take longer count as `TIMED_OUT`.
   *
   * @default - no timeout
   */
  readonly inProgressTimeout?: Duration;

  /**
   * Tags of the deployment (at most 200; keys 1 to 128 characters, values at most 256).
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };

  /**
   * Whether `cdk deploy` waits until the deployment reached enough devices (and fails with a
   * summary otherwise), and what deleting or replacing the deployment does.
   *
   * @default - no wait: the stack is done once the deployment exists; CloudFormation's own handling on deletion
   */
  readonly completion?: DeploymentCompletion;
}

abstract class DeploymentBase extends Resource implements IDeployment {
  public abstract readonly deploymentId: string;
}

interface ComponentEntry {
  readonly component: IComponent;
  options?: ComponentDeploymentOptions;
}

const TARGET_ARN_RE = /^arn:[^:]*:iot:[^:]*:[0-9]+:(thing|thinggroup)\/.+$/;
const DEPLOYMENT_SYMBOL = Symbol.for('cdk-greengrass-v2.Deployment');

/**
 * A Greengrass V2 deployment: a set of component versions, with their configuration, that
 * a thing or thing group runs, and how the IoT job behind it rolls out.
 *
 * @resource AWS::GreengrassV2::Deployment
 */
export class Deployment extends DeploymentBase {
  /**
   * Refers to an existing deployment by its ID.
   */
  public static fromDeploymentId(scope: Construct, id: string, deploymentId: string): IDeployment {
    class Import extends DeploymentBase {
      public readonly deploymentId = deploymentId;
    }
    return new Import(scope, id);
  }

  /**
   * Whether `x` is a `Deployment` of this library.
   */
  public static isDeployment(x: any): x is Deployment {
    return x !== null && typeof x === 'object' && DEPLOYMENT_SYMBOL in x;
  }

  /** @attribute */
  public get deploymentId(): string {
    // Created on first use (most apps never read it), then always the same token.
    this.deploymentIdToken ??= this.resource.attrDeploymentId;
    return this.deploymentIdToken;
  }

  /** The name of the deployment. */
  public readonly deploymentName: string;

  /** The thing or thing group the deployment goes to. */
  public readonly target: IDeploymentTarget;

  /**
   * The role of the target's core devices that components are granted to.
   *
   * @default - unknown
   */
  public readonly deviceRole?: iam.IRole;

  /**
   * How fast the deployment reaches the devices.
   *
   * @default - the IoT jobs default rate
   */
  public readonly rollout?: Rollout;

  /** When the deployment is cancelled because it fails on too many devices (may be empty). */
  public readonly abortCriteria: AbortCriterion[];

  /**
   * How long each device has to complete the deployment.
   *
   * @default - no timeout
   */
  public readonly inProgressTimeout?: Duration;

  /**
   * What a device does when the deployment fails on it.
   *
   * @default - FailureHandling.ROLLBACK (the service default)
   */
  public readonly failureHandling?: FailureHandling;

  /**
   * Whether components are notified before they are updated.
   *
   * @default - notified, with a 60-second timeout (the service default)
   */
  public readonly componentUpdatePolicy?: ComponentUpdatePolicy;

  /**
   * How long each component may take to validate a configuration update.
   *
   * @default - 30 seconds (the service default)
   */
  public readonly configurationValidationTimeout?: Duration;

  private readonly resource: CfnDeployment;
  private readonly entries = new Map<string, ComponentEntry>();
  private readonly boundLibraries = new Set<IComponent>();
  private dependenciesChecked = false;
  /** The `Components` property, rendered entry by entry as components are added. */
  private renderedComponents?: { [name: string]: CfnDeployment.ComponentDeploymentSpecificationProperty };
  private deploymentIdToken?: string;

  constructor(scope: Construct, id: string, props: DeploymentProps) {
    super(scope, id);

    this.target = props.target;
    const targetArn = props.target.targetArn;
    if (!Token.isUnresolved(targetArn) && !TARGET_ARN_RE.test(targetArn)) {
      throw new Error(`target: targetArn must be an IoT thing or thing group ARN (arn:<partition>:iot:<region>:<account>:thing/<name> or ...:thinggroup/<name>), got '${targetArn}': build the target with DeploymentTarget.fromThingGroupName(), fromThingName() or their ARN variants`);
    }
    this.claimTarget();

    if (props.target.deviceRole && props.deviceRole && props.target.deviceRole !== props.deviceRole) {
      Annotations.of(this).addWarningV2('cdk-greengrass-v2:deploymentDeviceRoleIgnored',
        'deviceRole is ignored because the target has its own device role: components are granted to the target\'s role. Remove deviceRole from the deployment props.');
    }
    this.deviceRole = props.target.deviceRole ?? props.deviceRole;

    this.deploymentName = props.deploymentName ?? Names.uniqueResourceName(this, { maxLength: 256, separator: '-' });
    if (!Token.isUnresolved(this.deploymentName) && (this.deploymentName.length < 1 || this.deploymentName.length > 256)) {
      throw new Error(`deploymentName must be 1 to 256 characters, got ${this.deploymentName.length}: shorten it or leave it out for a generated name`);
    }

    // Deployment policies.
    this.failureHandling = props.failureHandling;
    this.componentUpdatePolicy = props.componentUpdatePolicy;
    this.configurationValidationTimeout = props.configurationValidationTimeout;
    const validationSeconds = props.configurationValidationTimeout === undefined ? undefined
      : checkDuration('configurationValidationTimeout', props.configurationValidationTimeout, 'seconds', 1, MAX_INT32);

    // IoT job configuration.
    this.rollout = props.rollout;
    this.abortCriteria = [...(props.abortCriteria ?? [])];
    this.inProgressTimeout = props.inProgressTimeout;
    const timeoutMinutes = props.inProgressTimeout === undefined ? undefined
      : checkDuration('inProgressTimeout', props.inProgressTimeout, 'minutes', 1, 7 * 24 * 60);

    validateTags(props.tags);

    this.resource = new CfnDeployment(this, 'Resource', {
      targetArn,
      deploymentName: this.deploymentName,
      deploymentPolicies: renderPolicies(this.failureHandling, this.componentUpdatePolicy, this.configurationValidationTimeout, validationSeconds),
      iotJobConfiguration: renderIotJobConfiguration(this.rollout, this.abortCriteria, this.inProgressTimeout, timeoutMinutes),
      tags: props.tags,
    });
    props.completion?.bind(this, {
      deploymentId: this.deploymentId,
      target: this.target,
      deploymentName: this.deploymentName,
      deploymentResource: this.resource,
    });

    for (const component of props.components ?? []) {
      this.addComponent(component);
    }
  }

  /**
   * The components the deployment installs: those added and those they brought along.
   */
  public get components(): IComponent[] {
    return [...this.entries.values()].map((e) => e.component);
  }

  /**
   * Adds a component to the deployment, with how it is configured and run.
   *
   * The component is bound once: it grants the device role what it needs and may bring
   * other components along (for example Stream Manager). A deployment installs one version
   * of each component: adding another version of a component already present fails.
   */
  public addComponent(component: IComponent, options?: ComponentDeploymentOptions): void {
    const name = component.componentName;
    if (Token.isUnresolved(name)) {
      throw new Error(`addComponent: componentName must be known at synth time, got a token (${name}): Greengrass keys a deployment's components by name; import the component with its name (for example ComponentVersion.fromComponentVersionAttributes)`);
    }
    if (options) {
      validateOptions(name, options);
    }
    const existing = this.entries.get(name);
    if (existing) {
      const known = [knownComponentVersion(existing.component), knownComponentVersion(component)];
      const same = known[0] !== undefined && known[1] !== undefined
        ? known[0] === known[1] : existing.component.componentVersion === component.componentVersion;
      if (!same) {
        throw new Error(`addComponent: the deployment already includes '${name}' version ${describeComponentVersion(existing.component)}, got version ${describeComponentVersion(component)}: a deployment installs one version of each component; add only one of them (components also bring their dependencies along, such as aws.greengrass.StreamManager)`);
      }
      if (options) {
        if (existing.options) {
          throw new Error(`addComponent: '${name}' was already added with options: pass all its configuration and run-with options in one addComponent call`);
        }
        existing.options = options;
        this.renderEntry(name, existing);
      }
      return;
    }
    const entry: ComponentEntry = { component, options };
    this.entries.set(name, entry);
    this.renderEntry(name, entry);
    const config = component.bindToDeployment(this, { deviceRole: this.deviceRole });
    for (const other of config?.components ?? []) {
      this.addComponent(other);
    }
    this.bindLibraries(component);
    if (!this.dependenciesChecked) {
      this.dependenciesChecked = true;
      this.node.addValidation({ validate: () => this.dependencyProblems() });
    }
  }

  /**
   * Binds the component versions of this app that a component's dependencies (by name) resolve to
   * while the deployment does not include them: the nucleus installs them from the cloud, so the
   * devices' role needs what they need (their artifacts). The highest version that satisfies the
   * requirement is the one the nucleus picks.
   */
  private bindLibraries(component: IComponent): void {
    const requirements = dependencyRequirementsOf(component);
    for (const [depName, requirement] of Object.entries(requirements)) {
      if (this.entries.has(depName) || typeof requirement !== 'string' || Token.isUnresolved(requirement)) continue;
      const candidates = componentVersionsNamed(this, depName).filter((c) => !unsatisfiedDependency(requirement, c.version));
      const best = candidates.sort((a, b) => semver.rcompare(a.version, b.version))[0];
      const library = best?.construct as unknown as IComponent | undefined;
      if (!library || this.boundLibraries.has(library) || typeof library.bindToDeployment !== 'function') continue;
      this.boundLibraries.add(library);
      this.node.addDependency(best.construct);
      const config = library.bindToDeployment(this, { deviceRole: this.deviceRole });
      for (const other of config?.components ?? []) this.addComponent(other);
      this.bindLibraries(library);
    }
  }

  /**
   * Dependencies no device could resolve: a requirement that the version this deployment installs of
   * the dependency does not satisfy, or, for a dependency the deployment does not include, that no
   * version this app creates of it satisfies.
   */
  private dependencyProblems(): string[] {
    const problems: string[] = [];
    for (const { component } of this.entries.values()) {
      for (const [depName, requirement] of Object.entries(dependencyRequirementsOf(component))) {
        const who = `component '${component.componentName}' version ${describeComponentVersion(component)} requires '${depName}' '${requirement}'`;
        const installed = this.entries.get(depName)?.component;
        const versions = installed !== undefined
          ? [knownComponentVersion(installed)].filter((v): v is string => v !== undefined)
          : componentVersionsNamed(this, depName).map((c) => c.version);
        if (versions.length === 0 || versions.some((v) => !unsatisfiedDependency(requirement, v))) continue;
        const prerelease = versions.find((v) => semver.prerelease(v) !== null);
        const hint = prerelease === undefined ? ''
          : ` ('${prerelease}' is a content-hash version: a prerelease, which ranges of release versions never match; depend on the component with \`dependencies: { '${depName}': { component } }\` to require its exact version)`;
        problems.push(installed !== undefined
          ? `${who}, but deployment '${this.node.path}' installs '${depName}' version '${versions[0]}': every device would fail to resolve the dependency${hint}. Change the requirement to include '${versions[0]}' or deploy a version it includes`
          : `${who}, but the only version${versions.length > 1 ? 's' : ''} of '${depName}' this app creates in this account and region ${versions.length > 1 ? 'are' : 'is'} ${versions.map((v) => `'${v}'`).join(', ')}: every device of deployment '${this.node.path}' would fail to resolve the dependency${hint}. Change the requirement or the version of '${depName}'`);
      }
    }
    return problems;
  }

  /**
   * Renders one entry into the `Components` property when it is added (or gets its options), so
   * that the property is plain data, as written by hand, rather than a value produced at synthesis.
   * Entries keep the order in which components were first added.
   */
  private renderEntry(name: string, entry: ComponentEntry): void {
    if (!this.renderedComponents) {
      this.renderedComponents = {};
      this.resource.components = this.renderedComponents;
    }
    this.renderedComponents[name] = renderComponent(this, entry);
  }

  private claimTarget(): void {
    const { key, label } = targetKeyOf(this.target);
    const existing = claimTarget(this, key);
    if (existing) {
      throw new Error(`deployments '${existing.node.path}' and '${this.node.path}' both target ${label}: Greengrass keeps one deployment per thing or thing group, so the later one would replace the other. Use one Deployment for that target and add every component to it (addComponent), or target different thing groups`);
    }
  }
}

// Marks every instance (see isDeployment), as a property of the prototype rather than of each instance.
Object.defineProperty(Deployment.prototype, DEPLOYMENT_SYMBOL, { value: true });

/** The version requirements of a component's dependencies, by name (components of this library only). */
function dependencyRequirementsOf(component: IComponent): Record<string, unknown> {
  return (component as { _dependencyRequirements?: Record<string, unknown> })._dependencyRequirements ?? {};
}

function validateOptions(name: string, options: ComponentDeploymentOptions): void {
  const prefix = `addComponent '${name}'`;
  const merge = options.configurationMerge;
  if (merge !== undefined && !Token.isUnresolved(merge)) {
    if (merge === null || typeof merge !== 'object' || Array.isArray(merge)) {
      throw new Error(`${prefix}: configurationMerge must be an object of configuration keys, got ${JSON.stringify(merge)}: for example { interval: 10 }`);
    }
    const length = JSON.stringify(merge).length;
    if (length > 10485760) {
      throw new Error(`${prefix}: configurationMerge must render to at most 10485760 characters of JSON, got ${length}: deliver large data as an artifact instead`);
    }
  }
  for (const pointer of options.configurationReset ?? []) {
    checkJsonPointer(`${prefix}: configurationReset`, pointer);
  }
  if (options.runWith) {
    validateRunWith(prefix, options.runWith);
  }
}

function validateRunWith(prefix: string, runWith: RunWith): void {
  const posix = runWith.posixUser;
  if (posix !== undefined && !Token.isUnresolved(posix) && !/^[^:\s]+(:[^:\s]+)?$/.test(posix)) {
    throw new Error(`${prefix}: runWith.posixUser must be 'user' or 'user:group', got '${posix}': for example 'ggc_user:ggc_group'`);
  }
  const windows = runWith.windowsUser;
  if (windows !== undefined && !Token.isUnresolved(windows) && windows.trim().length === 0) {
    throw new Error(`${prefix}: runWith.windowsUser must be a Windows user name, got '${windows}': leave it out to use the user configured on the nucleus`);
  }
  const limits = runWith.systemResourceLimits;
  if (limits?.memory !== undefined) {
    checkMemory(prefix, limits.memory);
  }
  const cpus = limits?.cpus;
  if (cpus !== undefined && !Token.isUnresolved(cpus) && !(Number.isFinite(cpus) && cpus > 0)) {
    throw new Error(`${prefix}: runWith.systemResourceLimits.cpus must be more than 0, got ${cpus}: it is a number of CPU cores, for example 0.5 for half a core`);
  }
}

function checkMemory(prefix: string, memory: Size): void {
  if (memory.isUnresolved()) {
    // A token size can only be rendered in the unit it was written in.
    try {
      memory.toKibibytes();
    } catch {
      throw new Error(`${prefix}: runWith.systemResourceLimits.memory comes from a token, so it must be written as Size.kibibytes(...), got a token written in another unit: the service takes kibibytes`);
    }
    return;
  }
  const bytes = memory.toBytes();
  if (bytes % 1024 !== 0 || bytes < 1024) {
    throw new Error(`${prefix}: runWith.systemResourceLimits.memory must be a whole number of kibibytes, at least 1 KiB, got ${bytes} bytes: for example Size.mebibytes(512)`);
  }
}

function validateTags(tags?: { [key: string]: string }): void {
  if (!tags) {
    return;
  }
  const keys = Object.keys(tags);
  if (keys.length > 200) {
    throw new Error(`tags may hold at most 200 tags, got ${keys.length}: remove some`);
  }
  for (const key of keys) {
    if (!Token.isUnresolved(key) && (key.length < 1 || key.length > 128)) {
      throw new Error(`tags: keys must be 1 to 128 characters, got '${key}' (${key.length} characters): shorten the key`);
    }
    const value = tags[key];
    if (!Token.isUnresolved(value) && value.length > 256) {
      throw new Error(`tags: values must be at most 256 characters, got ${value.length} characters for tag '${key}': shorten the value`);
    }
  }
}
