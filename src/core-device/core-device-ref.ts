import { IConstruct } from 'constructs';
import { IDeploymentTarget } from '../deployment/target';

/**
 * A Greengrass core device: an IoT thing that runs the Greengrass nucleus.
 */
export interface ICoreDevice extends IConstruct, IDeploymentTarget {
  /**
   * The IoT thing name, which is also the core device name and its MQTT client id.
   * @attribute
   */
  readonly thingName: string;

  /**
   * The ARN of the IoT thing.
   * @attribute
   */
  readonly thingArn: string;
}
