import { IAction } from './action';
import { Event } from './event';
import { Expression } from './expression';
import { StateLayout } from './private/model-layout';
import { EventShape, StateShape, TransitionEventShape } from '../private/detector-engine/evaluator/api-shapes';

/**
 * Options of a transition.
 */
export interface TransitionOptions {
  /**
   * The name of the transition event.
   *
   * @default '<this state>_to_<target state>'
   */
  readonly eventName?: string;

  /**
   * The condition that makes the detector move to the target state.
   */
  readonly when: Expression;

  /**
   * The actions performed when the transition fires, before this state's onExit and the target's onEnter.
   *
   * @default - no actions
   */
  readonly executing?: IAction[];
}

/**
 * Properties of a state.
 */
export interface StateProps {
  /**
   * The name of the state (1-128 characters).
   */
  readonly stateName: string;

  /**
   * Events evaluated when the detector enters this state (also when a detector is created in it).
   *
   * @default - none
   */
  readonly onEnter?: Event[];

  /**
   * Events evaluated when a message reaches the detector in this state, or one of its timers expires.
   *
   * @default - none
   */
  readonly onInput?: Event[];

  /**
   * Events evaluated when the detector leaves this state.
   *
   * @default - none
   */
  readonly onExit?: Event[];
}

interface TransitionEntry {
  readonly eventName: string;
  readonly target: State;
  readonly when: Expression;
  readonly executing?: IAction[];
}

/**
 * A state of a detector model.
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/apireference/API_State.html
 */
export class State {
  /** The name of the state. */
  public readonly stateName: string;

  private readonly props: StateProps;
  private readonly transitions: TransitionEntry[] = [];
  private layout?: StateLayout;

  constructor(props: StateProps) {
    this.props = props;
    this.stateName = props.stateName;
  }

  /**
   * Adds a transition to `targetState`, taken when `options.when` is true.
   */
  public transitionTo(targetState: State, options: TransitionOptions): void {
    this.transitions.push({
      eventName: options.eventName ?? `${this.stateName}_to_${targetState.stateName}`,
      target: targetState,
      when: options.when,
      executing: options.executing,
    });
  }

  /** The states this state's transitions lead to, in order. @internal */
  public _targets(): State[] {
    return this.transitions.map((t) => t.target);
  }

  /** @internal */
  public _setLayout(layout: StateLayout): void {
    this.layout = layout;
  }

  /** Renders the state as the API's `State`. @internal */
  public _renderApi(): StateShape {
    const l = this.layout;
    const out: any = { stateName: this.stateName };
    const renderEvents = (events: Event[] | undefined): EventShape[] | undefined => events?.map(renderEvent);
    const onEnter = renderEvents(this.props.onEnter);
    if (l ? l.onEnter : onEnter !== undefined) out.onEnter = l && !l.onEnterEvents ? {} : { events: onEnter ?? [] };
    const onInputEvents = renderEvents(this.props.onInput);
    const transitions: TransitionEventShape[] = this.transitions.map((t) => ({
      eventName: t.eventName,
      condition: t.when.evaluate(),
      ...(t.executing !== undefined ? { actions: t.executing.map(renderAction) } : {}),
      nextState: t.target.stateName,
    }));
    if (l ? l.onInput : (onInputEvents !== undefined || transitions.length > 0)) {
      const onInput: any = {};
      if (l ? l.onInputEvents : onInputEvents !== undefined) onInput.events = onInputEvents ?? [];
      if (l ? l.onInputTransitions : transitions.length > 0) onInput.transitionEvents = transitions;
      out.onInput = onInput;
    }
    const onExit = renderEvents(this.props.onExit);
    if (l ? l.onExit : onExit !== undefined) out.onExit = l && !l.onExitEvents ? {} : { events: onExit ?? [] };
    return out;
  }
}

function renderEvent(e: Event): EventShape {
  return {
    eventName: e.eventName,
    ...(e.condition !== undefined ? { condition: e.condition.evaluate() } : {}),
    ...(e.actions !== undefined ? { actions: e.actions.map(renderAction) } : {}),
  };
}

function renderAction(a: IAction): any {
  return a.renderActionConfig().configuration;
}
