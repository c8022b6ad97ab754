import { Duration, Lazy, Token } from 'aws-cdk-lib';
import { wholeSeconds } from '../../../src/detector-runtime/private/durations';

describe('wholeSeconds', () => {
  test.each([
    [Duration.minutes(2), 120],
    [Duration.millis(3000), 3],
    [Duration.seconds(0), 0],
  ])('%s is %i seconds', (duration, seconds) => {
    expect(wholeSeconds(duration, 'x timeout', 0, 300, 'the limit')).toBe(seconds);
  });

  test.each([
    [Duration.millis(2500), 'x timeout must be a whole number of seconds from 0 to 300 seconds (the limit), got Duration.millis(2500) (2.5 s); use Duration.seconds(3)'],
    [Duration.hours(1), 'x timeout must be a whole number of seconds from 0 to 300 seconds (the limit), got Duration.hours(1) (3600 s); use Duration.seconds(300) or less'],
    [Duration.minutes(Token.asNumber(Lazy.number({ produce: () => 1 }))), 'x timeout must be known at synth, got the token <token> minutes; pass a Duration of a number from 0 to 300 seconds (the limit)'],
  ])('fails on %s, naming the prop, the value and the fix', (duration, message) => {
    expect(() => wholeSeconds(duration, 'x timeout', 0, 300, 'the limit')).toThrow(message);
  });
});
