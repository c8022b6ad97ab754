import { Size } from 'aws-cdk-lib';

/**
 * Limits on the system resources a component's processes may use on a core device (Linux
 * core devices only).
 */
export interface SystemResourceLimits {
  /**
   * The most RAM the component's processes may use, in whole kibibytes (at least 1 KiB).
   *
   * @default - the limit configured on the Greengrass nucleus
   */
  readonly memory?: Size;

  /**
   * The most CPU time the component's processes may use, as a number of CPU cores (more than
   * 0; for example 0.5 is half of one core).
   *
   * @default - the limit configured on the Greengrass nucleus
   */
  readonly cpus?: number;
}

/**
 * The system user and resource limits a component runs with on the core devices.
 */
export interface RunWith {
  /**
   * The POSIX user, and optionally group, that runs the component on Linux core devices:
   * `user` or `user:group`. The user and group must exist on each device.
   *
   * @default - the user configured on the Greengrass nucleus
   */
  readonly posixUser?: string;

  /**
   * The Windows user that runs the component on Windows core devices. The user must exist on
   * each device, with its credentials in the LocalSystem account's Credential Manager.
   *
   * @default - the user configured on the Greengrass nucleus
   */
  readonly windowsUser?: string;

  /**
   * Limits on the component's memory and CPU use (Linux core devices only).
   *
   * @default - the limits configured on the Greengrass nucleus
   */
  readonly systemResourceLimits?: SystemResourceLimits;
}

/**
 * How a deployment installs one component.
 */
export interface ComponentDeploymentOptions {
  /**
   * Configuration merged into the component's configuration on the devices (on first
   * deployment: into its default configuration). Keys not given keep their value.
   *
   * @default - no merge
   */
  readonly configurationMerge?: { [key: string]: any };

  /**
   * JSON pointers to configuration nodes reset to their default values before the merge is
   * applied: `''` resets the whole configuration, `/a/b` resets key `b` of object `a`.
   *
   * @default - no reset
   */
  readonly configurationReset?: string[];

  /**
   * The system user and resource limits the component runs with.
   *
   * @default - the user and limits configured on the Greengrass nucleus
   */
  readonly runWith?: RunWith;
}
