import { Duration } from 'aws-cdk-lib';
import { checkDuration, MAX_INT32 } from './private/deployment-validate';

/**
 * What a core device does when the deployment fails on it.
 */
export enum FailureHandling {
  /** Roll the device back to its previous configuration (the service default). */
  ROLLBACK = 'ROLLBACK',
  /** Leave the device as the failed deployment left it. */
  DO_NOTHING = 'DO_NOTHING',
}

/**
 * Whether a deployment asks the running components before it updates them.
 */
export class ComponentUpdatePolicy {
  /**
   * Notify each component before updating it and wait until it reports that it is safe to
   * update (components can defer with the `DeferComponentUpdate` IPC operation), at most
   * `timeout` (the service default).
   *
   * @param timeout how long each component may defer the update, in whole seconds (at least 1 second)
   * @default timeout Duration.seconds(60)
   */
  public static notifyComponents(timeout?: Duration): ComponentUpdatePolicy {
    if (timeout !== undefined) {
      checkDuration('componentUpdatePolicy: timeout', timeout, 'seconds', 1, MAX_INT32);
    }
    return new ComponentUpdatePolicy(true, timeout);
  }

  /**
   * Update components without notifying them or waiting for them.
   */
  public static skipNotifyComponents(): ComponentUpdatePolicy {
    return new ComponentUpdatePolicy(false, undefined);
  }

  /** Whether components are notified before they are updated. */
  public readonly notify: boolean;

  /**
   * How long each component may defer the update.
   *
   * @default - 60 seconds when components are notified
   */
  public readonly timeout?: Duration;

  private constructor(notify: boolean, timeout: Duration | undefined) {
    this.notify = notify;
    this.timeout = timeout;
  }
}
