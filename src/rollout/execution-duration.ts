import { Duration, Token } from 'aws-cdk-lib';

/**
 * How long a simulated device takes from starting a job execution to reporting its result.
 */
export abstract class ExecutionDuration {
  /**
   * Every execution takes exactly this long.
   */
  public static fixed(duration: Duration): ExecutionDuration {
    const seconds = toSeconds('duration', duration);
    return new (class extends ExecutionDuration {
      public _sampleSeconds(_u: number): number {
        return seconds;
      }
    })(`fixed ${seconds} s`);
  }

  /**
   * Executions take a duration drawn uniformly between `min` and `max`.
   */
  public static uniform(min: Duration, max: Duration): ExecutionDuration {
    const lo = toSeconds('min', min);
    const hi = toSeconds('max', max);
    if (hi < lo) {
      throw new Error(`execution duration max must be at least min, got min ${lo} s and max ${hi} s: swap them`);
    }
    return new (class extends ExecutionDuration {
      public _sampleSeconds(u: number): number {
        return lo + (hi - lo) * u;
      }
    })(`uniform ${lo}-${hi} s`);
  }

  /**
   * Executions take an exponentially distributed duration with this mean: most devices are quick,
   * a long tail is slow (the tail is what an in-progress timeout catches).
   */
  public static exponential(mean: Duration): ExecutionDuration {
    const m = toSeconds('mean', mean);
    if (m <= 0) {
      throw new Error(`execution duration mean must be positive, got ${m} s: use ExecutionDuration.fixed(Duration.seconds(0)) for instant executions`);
    }
    return new (class extends ExecutionDuration {
      public _sampleSeconds(u: number): number {
        return -m * Math.log(1 - u);
      }
    })(`exponential mean ${m} s`);
  }

  /**
   * A short description of the distribution, for chart captions.
   */
  public readonly description: string;

  protected constructor(description: string) {
    this.description = description;
  }

  /**
   * The duration, in seconds, for a uniform draw `u` in [0, 1) (inverse distribution function).
   *
   * @internal
   */
  public abstract _sampleSeconds(u: number): number;
}

function toSeconds(name: string, duration: Duration): number {
  if (Token.isUnresolved(duration.toSeconds({ integral: false }))) {
    throw new Error(`execution duration ${name} must be a literal duration to simulate, got a token: pass Duration.minutes(n)`);
  }
  const seconds = duration.toSeconds({ integral: false });
  if (seconds < 0) {
    throw new Error(`execution duration ${name} must not be negative, got ${seconds} s`);
  }
  return seconds;
}
