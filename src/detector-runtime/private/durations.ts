import { Duration } from 'aws-cdk-lib';

/**
 * The whole number of seconds of a `Duration` prop, checked to be in `[min, max]`; throws naming the prop
 * (`what`), the value and the fix, in place of CDK's generic conversion error ("'1500 millis' cannot be
 * converted into a whole number of seconds").
 *
 * @param why the source of the range, e.g. "Lambda's 15-minute maximum"
 */
export function wholeSeconds(duration: Duration, what: string, min: number, max: number, why: string): number {
  const range = `from ${min} to ${max} seconds (${why})`;
  if (duration.isUnresolved()) {
    throw new Error(`${what} must be known at synth, got the token ${duration.toHumanString()}; pass a Duration of a number ${range}`);
  }
  const seconds = duration.toMilliseconds({ integral: false }) / 1000;
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    const near = Math.min(max, Math.max(min, Math.round(seconds)));
    throw new Error(`${what} must be a whole number of seconds ${range}, got ${duration.toString()} (${seconds} s); `
      + `use Duration.seconds(${near})${near === max && seconds > max ? ' or less' : ''}`);
  }
  return seconds;
}
