import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import { IConstruct } from 'constructs';
import { IDeploymentTarget } from './target';
import { arnTargetKey, keyTarget, parseTargetArn, setTargetKey } from '../private/deployment-registry';

/**
 * The kind of IoT resource a deployment targets.
 */
export enum DeploymentTargetType {
  /** One IoT thing: a single core device. */
  THING = 'thing',
  /** An IoT thing group: every core device in the group, now and later. */
  THING_GROUP = 'thinggroup',
}

/**
 * Options of every `DeploymentTarget` factory.
 */
export interface DeploymentTargetOptions {
  /**
   * The role the target's core devices assume through the token exchange service. Components
   * deployed to the target grant it what they need (for example read access to their artifacts).
   *
   * @default - unknown: pass `deviceRole` to the deployment instead
   */
  readonly deviceRole?: iam.IRole;
}

const NAME_RE = /^[a-zA-Z0-9:_-]{1,128}$/;

/**
 * A thing or thing group that a deployment goes to, built from a construct, a name or an ARN.
 */
export class DeploymentTarget implements IDeploymentTarget {
  /**
   * One core device, from its `CfnThing`; the deployment then depends on the thing.
   */
  public static fromThing(thing: iot.CfnThing, options: DeploymentTargetOptions = {}): DeploymentTarget {
    return DeploymentTarget.fromConstruct(thing, DeploymentTargetType.THING, thing.ref, thing.thingName, options);
  }

  /**
   * One core device, by thing name, in the account and region of `scope`'s stack.
   */
  public static fromThingName(scope: IConstruct, thingName: string, options: DeploymentTargetOptions = {}): DeploymentTarget {
    return DeploymentTarget.fromName(scope, DeploymentTargetType.THING, thingName, options);
  }

  /**
   * One core device, by thing ARN (`arn:<partition>:iot:<region>:<account>:thing/<name>`).
   */
  public static fromThingArn(thingArn: string, options: DeploymentTargetOptions = {}): DeploymentTarget {
    return DeploymentTarget.fromArn(DeploymentTargetType.THING, thingArn, options);
  }

  /**
   * Every core device of a thing group, from its `CfnThingGroup`; the deployment then depends
   * on the group.
   */
  public static fromThingGroup(thingGroup: iot.CfnThingGroup, options: DeploymentTargetOptions = {}): DeploymentTarget {
    return DeploymentTarget.fromConstruct(thingGroup, DeploymentTargetType.THING_GROUP, thingGroup.ref, thingGroup.thingGroupName, options);
  }

  /**
   * Every core device of a thing group, by group name, in the account and region of `scope`'s stack.
   */
  public static fromThingGroupName(scope: IConstruct, thingGroupName: string, options: DeploymentTargetOptions = {}): DeploymentTarget {
    return DeploymentTarget.fromName(scope, DeploymentTargetType.THING_GROUP, thingGroupName, options);
  }

  /**
   * Every core device of a thing group, by group ARN
   * (`arn:<partition>:iot:<region>:<account>:thinggroup/<name>`).
   */
  public static fromThingGroupArn(thingGroupArn: string, options: DeploymentTargetOptions = {}): DeploymentTarget {
    return DeploymentTarget.fromArn(DeploymentTargetType.THING_GROUP, thingGroupArn, options);
  }

  private static fromConstruct(resource: IConstruct, type: DeploymentTargetType, ref: string, literalName: string | undefined,
    options: DeploymentTargetOptions): DeploymentTarget {
    const stack = Stack.of(resource);
    const arn = stack.formatArn({ service: 'iot', resource: type, resourceName: ref });
    // A name set on the construct identifies the target like the same name given as a string.
    const target = new DeploymentTarget(type, arn, ref, options.deviceRole);
    keyTarget(target, resource, type === DeploymentTargetType.THING ? 'thing' : 'thinggroup', literalName ?? ref, resource);
    return target;
  }

  private static fromName(scope: IConstruct, type: DeploymentTargetType, name: string, options: DeploymentTargetOptions): DeploymentTarget {
    const prop = type === DeploymentTargetType.THING ? 'thingName' : 'thingGroupName';
    if (!Token.isUnresolved(name) && !NAME_RE.test(name)) {
      throw new Error(`${prop} must be 1 to 128 characters of a-z, A-Z, 0-9, ':', '_' and '-', got '${name}': use the name exactly as IoT shows it`);
    }
    const stack = Stack.of(scope);
    const arn = stack.formatArn({ service: 'iot', resource: type, resourceName: name });
    const target = new DeploymentTarget(type, arn, name, options.deviceRole);
    keyTarget(target, scope, type === DeploymentTargetType.THING ? 'thing' : 'thinggroup', name);
    return target;
  }

  private static fromArn(type: DeploymentTargetType, arn: string, options: DeploymentTargetOptions): DeploymentTarget {
    const prop = type === DeploymentTargetType.THING ? 'thingArn' : 'thingGroupArn';
    if (Token.isUnresolved(arn)) {
      const name = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
      return new DeploymentTarget(type, arn, name, options.deviceRole);
    }
    const parts = parseTargetArn(arn);
    if (!parts || parts.type !== type) {
      throw new Error(`${prop} must look like arn:<partition>:iot:<region>:<account>:${type}/<name>, got '${arn}'`
        + (parts ? `: this is a ${parts.type === 'thing' ? 'thing' : 'thing group'} ARN, use DeploymentTarget.${parts.type === 'thing' ? 'fromThingArn' : 'fromThingGroupArn'}` : ': copy the ARN from the IoT console or API'));
    }
    const target = new DeploymentTarget(type, arn, parts.name, options.deviceRole);
    setTargetKey(target, arnTargetKey(parts));
    return target;
  }

  /** The ARN of the thing or thing group. */
  public readonly targetArn: string;

  /**
   * The role the target's core devices assume through the token exchange service.
   *
   * @default - unknown
   */
  public readonly deviceRole?: iam.IRole;

  /** Whether the target is one thing or a thing group. */
  public readonly targetType: DeploymentTargetType;

  /** The name of the thing or thing group (a token when it is only known at deploy time). */
  public readonly targetName: string;

  private constructor(type: DeploymentTargetType, arn: string, name: string, deviceRole: iam.IRole | undefined) {
    this.targetType = type;
    this.targetArn = arn;
    this.targetName = name;
    this.deviceRole = deviceRole;
  }
}
