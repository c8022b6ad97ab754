import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Arn, ArnFormat, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { AllowListHookFunction } from './private/allow-list-hook-function';
import {
  ALLOW_LIST_FILE_NAME, HOOK_ENV_ALLOW_LIST_PATH, HOOK_ENV_MAX_SERIAL_LENGTH, THING_NAME_CHARS,
} from './private/fleet-provisioning-api';

/**
 * What a fleet needs from its pre-provisioning hook once bound.
 */
export interface PreProvisioningHookConfig {
  /** The ARN of the Lambda function AWS IoT invokes before it registers a device. */
  readonly functionArn: string;
  /** The function (for grants). */
  readonly hookFunction: lambda.IFunction;
  /**
   * The permission that lets AWS IoT invoke the function (the template depends on it).
   * @default - none: managed outside this stack
   */
  readonly permission?: IConstruct;
}

/**
 * Options of `PreProvisioningHook.fromFunction()`.
 */
export interface FunctionHookOptions {
  /**
   * Set when the function's resource policy already lets `iot.amazonaws.com` invoke it (for a
   * function imported without `sameEnvironment`, whose policy this stack cannot change).
   * @default false - the fleet adds the permission, and fails at synth when it cannot
   */
  readonly permissionManagedOutside?: boolean;
}

/**
 * Options of `PreProvisioningHook.allowSerialNumbers()`.
 */
export interface AllowListHookOptions {
  /**
   * Retention of the hook's log group (one line per decision).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Binding context a fleet passes to its hook.
 * @internal
 */
export interface PreProvisioningHookBindContext {
  /** The thing-name prefix of the fleet: serials may use the remaining characters. */
  readonly thingNamePrefix: string;
  /** The ARN of the fleet's provisioning template (the only source allowed to invoke the hook). */
  readonly templateArn: string;
}

/**
 * An AWS IoT pre-provisioning hook: a Lambda function that AWS IoT invokes with the template
 * parameters of every registration request and that allows or refuses it, so that a leaked claim
 * certificate cannot register arbitrary devices. AWS IoT waits at most 5 seconds for the answer
 * and refuses the registration when the function fails.
 *
 * @see https://docs.aws.amazon.com/iot/latest/developerguide/pre-provisioning-hook.html
 */
export abstract class PreProvisioningHook {
  /**
   * Your own function (for example one that checks a device database). It receives the
   * `SerialNumber` template parameter in `parameters` and must answer `{ "allowProvisioning": true }`
   * within 5 seconds. The fleet adds the permission for `iot.amazonaws.com` to invoke it (from this
   * account, for this template), and fails at synth when the function is in another account or
   * region, or imported so that its policy cannot be changed (unless `permissionManagedOutside`).
   */
  public static fromFunction(fn: lambda.IFunction, options: FunctionHookOptions = {}): PreProvisioningHook {
    return new FunctionHook(fn, options.permissionManagedOutside ?? false);
  }

  /**
   * The built-in hook: allows only the listed serial numbers (the `SerialNumber` template
   * parameter), each 1 to (128 - prefix length) characters of `[a-zA-Z0-9:_-]`, checked at synth.
   * The list is packaged in a Lambda layer (one resource whatever its length); changing it
   * publishes a new layer version and updates the function.
   *
   * @param serialNumbers the serial numbers of the devices allowed to register (no duplicates)
   */
  public static allowSerialNumbers(serialNumbers: string[], options: AllowListHookOptions = {}): PreProvisioningHook {
    if (serialNumbers.length === 0) {
      throw new Error('allowSerialNumbers() got an empty list: no device could register; list the serial numbers of the devices to provision');
    }
    const seen = new Set<string>();
    for (const serial of serialNumbers) {
      if (Token.isUnresolved(serial)) {
        throw new Error('allowSerialNumbers() got a token: the allow-list is packaged at synth time, pass literal serial numbers');
      }
      if (!THING_NAME_CHARS.test(serial)) {
        throw new Error(`serial number '${serial}' is invalid: it becomes part of the thing name, use 1-128 characters of [a-zA-Z0-9:_-]`);
      }
      if (seen.has(serial)) {
        throw new Error(`serial number '${serial}' is listed twice in allowSerialNumbers(): list each device once`);
      }
      seen.add(serial);
    }
    return new AllowListHook([...serialNumbers], options);
  }

  /** The function AWS IoT invokes (for `fromFunction`), or undefined until bound (built-in hook). */
  public abstract readonly hookFunction?: lambda.IFunction;

  /**
   * Creates what the hook needs in `scope` and returns its function.
   * @internal
   */
  public abstract _bind(scope: Construct, context: PreProvisioningHookBindContext): PreProvisioningHookConfig;

  /**
   * Checks that `iot.amazonaws.com` can invoke `fn` for `templateArn`, and adds the permission.
   * @internal
   */
  protected _allowIot(scope: Construct, fn: lambda.IFunction, templateArn: string, managedOutside: boolean): IConstruct | undefined {
    const stack = Stack.of(scope);
    if (!Token.isUnresolved(fn.functionArn)) {
      const parts = Arn.split(fn.functionArn, ArnFormat.COLON_RESOURCE_NAME);
      const wrong = (what: string, got: string | undefined, want: string) =>
        got !== undefined && !Token.isUnresolved(got) && !Token.isUnresolved(want) && got !== want ? `${what} ${got}, not the fleet's ${want}` : undefined;
      const mismatch = wrong('account', parts.account, stack.account) ?? wrong('region', parts.region, stack.region);
      if (mismatch) {
        throw new Error(`preProvisioningHook function ${fn.functionArn} is in ${mismatch}: AWS IoT invokes hooks in the template's own account and region only; deploy the function there`);
      }
    }
    if (managedOutside) return undefined;
    // One permission per fleet: the same function may serve several fleets.
    const id = `IotProvisioning${Names.nodeUniqueId(scope.node)}`;
    fn.addPermission(id, {
      principal: new iam.ServicePrincipal('iot.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: stack.account,
      sourceArn: templateArn,
    });
    const permission = fn.node.tryFindChild(id);
    if (!permission) {
      throw new Error(`preProvisioningHook function ${fn.node.path} is imported so that this stack cannot add its resource policy, and AWS IoT could not invoke it (every registration would fail): import it with lambda.Function.fromFunctionAttributes(scope, id, { functionArn, sameEnvironment: true }), or allow iot.amazonaws.com to invoke it yourself and pass { permissionManagedOutside: true }`);
    }
    return permission;
  }
}

class FunctionHook extends PreProvisioningHook {
  constructor(public readonly hookFunction: lambda.IFunction, private readonly managedOutside: boolean) {
    super();
  }

  public _bind(scope: Construct, context: PreProvisioningHookBindContext): PreProvisioningHookConfig {
    const permission = this._allowIot(scope, this.hookFunction, context.templateArn, this.managedOutside);
    return { functionArn: this.hookFunction.functionArn, hookFunction: this.hookFunction, permission };
  }
}

class AllowListHook extends PreProvisioningHook {
  public hookFunction?: lambda.IFunction;

  constructor(private readonly serialNumbers: string[], private readonly options: AllowListHookOptions) {
    super();
  }

  public _bind(scope: Construct, context: PreProvisioningHookBindContext): PreProvisioningHookConfig {
    const maxLength = 128 - context.thingNamePrefix.length;
    const tooLong = this.serialNumbers.find((s) => s.length > maxLength);
    if (tooLong !== undefined) {
      throw new Error(`serial number '${tooLong}' is ${tooLong.length} characters: with thingNamePrefix '${context.thingNamePrefix}' the thing name would exceed 128 characters; use at most ${maxLength} characters or a shorter prefix`);
    }
    const hook = new Construct(scope, 'PreProvisioningHook');
    // The list goes into a layer asset (content-hashed, so the template changes only with the list),
    // staged in a folder named by its content: the same list reuses it on every synth.
    const content = JSON.stringify(this.serialNumbers);
    const hash = crypto.createHash('sha256').update(content).digest('hex').slice(0, 32);
    const dir = path.join(os.tmpdir(), `cdk-greengrass-v2-allow-list-${hash}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, ALLOW_LIST_FILE_NAME), content);
    const layer = new lambda.LayerVersion(hook, 'AllowList', {
      code: lambda.Code.fromAsset(dir),
      description: `Serial numbers allowed to register through ${scope.node.path}`.slice(0, 256),
    });
    const logGroup = new logs.LogGroup(hook, 'Logs', {
      retention: this.options.logRetention ?? logs.RetentionDays.ONE_YEAR,
      // The record of which devices registered or were refused outlives the fleet.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(hook, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `cdk-greengrass-v2 pre-provisioning hook of ${scope.node.path}`.slice(0, 1000),
      inlinePolicies: {
        Logs: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
        }),
      },
    });
    const fn = new AllowListHookFunction(hook, 'Function', {
      description: `Pre-provisioning hook of ${scope.node.path}: allows listed serial numbers only`.slice(0, 256),
      // AWS IoT waits 5 seconds for the answer.
      timeout: Duration.seconds(5),
      memorySize: 256,
      layers: [layer],
      logGroup,
      role,
      environment: {
        [HOOK_ENV_ALLOW_LIST_PATH]: `/opt/${ALLOW_LIST_FILE_NAME}`,
        [HOOK_ENV_MAX_SERIAL_LENGTH]: String(maxLength),
      },
    });
    this.hookFunction = fn;
    const permission = this._allowIot(scope, fn, context.templateArn, false);
    return { functionArn: fn.functionArn, hookFunction: fn, permission };
  }
}
