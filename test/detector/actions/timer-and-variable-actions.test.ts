import { App, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import { DetectorModelDefinition, Expression, SetTimerAction, TimerDuration } from '../../../src/detector';

const setTimer = (action: SetTimerAction) => action.renderActionConfig().configuration.setTimer;

describe('SetTimerAction with a TimerDuration', () => {
  test.each([
    ['Duration.minutes(10)', Duration.minutes(10), '600'],
    ['Duration.seconds(1), the minimum', Duration.seconds(1), '1'],
    ['Duration.days(366), the maximum', Duration.days(366), '31622400'],
    ['Duration.millis(90000), whole seconds in millis', Duration.millis(90_000), '90'],
    ['Duration.minutes(0.5)', Duration.minutes(0.5), '30'],
  ])('fromDuration(%s) renders its seconds', (_, duration, seconds) => {
    expect(setTimer(new SetTimerAction('t', TimerDuration.fromDuration(duration)))).toEqual({ timerName: 't', durationExpression: seconds });
  });

  test('fromExpression renders the expression', () => {
    expect(setTimer(new SetTimerAction('t', TimerDuration.fromExpression(Expression.fromString('$variable.m * 60')))))
      .toEqual({ timerName: 't', durationExpression: '$variable.m * 60' });
  });

  test.each([
    ['a fraction of a second (millis)', Duration.millis(1500),
      "timer 'silence' duration must be a whole number of seconds, got Duration.millis(1500) (1.5 s); IoT Events sets timers in seconds: use Duration.seconds(2)"],
    ['a fraction of a second (seconds)', Duration.seconds(90.2),
      "timer 'silence' duration must be a whole number of seconds, got Duration.seconds(90.2) (90.2 s); IoT Events sets timers in seconds: use Duration.seconds(90)"],
    ['under a second', Duration.millis(300),
      "timer 'silence' duration must be a whole number of seconds, got Duration.millis(300) (0.3 s); IoT Events sets timers in seconds: use Duration.seconds(1)"],
    ['zero', Duration.seconds(0),
      "timer 'silence' duration must be between 1 and 31622400 seconds (366 days), got Duration.seconds(0) (0 s); use a Duration from Duration.seconds(1) to Duration.days(366), in whole seconds"],
    ['over 366 days', Duration.days(400),
      "timer 'silence' duration must be between 1 and 31622400 seconds (366 days), got Duration.days(400) (34560000 s); use a Duration from Duration.seconds(1) to Duration.days(366), in whole seconds"],
  ])('fails on %s, naming the timer, the value and the fix', (_, duration, message) => {
    const timer = TimerDuration.fromDuration(duration);
    expect(() => new SetTimerAction('silence', timer)).toThrow(message);
  });

  test('fails on a literal expression out of range, naming the timer', () => {
    expect(() => new SetTimerAction('silence', TimerDuration.fromExpression(Expression.number(0)))).toThrow(
      "timer 'silence' duration must be between 1 and 31622400 seconds (366 days), got 0; use TimerDuration.fromDuration(Duration.minutes(n)) with a value in range");
  });

  test('a token in seconds is kept for deployment; a token in another unit fails naming the timer', () => {
    const stack = new Stack(new App(), 'S');
    const seconds = Token.asNumber(Lazy.number({ produce: () => 120 }));
    const rendered = setTimer(new SetTimerAction('t', TimerDuration.fromDuration(Duration.seconds(seconds))));
    expect(stack.resolve(rendered)).toEqual({ timerName: 't', durationExpression: '120' });
    expect(() => new SetTimerAction('late', TimerDuration.fromDuration(Duration.minutes(seconds)))).toThrow(
      "timer 'late' duration <token> minutes comes from a token in a unit other than seconds, which cannot be converted at synth; "
      + 'give it as Duration.seconds(<token>), or use TimerDuration.fromExpression');
  });

  test('an imported model keeps the deprecated seconds field; out of range it fails with the state and the timer', () => {
    const json = (seconds: number) => ({
      detectorModelDefinition: { initialStateName: 'S', states: [{ stateName: 'S', onEnter: { events: [{ eventName: 'e', actions: [{ setTimer: { timerName: 't', seconds } }] }] } }] },
    });
    expect(DetectorModelDefinition.fromJson(json(60)).toJson().detectorModelDefinition.states[0].onEnter.events[0].actions).toEqual([{ setTimer: { timerName: 't', seconds: 60 } }]);
    expect(() => DetectorModelDefinition.fromJson(json(0))).toThrow(/setTimer 't' seconds must be an integer from 1 to 31622400, got 0/);
  });
});
