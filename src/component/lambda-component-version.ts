import { Duration, RemovalPolicy, Resource, Size, SizeRoundingBehavior, Stack, Token } from 'aws-cdk-lib';
import * as greengrassv2 from 'aws-cdk-lib/aws-greengrassv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ComponentDeploymentBindOptions, ComponentDeploymentConfig, IComponent } from './component';
import { IComponentVersion, VersioningMode } from './component-version';
import { Platform } from './platform';
import { bindDependencies, renderTypedDependencies } from '../private/component-dependencies';
import { claimComponentVersion, versionHash } from '../private/component-registry';
import { contentFingerprint, contentVersion } from '../private/recipe-hash';
import { componentNameProblem, componentVersionProblem, dependencyProblems } from './private/recipe-validate';
import { ComponentDependency, DependencyType } from './recipe';

/**
 * Where a Lambda function component receives work messages from.
 */
export enum LambdaEventSourceType {
  /** Local publish/subscribe (no MQTT wildcards). */
  PUB_SUB = 'PUB_SUB',
  /** AWS IoT Core MQTT (wildcards `+` and `#` allowed). */
  IOT_CORE = 'IOT_CORE',
}

/**
 * A topic a Lambda function component subscribes to.
 */
export interface LambdaEventSource {
  /** The topic. */
  readonly topic: string;
  /** The kind of topic. */
  readonly type: LambdaEventSourceType;
}

/**
 * How the function's process is isolated.
 */
export enum LambdaIsolationMode {
  /** In a Greengrass container. */
  GREENGRASS_CONTAINER = 'GreengrassContainer',
  /** As a regular process. */
  NO_CONTAINER = 'NoContainer',
}

/**
 * Read-only or read-write access.
 */
export enum LambdaFilesystemPermission {
  /** Read only. */
  READ_ONLY = 'ro',
  /** Read and write. */
  READ_WRITE = 'rw',
}

/**
 * The encoding of the function's input payload.
 */
export enum LambdaInputPayloadEncoding {
  /** JSON. */
  JSON = 'json',
  /** Binary. */
  BINARY = 'binary',
}

/**
 * A folder of the device mounted into the function's container.
 */
export interface LambdaVolume {
  /** The folder on the device. */
  readonly sourcePath: string;
  /** The path inside the container. */
  readonly destinationPath: string;
  /**
   * Access to the folder.
   * @default LambdaFilesystemPermission.READ_ONLY
   */
  readonly permission?: LambdaFilesystemPermission;
  /**
   * Add the function's system group as owner of the folder.
   * @default false
   */
  readonly addGroupOwner?: boolean;
}

/**
 * A device file mounted into the function's container.
 */
export interface LambdaDevice {
  /** The device's path, for example `/dev/video0`. */
  readonly path: string;
  /**
   * Access to the device.
   * @default LambdaFilesystemPermission.READ_ONLY
   */
  readonly permission?: LambdaFilesystemPermission;
  /**
   * Add the function's system group as owner of the device.
   * @default false
   */
  readonly addGroupOwner?: boolean;
}

/**
 * Properties of a `LambdaComponentVersion`.
 */
export interface LambdaComponentVersionProps {
  /**
   * The function version to run (`fn.currentVersion` or a `lambda.Version`). Greengrass refuses
   * aliases and `$LATEST`.
   */
  readonly function: lambda.IVersion;

  /** The component's name. */
  readonly componentName: string;

  /**
   * The component version (with `VersioningMode.CONTENT_HASH`, the base of the derived version).
   * @default '1.0.0'
   */
  readonly componentVersion?: string;

  /**
   * How the version is chosen.
   * @default VersioningMode.CONTENT_HASH
   */
  readonly versioning?: VersioningMode;

  /**
   * The platforms the component supports (Linux only, for Lambda functions).
   * @default - any Linux platform Greengrass supports
   */
  readonly platforms?: Platform[];

  /**
   * Components this one depends on.
   * @default - none
   */
  readonly dependencies?: { [componentName: string]: ComponentDependency };

  /**
   * Topics whose messages run the function.
   * @default - none
   */
  readonly eventSources?: LambdaEventSource[];

  /**
   * Messages queued for the function.
   * @default 1000
   */
  readonly maxQueueSize?: number;

  /**
   * Instances of a non-pinned function that can run at once.
   * @default 100
   */
  readonly maxInstancesCount?: number;

  /**
   * How long a non-pinned function may idle before it is stopped; whole seconds.
   * @default Duration.seconds(60)
   */
  readonly maxIdleTime?: Duration;

  /**
   * How long the function may process one work item; whole seconds.
   * @default Duration.seconds(3)
   */
  readonly timeout?: Duration;

  /**
   * How often a pinned function reports its status; whole seconds.
   * @default Duration.seconds(60)
   */
  readonly statusTimeout?: Duration;

  /**
   * Whether the function is long-lived (starts with Greengrass and keeps running).
   * @default true
   */
  readonly pinned?: boolean;

  /**
   * The encoding of the input payload.
   * @default LambdaInputPayloadEncoding.JSON
   */
  readonly inputPayloadEncoding?: LambdaInputPayloadEncoding;

  /**
   * Arguments passed to the function.
   * @default - none
   */
  readonly execArgs?: string[];

  /**
   * Environment variables of the function.
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * Process isolation.
   * @default LambdaIsolationMode.GREENGRASS_CONTAINER
   */
  readonly isolationMode?: LambdaIsolationMode;

  /**
   * Memory of the container (whole kibibytes); only with a container.
   * @default Size.mebibytes(16)
   */
  readonly containerMemory?: Size;

  /**
   * Let the container read `/sys`; only with a container.
   * @default false
   */
  readonly mountReadOnlySysfs?: boolean;

  /**
   * Folders mounted into the container; only with a container.
   * @default - none
   */
  readonly volumes?: LambdaVolume[];

  /**
   * Devices mounted into the container; only with a container.
   * @default - none
   */
  readonly devices?: LambdaDevice[];

  /**
   * What happens to the component version when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

function seconds(prop: string, d: Duration | undefined): number | undefined {
  if (d === undefined) return undefined;
  const s = d.toSeconds({ integral: false });
  if (!Number.isInteger(s) || s < 1) {
    throw new Error(`${prop} ${d.toHumanString()} must be a whole number of seconds of at least 1: pass for example Duration.seconds(60)`);
  }
  return s;
}

function positiveInteger(prop: string, n: number | undefined): number | undefined {
  if (n !== undefined && !Token.isUnresolved(n) && !(Number.isInteger(n) && n >= 1)) {
    throw new Error(`${prop} ${n} must be a whole number of at least 1: pass for example ${prop === 'maxQueueSize' ? 1000 : 100}, or leave it out for the Greengrass default`);
  }
  return n;
}

/**
 * A component version that runs a Lambda function version on core devices
 * (`AWS::GreengrassV2::ComponentVersion` with `LambdaFunction`).
 */
export class LambdaComponentVersion extends Resource implements IComponentVersion {
  public readonly componentVersionArn: string;
  /** The component's name. */
  public readonly componentName: string;
  /** The component version, as a CloudFormation attribute. */
  public readonly componentVersion: string;
  /** The component version as a literal string. */
  public readonly recipeVersion: string;
  /**
   * The version requirement of each dependency, by component name.
   * @internal
   */
  public readonly _dependencyRequirements: Record<string, string>;
  private readonly dependencyComponents: IComponent[];

  constructor(scope: Construct, id: string, props: LambdaComponentVersionProps) {
    super(scope, id);
    const fn = props.function;
    const qualifier = fn.version;
    if (typeof qualifier !== 'string') {
      throw new Error('function is an alias, not a function version: Greengrass refuses aliases, pass fn.currentVersion or a lambda.Version');
    }
    if (!Token.isUnresolved(qualifier) && !/^\d+$/.test(qualifier)) {
      throw new Error(`function version '${qualifier}' is not a published version: Greengrass refuses $LATEST and aliases, pass fn.currentVersion or a lambda.Version`);
    }
    if (!Token.isUnresolved(fn.functionArn) && !/:\d+$/.test(fn.functionArn)) {
      throw new Error(`function '${fn.functionArn}' is not a published version ARN: Greengrass refuses $LATEST and aliases, pass fn.currentVersion or a lambda.Version`);
    }
    const problems: string[] = [];
    const nameProblem = componentNameProblem(props.componentName, 'componentName');
    if (nameProblem) problems.push(nameProblem);
    const base = props.componentVersion ?? '1.0.0';
    const versionProblem = componentVersionProblem(base, 'componentVersion');
    if (versionProblem) problems.push(versionProblem);

    const typedDependencies = props.dependencies ? renderTypedDependencies(props.dependencies, 'dependencies', DependencyType.HARD) : undefined;
    const dependencies = typedDependencies?.rendered;
    if (typedDependencies) problems.push(...typedDependencies.problems, ...dependencyProblems(typedDependencies.rendered, 'dependencies'));
    this._dependencyRequirements = dependencies ? Object.fromEntries(Object.entries(dependencies).map(([n, d]) => [n, d.VersionRequirement])) : {};
    this.dependencyComponents = typedDependencies?.components ?? [];

    for (const source of props.eventSources ?? []) {
      if (source.type === LambdaEventSourceType.PUB_SUB && !Token.isUnresolved(source.topic) && /[+#]/.test(source.topic)) {
        problems.push(`eventSources topic '${source.topic}' has an MQTT wildcard, which PUB_SUB event sources do not support: use LambdaEventSourceType.IOT_CORE or an exact topic`);
      }
      if (!Token.isUnresolved(source.topic) && source.topic.length === 0) {
        problems.push('eventSources has an empty topic: pass the topic to subscribe to');
      }
    }

    (props.platforms ?? []).forEach((platform, i) => {
      const os = platform.attributes.os;
      if (os !== undefined && !Token.isUnresolved(os) && /^(windows|darwin)$/i.test(os)) {
        problems.push(`platforms[${i}] has os '${os}', but Greengrass runs Lambda function components on Linux core devices only: use Platform.linux()`);
      }
    });

    const isolation = props.isolationMode ?? LambdaIsolationMode.GREENGRASS_CONTAINER;
    const containerProps = ['containerMemory', 'mountReadOnlySysfs', 'volumes', 'devices'].filter((p) => (props as any)[p] !== undefined);
    if (isolation === LambdaIsolationMode.NO_CONTAINER && containerProps.length > 0) {
      problems.push(`${containerProps.join(', ')} need a container but isolationMode is NO_CONTAINER: remove them or use LambdaIsolationMode.GREENGRASS_CONTAINER`);
    }
    let memoryKb: number | undefined;
    if (props.containerMemory !== undefined) {
      memoryKb = props.containerMemory.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
      if (!Number.isInteger(memoryKb) || memoryKb < 1) {
        problems.push(`containerMemory ${memoryKb} KiB must be a whole number of kibibytes of at least 1: pass for example Size.mebibytes(16)`);
      }
    }
    if (problems.length > 0) {
      throw new Error(`invalid Lambda component '${props.componentName}': ${problems.join('; ')}`);
    }

    const containerParams = containerProps.length > 0 ? {
      memorySizeInKb: memoryKb,
      mountRoSysfs: props.mountReadOnlySysfs,
      volumes: props.volumes?.map((v) => ({
        sourcePath: v.sourcePath,
        destinationPath: v.destinationPath,
        permission: v.permission ?? LambdaFilesystemPermission.READ_ONLY,
        addGroupOwner: v.addGroupOwner,
      })),
      devices: props.devices?.map((d) => ({
        path: d.path,
        permission: d.permission ?? LambdaFilesystemPermission.READ_ONLY,
        addGroupOwner: d.addGroupOwner,
      })),
    } : undefined;

    const source: greengrassv2.CfnComponentVersion.LambdaFunctionRecipeSourceProperty = {
      lambdaArn: fn.functionArn,
      componentName: props.componentName,
      componentPlatforms: props.platforms?.map((p) => ({ attributes: { ...p.attributes } })),
      componentDependencies: dependencies && Object.fromEntries(Object.entries(dependencies).map(([n, d]) => [n, {
        versionRequirement: d.VersionRequirement, dependencyType: d.DependencyType,
      }])),
      componentLambdaParameters: {
        eventSources: props.eventSources?.map((e) => ({ topic: e.topic, type: e.type })),
        maxQueueSize: positiveInteger('maxQueueSize', props.maxQueueSize),
        maxInstancesCount: positiveInteger('maxInstancesCount', props.maxInstancesCount),
        maxIdleTimeInSeconds: seconds('maxIdleTime', props.maxIdleTime),
        timeoutInSeconds: seconds('timeout', props.timeout),
        statusTimeoutInSeconds: seconds('statusTimeout', props.statusTimeout),
        pinned: props.pinned,
        inputPayloadEncodingType: props.inputPayloadEncoding,
        execArgs: props.execArgs,
        environmentVariables: props.environment,
        linuxProcessParams: { isolationMode: isolation, containerParams },
      },
    };

    const fingerprint = contentFingerprint([JSON.stringify(Stack.of(this).resolve({ ...source, lambdaArn: fn.functionArn }))]);
    let version = base;
    const contentHashed = (props.versioning ?? VersioningMode.CONTENT_HASH) === VersioningMode.CONTENT_HASH;
    if (contentHashed) {
      version = contentVersion(base, versionHash(this, fingerprint));
    }
    const finalProblem = componentVersionProblem(version, 'componentVersion (with the content hash)');
    if (finalProblem) throw new Error(finalProblem);
    claimComponentVersion(this, props.componentName, version, contentHashed ? `content:${fingerprint}` : `version:${version}`);

    const resource = new greengrassv2.CfnComponentVersion(this, 'Resource', {
      lambdaFunction: { ...source, componentVersion: version },
    });
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);

    this.componentName = props.componentName;
    this.recipeVersion = version;
    this.componentVersion = resource.attrComponentVersion;
    this.componentVersionArn = resource.attrArn;
  }

  /**
   * Greengrass copies the function's code into the component: devices need no extra permission.
   */
  public bindToDeployment(scope: Construct, options: ComponentDeploymentBindOptions): ComponentDeploymentConfig {
    return bindDependencies(scope, options, this.dependencyComponents);
  }
}
