import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/**
 * Creates one handler function (one of the projen-generated `*-function.ts` classes).
 */
export type HandlerFunctionFactory = (scope: Construct, id: string, props: lambda.FunctionOptions) => lambda.Function;

/**
 * How to build a shared provider.
 */
export interface SharedProviderOptions {
  /**
   * Construct id of the provider under the stack, unique per handler type
   * (for example `'GreengrassV2ServiceRoleProvider'`). The same id always returns the same provider.
   */
  readonly id: string;

  /** Builds the `onEvent` function (a generated `*-function.ts` class). */
  readonly onEvent: HandlerFunctionFactory;

  /**
   * Builds the `isComplete` function, for APIs whose effect is asynchronous.
   * @default - no isComplete: the resource is done when onEvent returns
   */
  readonly isComplete?: HandlerFunctionFactory;

  /**
   * How often the framework calls `isComplete`.
   * @default Duration.seconds(10)
   */
  readonly queryInterval?: Duration;

  /**
   * How long the framework waits for `isComplete` before failing the resource.
   * @default Duration.minutes(30)
   */
  readonly totalTimeout?: Duration;

  /**
   * Timeout of the handler functions. Keep it above the toolkit's retry budget (120 s).
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;

  /**
   * Retention of every log group (handlers and framework functions).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * One Provider-framework provider per stack and handler type, with log retention set on the
 * handlers and on the framework functions, and no IAM of its own: each custom resource that
 * uses the provider adds exactly the statements it needs, on exact ARNs, with {@link SharedProvider.grant}.
 *
 * ```ts
 * const provider = SharedProvider.getOrCreate(this, {
 *   id: 'GreengrassV2FleetWaiterProvider',
 *   onEvent: (s, id, props) => new FleetWaiterFunction(s, id, props),
 *   isComplete: (s, id, props) => new FleetWaiterCompleteFunction(s, id, props),
 * });
 * provider.grant(new iam.PolicyStatement({ actions: ['greengrass:GetDeployment'], resources: [deploymentArn] }));
 * new CustomResource(this, 'Resource', { serviceToken: provider.serviceToken, resourceType: 'Custom::GreengrassV2FleetWaiter', properties });
 * ```
 */
export class SharedProvider extends Construct {
  /**
   * Returns the stack's provider with this id, creating it the first time.
   */
  public static getOrCreate(scope: Construct, options: SharedProviderOptions): SharedProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(options.id);
    if (existing) {
      if (!(existing instanceof SharedProvider)) {
        throw new Error(`construct id '${options.id}' is already used at the root of stack ${stack.stackName} by something that is not a shared custom-resource provider; choose another id`);
      }
      return existing;
    }
    return new SharedProvider(stack, options.id, options);
  }

  /** Token for `CustomResource.serviceToken`. */
  public readonly serviceToken: string;

  /** The `onEvent` handler. */
  public readonly onEventFunction: lambda.Function;

  /** The `isComplete` handler, if any. */
  public readonly isCompleteFunction?: lambda.Function;

  private constructor(scope: Construct, id: string, options: SharedProviderOptions) {
    super(scope, id);
    const retention = options.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const fnProps = (name: string): lambda.FunctionOptions => ({
      timeout: options.timeout ?? Duration.minutes(5),
      memorySize: 256,
      logGroup: new logs.LogGroup(this, `${name}Logs`, { retention }),
      description: `cdk-greengrass-v2 custom resource: ${id} ${name}`.slice(0, 256),
    });
    this.onEventFunction = options.onEvent(this, 'OnEvent', fnProps('OnEvent'));
    this.isCompleteFunction = options.isComplete?.(this, 'IsComplete', fnProps('IsComplete'));
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEventFunction,
      isCompleteHandler: this.isCompleteFunction,
      queryInterval: this.isCompleteFunction ? options.queryInterval ?? Duration.seconds(10) : undefined,
      totalTimeout: this.isCompleteFunction ? options.totalTimeout ?? Duration.minutes(30) : undefined,
      logGroup: new logs.LogGroup(this, 'FrameworkLogs', { retention }),
    });
    this.serviceToken = provider.serviceToken;
  }

  /**
   * Adds a statement to the handlers' role (onEvent and isComplete). Pass exact ARNs; use `*` only
   * for actions without resource-level permissions (for example `iot:DescribeEndpoint`).
   */
  public grant(statement: iam.PolicyStatement): void {
    this.onEventFunction.addToRolePolicy(statement);
    this.isCompleteFunction?.addToRolePolicy(statement);
  }

  /**
   * Grants the handlers `iam:PassRole` on `role`, restricted to `service` (`iam:PassedToService`).
   */
  public grantPassRole(role: iam.IRole, service: string): void {
    this.grant(new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': service } },
    }));
  }
}
