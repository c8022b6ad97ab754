import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * A component that a deployment can include: a component version defined with this
 * library, an imported one, or a public AWS-provided component.
 */
export interface IComponent {
  /**
   * The component's name, as in its recipe (`ComponentName`).
   */
  readonly componentName: string;

  /**
   * The exact component version a deployment installs (semantic version, no range).
   */
  readonly componentVersion: string;

  /**
   * Called by a deployment when it includes this component.
   *
   * Grants the devices' role what the component needs in the cloud (for example read access
   * to its artifacts) and returns what the deployment must add along with it.
   * Throws, with a message that says how to fix it, when the component needs a device role
   * and none is known.
   */
  bindToDeployment(scope: Construct, options: ComponentDeploymentBindOptions): ComponentDeploymentConfig;
}

/**
 * What a deployment tells a component it includes.
 */
export interface ComponentDeploymentBindOptions {
  /**
   * The role that the target's core devices assume through the token exchange service.
   *
   * @default - unknown: components that need cloud permissions fail with an error
   */
  readonly deviceRole?: iam.IRole;
}

/**
 * What a component asks of a deployment that includes it.
 */
export interface ComponentDeploymentConfig {
  /**
   * Components that must be in the same deployment (for example `aws.greengrass.StreamManager`).
   *
   * @default - none
   */
  readonly components?: IComponent[];
}
