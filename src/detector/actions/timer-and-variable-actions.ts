import { Duration, Token } from 'aws-cdk-lib';
import { ActionConfig, IAction } from '../action';
import { Expression } from '../expression';

/**
 * Sets a detector variable (`setVariable`).
 *
 * @see https://docs.aws.amazon.com/iotevents/latest/developerguide/built-in-actions.html
 */
export class SetVariableAction implements IAction {
  /**
   * @param variableName the variable's name (`^[a-zA-Z][a-zA-Z0-9_]*$`, 1-128 characters)
   * @param value the expression giving the new value (1-1024 characters)
   */
  constructor(public readonly variableName: string, public readonly value: Expression) {}

  public renderActionConfig(): ActionConfig {
    return { configuration: { setVariable: { variableName: this.variableName, value: this.value.evaluate() } } };
  }
}

/**
 * The duration of a timer.
 */
export abstract class TimerDuration {
  /**
   * A fixed duration, a whole number of seconds from 1 to 31 622 400 (366 days). IoT Events fires timers
   * with at best 60-second accuracy: durations under 60 seconds fire late.
   */
  public static fromDuration(duration: Duration): TimerDuration {
    return new ExpressionTimerDuration(String(duration.toSeconds()));
  }

  /**
   * A duration computed when the timer is set, in seconds, rounded down, e.g.
   * `Expression.fromString('$variable.interval * 60')`.
   */
  public static fromExpression(expression: Expression): TimerDuration {
    return new ExpressionTimerDuration(expression.evaluate());
  }

  /**
   * The deprecated `seconds` field of the API (imported models keep it).
   *
   * @internal
   */
  public static _fromSecondsField(seconds: number): TimerDuration {
    return new SecondsTimerDuration(seconds);
  }

  /** @internal */
  public abstract _render(): { seconds?: number; durationExpression?: string };
}

class ExpressionTimerDuration extends TimerDuration {
  constructor(private readonly expression: string) { super(); }
  public _render() { return { durationExpression: this.expression }; }
}

class SecondsTimerDuration extends TimerDuration {
  constructor(private readonly seconds: number) { super(); }
  public _render() { return { seconds: this.seconds }; }
}

/**
 * Starts a timer (`setTimer`); when it expires the detector evaluates its state with
 * `triggerType("Timer")` and `timeout("<timerName>")` true.
 */
export class SetTimerAction implements IAction {
  /**
   * @param timerName the timer's name (1-128 characters)
   * @param timerDuration how long until it expires
   */
  constructor(public readonly timerName: string, public readonly timerDuration: TimerDuration) {
    const d = timerDuration._render();
    const literal = d.seconds ?? (d.durationExpression !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(d.durationExpression)
      ? Number(d.durationExpression) : undefined);
    if (literal !== undefined && !Token.isUnresolved(literal) && (literal < 1 || literal > 31_622_400)) {
      throw new Error(`timer '${timerName}' duration must be between 1 and 31622400 seconds (366 days), got ${literal}; `
        + 'use TimerDuration.fromDuration(Duration.minutes(n)) with a value in range');
    }
  }

  public renderActionConfig(): ActionConfig {
    return { configuration: { setTimer: { timerName: this.timerName, ...this.timerDuration._render() } } };
  }
}

/**
 * Restarts a timer with the duration it was last set with (`resetTimer`).
 */
export class ResetTimerAction implements IAction {
  /** @param timerName the timer's name */
  constructor(public readonly timerName: string) {}

  public renderActionConfig(): ActionConfig {
    return { configuration: { resetTimer: { timerName: this.timerName } } };
  }
}

/**
 * Deletes a timer (`clearTimer`).
 */
export class ClearTimerAction implements IAction {
  /** @param timerName the timer's name */
  constructor(public readonly timerName: string) {}

  public renderActionConfig(): ActionConfig {
    return { configuration: { clearTimer: { timerName: this.timerName } } };
  }
}
