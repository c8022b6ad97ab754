import { Duration } from 'aws-cdk-lib';
import { ComponentUpdatePolicy } from '../../src';

describe('ComponentUpdatePolicy', () => {
  test('notifyComponents without a timeout keeps the service default', () => {
    const policy = ComponentUpdatePolicy.notifyComponents();
    expect(policy.notify).toBe(true);
    expect(policy.timeout).toBeUndefined();
  });

  test.each([Duration.seconds(1), Duration.minutes(2), Duration.seconds(2147483647)])('notifyComponents accepts a timeout of %s', (timeout) => {
    expect(ComponentUpdatePolicy.notifyComponents(timeout).timeout).toBe(timeout);
  });

  test.each([
    [Duration.millis(1500), 'componentUpdatePolicy: timeout must be a whole number of seconds, got 1.5 seconds: use Duration.seconds(2) or another whole number of seconds'],
    [Duration.millis(500), 'componentUpdatePolicy: timeout must be a whole number of seconds, got 0.5 seconds: use Duration.seconds(1) or another whole number of seconds'],
    [Duration.seconds(0), 'componentUpdatePolicy: timeout must be from 1 to 2147483647 seconds, got 0 seconds: choose a duration in that range'],
    [Duration.seconds(2147483648), 'componentUpdatePolicy: timeout must be from 1 to 2147483647 seconds, got 2147483648 seconds: choose a duration in that range'],
  ])('fails when the timeout is %s', (timeout, message) => {
    expect(() => ComponentUpdatePolicy.notifyComponents(timeout)).toThrow(message);
  });

  test('skipNotifyComponents has no timeout', () => {
    const policy = ComponentUpdatePolicy.skipNotifyComponents();
    expect(policy.notify).toBe(false);
    expect(policy.timeout).toBeUndefined();
  });
});
