import { IAction } from './action';
import { Expression } from './expression';

/**
 * An event of a state: when its condition is true, the detector performs its actions.
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/apireference/API_Event.html
 */
export interface Event {
  /**
   * The name of the event (at most 128 characters).
   */
  readonly eventName: string;

  /**
   * The condition. A result that is not a Boolean counts as false.
   *
   * @default - none: the actions are performed every time the event is evaluated
   */
  readonly condition?: Expression;

  /**
   * The actions to perform, in order.
   *
   * @default - no actions
   */
  readonly actions?: IAction[];
}
