import { Duration, Tokenization } from 'aws-cdk-lib';
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

/** `SetTimerAction`'s range, in seconds (1 s to 366 days). */
const MIN_TIMER_SECONDS = 1;
const MAX_TIMER_SECONDS = 31_622_400;
const RANGE_FIX = 'use a Duration from Duration.seconds(1) to Duration.days(366), in whole seconds';

/**
 * The duration of a timer.
 */
export abstract class TimerDuration {
  /**
   * A fixed duration, a whole number of seconds from 1 to 31 622 400 (366 days). IoT Events fires timers
   * with at best 60-second accuracy: durations under 60 seconds fire late. Checked by `SetTimerAction`, whose
   * error names the timer.
   */
  public static fromDuration(duration: Duration): TimerDuration {
    return new FixedTimerDuration(duration);
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

  /**
   * The API's fields; throws, naming the timer, when the duration is no whole number of seconds in range.
   *
   * @internal
   */
  public abstract _render(timerName: string): { seconds?: number; durationExpression?: string };
}

class FixedTimerDuration extends TimerDuration {
  constructor(private readonly duration: Duration) { super(); }

  public _render(timerName: string) {
    const d = this.duration;
    if (d.isUnresolved()) {
      let seconds: number;
      try {
        seconds = d.toSeconds();
      } catch {
        throw new Error(`timer '${timerName}' duration ${d.toHumanString()} comes from a token in a unit other than seconds, `
          + 'which cannot be converted at synth; give it as Duration.seconds(<token>), or use TimerDuration.fromExpression');
      }
      return { durationExpression: Tokenization.stringifyNumber(seconds) };
    }
    const seconds = d.toMilliseconds({ integral: false }) / 1000;
    if (!Number.isInteger(seconds)) {
      const near = Math.min(MAX_TIMER_SECONDS, Math.max(MIN_TIMER_SECONDS, Math.round(seconds)));
      throw new Error(`timer '${timerName}' duration must be a whole number of seconds, got ${d.toString()} (${seconds} s); `
        + `IoT Events sets timers in seconds: use Duration.seconds(${near})`);
    }
    if (seconds < MIN_TIMER_SECONDS || seconds > MAX_TIMER_SECONDS) {
      throw new Error(`timer '${timerName}' duration must be between 1 and 31622400 seconds (366 days), got ${d.toString()} (${seconds} s); ${RANGE_FIX}`);
    }
    return { durationExpression: String(seconds) };
  }
}

class ExpressionTimerDuration extends TimerDuration {
  constructor(private readonly expression: string) { super(); }

  public _render(timerName: string) {
    const literal = /^\s*\d+(\.\d+)?\s*$/.test(this.expression) ? Number(this.expression) : undefined;
    if (literal !== undefined && (literal < MIN_TIMER_SECONDS || literal > MAX_TIMER_SECONDS)) {
      throw new Error(`timer '${timerName}' duration must be between 1 and 31622400 seconds (366 days), got ${this.expression}; `
        + 'use TimerDuration.fromDuration(Duration.minutes(n)) with a value in range, or an expression whose result is in range');
    }
    return { durationExpression: this.expression };
  }
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
    timerDuration._render(timerName);
  }

  public renderActionConfig(): ActionConfig {
    return { configuration: { setTimer: { timerName: this.timerName, ...this.timerDuration._render(this.timerName) } } };
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
