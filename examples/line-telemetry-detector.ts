import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  ClearTimerAction, DetectorModelDefinition, Expression, IAction, InputDefinition, IotTopicPublishAction, Payload,
  ResetTimerAction, SetTimerAction, SetVariableAction, SnsTopicPublishAction, State, TimerDuration,
} from '../src';

/** Each message is a sensor reading: `{ "deviceId": "line-1-sensor-1", "temperature": 71.5, "timestamp": 1767225600000 }`. */
export const lineTelemetryInput = new InputDefinition({
  inputName: 'LineTelemetry',
  description: 'Sensor readings of production line 1 (the telemetry stream)',
  attributeJsonPaths: ['deviceId', 'temperature', 'timestamp'],
});

/**
 * One detector per sensor: Overheated after three readings above 80 °C, Normal again after three at or below 75 °C,
 * Silent when no reading arrived for 10 minutes. Alerts go to `factory/line-1/alerts/<deviceId>`, and to `alarmTopic`.
 */
export function lineOverheatDetector(alarmTopic?: sns.ITopic): DetectorModelDefinition {
  const temperature = Expression.inputAttribute(lineTelemetryInput, 'temperature');
  const reading = Expression.currentInput(lineTelemetryInput);
  const hot = Expression.gt(temperature, Expression.number(80));
  const cool = Expression.lte(temperature, Expression.number(75));
  const count = (variable: string) => new SetVariableAction(variable, Expression.fromString(`$variable.${variable} + 1`));
  const alert = (kind: string) => new IotTopicPublishAction('factory/line-1/alerts/${$input.LineTelemetry.deviceId}', {
    payload: Payload.fromExpression(Expression.fromString(
      `'{"alert": "${kind}", "deviceId": "\${$input.LineTelemetry.deviceId}", "temperature": \${$input.LineTelemetry.temperature}}'`)),
  });
  // A timer's evaluation has no input: the silence alarm sends IoT Events' default payload (its keyValue names the sensor).
  const notify = (payload?: Payload): IAction[] => (alarmTopic ? [new SnsTopicPublishAction(alarmTopic, { payload })] : []);
  const heartbeat = { eventName: 'reading', condition: reading, actions: [new ResetTimerAction('silence')] };

  const normal = new State({
    stateName: 'Normal',
    onEnter: [{
      eventName: 'start',
      actions: [
        new SetVariableAction('hotReadings', Expression.number(0)),
        new SetTimerAction('silence', TimerDuration.fromDuration(Duration.minutes(10))),
      ],
    }],
    onInput: [
      heartbeat,
      { eventName: 'hot', condition: hot, actions: [count('hotReadings')] },
      { eventName: 'not hot', condition: Expression.and(reading, Expression.not(hot)), actions: [new SetVariableAction('hotReadings', Expression.number(0))] },
    ],
  });
  const overheated = new State({
    stateName: 'Overheated',
    onEnter: [{
      eventName: 'raise',
      actions: [
        alert('overheated'),
        ...notify(Payload.json('\'{"alarm": "overheated", "deviceId": "${$input.LineTelemetry.deviceId}"}\'')),
        new SetVariableAction('coolReadings', Expression.number(0)),
      ],
    }],
    onInput: [
      heartbeat,
      { eventName: 'cool', condition: cool, actions: [count('coolReadings')] },
      { eventName: 'not cool', condition: Expression.and(reading, Expression.not(cool)), actions: [new SetVariableAction('coolReadings', Expression.number(0))] },
    ],
  });
  const silent = new State({
    stateName: 'Silent',
    onEnter: [{ eventName: 'raise', actions: [new IotTopicPublishAction('factory/line-1/alerts/silent'), ...notify()] }],
  });

  // BATCH evaluation: a transition sees the counter as it was before this reading, hence ">= 2".
  normal.transitionTo(overheated, { eventName: 'Overheating', when: Expression.and(hot, Expression.fromString('$variable.hotReadings >= 2')) });
  overheated.transitionTo(normal, {
    eventName: 'CooledDown',
    when: Expression.and(cool, Expression.fromString('$variable.coolReadings >= 2')),
    executing: [alert('cleared')],
  });
  for (const s of [normal, overheated]) {
    s.transitionTo(silent, { eventName: `${s.stateName}_silent`, when: Expression.timeout('silence'), executing: [new ClearTimerAction('silence')] });
  }
  silent.transitionTo(normal, { eventName: 'Back', when: reading });

  return new DetectorModelDefinition({
    detectorModelName: 'line-1-overheat',
    description: 'Overheating and silent sensors on production line 1',
    detectorKey: 'deviceId',
    initialState: normal,
    inputs: [lineTelemetryInput],
  });
}
