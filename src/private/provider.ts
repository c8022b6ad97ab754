import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeFinding, acknowledgeWildcardResources } from './nag';

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

  /**
   * The handlers read the provider's own stack (`cloudformation:ListStackResources` and `GetTemplate` on it): a
   * Delete leaves what another resource of the stack still claims (`src/private/stack-claims.ts`).
   * @default false
   */
  readonly readsStack?: boolean;
}

/**
 * What happens to the providers' log groups when the stack is deleted or the provider is
 * removed: they are kept, so that what the handlers did to account-level state (service-role
 * association, certificates, core devices) during the deletion itself stays auditable; their
 * retention still expires the events. Users who want them deleted apply
 * `RemovalPolicies.of(stack).destroy()` (or an aspect) to the stack.
 */
export const LOG_GROUP_REMOVAL_POLICY = RemovalPolicy.RETAIN;

/**
 * One Provider-framework provider per stack and handler type, with no AWS managed policy and
 * no wildcard of its own:
 *
 * - every function (the handlers and the framework's onEvent/isComplete/onTimeout) writes to an
 *   explicit log group with retention set (kept on deletion, see {@link LOG_GROUP_REMOVAL_POLICY});
 * - every function runs with an explicit role trusted by `lambda.amazonaws.com`, whose only
 *   permission of its own is `logs:CreateLogStream`/`logs:PutLogEvents` on its log group
 *   (instead of `AWSLambdaBasicExecutionRole`, which allows every log group of the account);
 * - the waiter state machine (with `isComplete`) logs ALL events, without execution data, to a
 *   log group of its own;
 * - each custom resource that uses the provider adds exactly the statements it needs, on exact
 *   ARNs, with {@link SharedProvider.grant}.
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
    const logGroup = (logsId: string) => new logs.LogGroup(this, logsId, { retention, removalPolicy: LOG_GROUP_REMOVAL_POLICY });

    const handler = (name: string, factory: HandlerFunctionFactory): lambda.Function => {
      const fnLogs = logGroup(`${name}Logs`);
      return factory(this, name, {
        timeout: options.timeout ?? Duration.minutes(5),
        memorySize: 256,
        logGroup: fnLogs,
        role: this.lambdaRole(`${name}Role`, fnLogs, `${id} ${name} handler`),
        description: `cdk-greengrass-v2 custom resource: ${id} ${name}`.slice(0, 256),
      });
    };
    this.onEventFunction = handler('OnEvent', options.onEvent);
    this.isCompleteFunction = options.isComplete ? handler('IsComplete', options.isComplete) : undefined;
    if (options.readsStack) {
      this.grant(new iam.PolicyStatement({
        actions: ['cloudformation:ListStackResources', 'cloudformation:GetTemplate'],
        resources: [Stack.of(this).stackId],
      }));
    }

    const frameworkLogs = logGroup('FrameworkLogs');
    // Separate from the onEvent role, as the framework requires (no circular dependency).
    const completeAndTimeoutRole = this.isCompleteFunction
      ? this.lambdaRole('FrameworkCompleteAndTimeoutRole', frameworkLogs, `${id} framework isComplete and onTimeout`)
      : undefined;
    const waiter = this.isCompleteFunction ? {
      queryInterval: options.queryInterval ?? Duration.seconds(10),
      totalTimeout: options.totalTimeout ?? Duration.minutes(30),
      frameworkCompleteAndTimeoutRole: completeAndTimeoutRole,
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: {
        destination: new logs.LogGroup(this, 'WaiterLogs', {
          // The vended-logs prefix keeps the account's CloudWatch Logs resource policy small; the
          // function name (new at each creation) avoids a clash with a log group kept from a
          // previous stack of the same name.
          logGroupName: `/aws/vendedlogs/states/${this.isCompleteFunction.functionName}-waiter`,
          retention,
          removalPolicy: LOG_GROUP_REMOVAL_POLICY,
        }),
        level: sfn.LogLevel.ALL,
        // Events only: the payloads carry the custom resources' properties and responses.
        includeExecutionData: false,
      },
    } : {};
    const frameworkOnEventRole = this.lambdaRole('FrameworkOnEventRole', frameworkLogs, `${id} framework onEvent`);
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEventFunction,
      isCompleteHandler: this.isCompleteFunction,
      logGroup: frameworkLogs,
      frameworkOnEventRole,
      ...waiter,
    });
    this.serviceToken = provider.serviceToken;

    // The framework grants lambda:InvokeFunction on each handler it calls as `<arn>` and `<arn>:*` (any version).
    const handlers = [this.onEventFunction, ...(this.isCompleteFunction ? [this.isCompleteFunction] : [])];
    const invokesHandlers = handlers.map((f) => `${f.functionArn}:*`);
    acknowledgeWildcardResources(frameworkOnEventRole, invokesHandlers,
      `the custom-resource provider framework invokes only the handler function${handlers.length > 1 ? 's' : ''} of ${id} (on any version: lambda.grantInvoke adds <arn>:*)`);
    if (completeAndTimeoutRole) {
      acknowledgeWildcardResources(completeAndTimeoutRole, invokesHandlers,
        `the custom-resource provider framework invokes only the handler functions of ${id} (on any version: lambda.grantInvoke adds <arn>:*)`);
      const stateMachine = provider.node.tryFindChild('waiter-state-machine');
      if (stateMachine) {
        const frameworkFunctions = ['framework-isComplete', 'framework-onTimeout']
          .map((fid) => provider.node.tryFindChild(fid))
          .filter((f): f is lambda.Function => f instanceof lambda.Function);
        acknowledgeWildcardResources(stateMachine, frameworkFunctions.map((f) => `${f.functionArn}:*`),
          `the waiter state machine of ${id} invokes only the provider framework's own isComplete and onTimeout functions (on any version)`);
        acknowledgeFinding(stateMachine, 'IAM5[Resource::*]',
          'Step Functions needs the CloudWatch Logs delivery actions (logs:CreateLogDelivery, logs:PutResourcePolicy, ...) on * to log the waiter '
          + 'state machine: they have no resource type');
        acknowledgeFinding(stateMachine, 'SF2',
          `the provider framework's waiter state machine of ${id} only polls the isComplete function; the framework has no tracing setting, `
          + 'and it logs every execution event to its own log group (WaiterLogs)');
      }
    }
  }

  /**
   * Adds a statement to the handlers' role (onEvent and isComplete). Pass exact ARNs; use `*` only
   * for actions without resource-level permissions (for example `iot:DescribeEndpoint`), or for
   * identifiers that exist only at deploy time, and then say why in `wildcardReason`: the cdk-nag
   * finding (IAM5) of each resource with a `*` is acknowledged with it.
   */
  public grant(statement: iam.PolicyStatement, wildcardReason?: string): void {
    this.onEventFunction.addToRolePolicy(statement);
    this.isCompleteFunction?.addToRolePolicy(statement);
    if (wildcardReason !== undefined) {
      this.acknowledgeWildcards(statement.resources, wildcardReason, this.onEventFunction);
      if (this.isCompleteFunction) this.acknowledgeWildcards(statement.resources, wildcardReason, this.isCompleteFunction);
    }
  }

  /**
   * Acknowledges the cdk-nag finding (IAM5) of each wildcard resource in `resources`, granted to `handler`'s role
   * (one of this provider's handlers) with `reason`.
   */
  public acknowledgeWildcards(resources: string[], reason: string, handler: lambda.IFunction = this.onEventFunction): void {
    if (handler.role) acknowledgeWildcardResources(handler.role, resources, reason);
  }

  /**
   * A separate IAM policy of the handler roles (onEvent and isComplete), created the first time:
   * for permissions that only some of the provider's resources need, so that they exist only while
   * such a resource is in the stack. The custom resource stays on this provider (CloudFormation
   * refuses to change a resource's `ServiceToken`); each resource that needs the permissions
   * depends on the policy, so that it is created after the policy and deleted before it.
   *
   * @param id construct id of the policy under the provider (for example `'DestroyPolicy'`)
   */
  public optionalPolicy(id: string): iam.Policy {
    const existing = this.node.tryFindChild(id);
    if (existing) {
      if (!(existing instanceof iam.Policy)) {
        throw new Error(`construct id '${id}' is already used in ${this.node.path} by something that is not an IAM policy; choose another id`);
      }
      return existing;
    }
    const roles = [this.onEventFunction.role, this.isCompleteFunction?.role].filter((r): r is iam.IRole => r !== undefined);
    return new iam.Policy(this, id, { roles });
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

  /**
   * A Lambda execution role allowed only to write to `logGroup` (what `AWSLambdaBasicExecutionRole`
   * would allow on every log group of the account). Grants and the framework add the rest.
   */
  private lambdaRole(roleId: string, logGroup: logs.ILogGroup, what: string): iam.Role {
    return new iam.Role(this, roleId, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `cdk-greengrass-v2 custom resource: ${what}`.slice(0, 1000),
      inlinePolicies: {
        Logs: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [logGroup.logGroupArn],
          })],
        }),
      },
    });
  }
}
