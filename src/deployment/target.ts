import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Where a deployment goes: one IoT thing (a core device) or an IoT thing group.
 *
 * Core devices and fleets defined with this library implement this interface, so a
 * deployment to them knows the devices' role and grants it what the components need.
 */
export interface IDeploymentTarget {
  /**
   * The ARN of the IoT thing or thing group (`arn:<partition>:iot:<region>:<account>:thing/<name>`
   * or `...:thinggroup/<name>`).
   */
  readonly targetArn: string;

  /**
   * The role the target's core devices assume through the token exchange service.
   *
   * @default - unknown
   */
  readonly deviceRole?: iam.IRole;
}
