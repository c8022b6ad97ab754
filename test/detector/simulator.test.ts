import { App, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RELAY_INPUTS, RELAY_MODEL, relayMessage } from './relay-model';
import { DECIMAL_STATES, INTEGER_STATES, READING, READINGS, SETUP, THERMOSTAT, readingText, setupText } from './zone-thermostat';
import {
  ClearTimerAction, DetectorModelDefinition, DetectorSimulator, DetectorTraceLevel, DynamoDbPutItemAction, Expression, InputDefinition,
  IotEventsPutMessageAction, IotSiteWiseAction, IotTopicPublishAction, Payload, ResetTimerAction, SetTimerAction, SetVariableAction,
  SnsTopicPublishAction, State, TimerDuration,
} from '../../src/detector';
import { parseJsonText } from '../../src/private/detector-engine/json-text';

const heartbeat = new InputDefinition({ inputName: 'Heartbeat', attributeJsonPaths: ['deviceId', 'temperature'] });
const alarms = new InputDefinition({ inputName: 'Alarms', attributeJsonPaths: ['device'] });

/** Online until no heartbeat for 5 minutes; counts heartbeats; publishes when it goes offline. */
function heartbeatModel() {
  const online = new State({
    stateName: 'Online',
    onEnter: [{ eventName: 'start', actions: [new SetTimerAction('silence', TimerDuration.fromDuration(Duration.minutes(5)))] }],
    onInput: [{
      eventName: 'beat',
      condition: Expression.currentInput(heartbeat),
      actions: [new ResetTimerAction('silence'), new SetVariableAction('beats', Expression.fromString('$variable.beats + 1'))],
    }],
    onExit: [{ eventName: 'stop', actions: [new ClearTimerAction('silence')] }],
  });
  const offline = new State({
    stateName: 'Offline',
    onEnter: [{
      eventName: 'alarm',
      actions: [
        new IotTopicPublishAction('alerts/offline/${$variable.beats}'),
        SnsTopicPublishAction.fromTopicArn('arn:aws:sns:us-east-1:123456789012:offline', { payload: Payload.text("'device went offline after ${$variable.beats} beats'") }),
        IotEventsPutMessageAction.fromInputName('Alarms', { payload: Payload.json("'{\"device\": \"offline\"}'") }),
      ],
    }],
  });
  const initial = new State({
    stateName: 'New',
    onEnter: [{ eventName: 'init', actions: [new SetVariableAction('beats', Expression.fromString('0'))] }],
  });
  initial.transitionTo(online, { when: Expression.currentInput(heartbeat) });
  online.transitionTo(offline, { when: Expression.timeout('silence') });
  offline.transitionTo(online, { when: Expression.currentInput(heartbeat) });
  return new DetectorModelDefinition({ detectorModelName: 'heartbeat', detectorKey: 'deviceId', initialState: initial });
}

/** Counts the alarms re-injected by the heartbeat model. */
function alarmCounter() {
  const counting = new State({
    stateName: 'Counting',
    onInput: [{ eventName: 'count', condition: Expression.fromString('$input.Alarms.device == "offline"'), actions: [new SetVariableAction('alarms', Expression.fromString('1'))] }],
  });
  return new DetectorModelDefinition({ detectorModelName: 'alarms', initialState: counting });
}

const beat = (messageId: string, deviceId: string, extra: object = {}) => ({
  messageId, inputName: 'Heartbeat', payload: JSON.stringify({ deviceId, temperature: 20 }), ...extra,
});

function simulator() {
  return new DetectorSimulator({ detectorModels: [heartbeatModel(), alarmCounter()], inputs: [heartbeat, alarms] });
}

describe('DetectorSimulator', () => {
  test('creates a detector per key value, runs onEnter, then the message', () => {
    const sim = simulator();
    expect(sim.batchPutMessage({ messages: [beat('a', 'dev-1'), beat('b', 'dev-2'), beat('c', 'dev-1')] })).toEqual({ batchPutMessageErrorEntries: [], BatchPutMessageErrorEntries: [] });
    const d1 = sim.describeDetector({ detectorModelName: 'heartbeat', keyValue: 'dev-1' }).detector;
    expect(d1).toEqual({
      detectorModelName: 'heartbeat',
      keyValue: 'dev-1',
      detectorModelVersion: '1',
      state: { stateName: 'Online', variables: [{ name: 'beats', value: '1' }], timers: [{ name: 'silence', timestamp: new Date(300_000) }] },
      creationTime: new Date(0),
      lastUpdateTime: new Date(0),
    });
    expect(sim.listDetectors({ detectorModelName: 'heartbeat' }).detectorSummaries.map((d) => [d.keyValue, d.state.stateName]))
      .toEqual([['dev-1', 'Online'], ['dev-2', 'Online']]);
    // A model that does not read the input gets no detector.
    expect(sim.listDetectors({ detectorModelName: 'alarms' }).detectorSummaries).toEqual([]);
  });

  test('advanceTime fires timers in due order, records the actions with their evaluated payloads and re-injects iotEvents messages', () => {
    const sim = simulator();
    sim.batchPutMessage({ messages: [beat('a', 'dev-1'), beat('b', 'dev-1')] });
    sim.advanceTime(Duration.minutes(2));
    sim.batchPutMessage({ messages: [beat('c', 'dev-1')] }); // resets the timer: due at 2 + 5 minutes
    sim.advanceTime(Duration.minutes(4));
    expect(sim.describeDetector({ detectorModelName: 'heartbeat', keyValue: 'dev-1' }).detector.state.stateName).toBe('Online');
    expect(sim.actions).toEqual([]);
    sim.advanceTime(Duration.minutes(1));
    expect(sim.currentTime).toEqual(new Date(7 * 60_000));
    expect(sim.describeDetector({ detectorModelName: 'heartbeat', keyValue: 'dev-1' }).detector.state).toEqual({
      stateName: 'Offline', variables: [{ name: 'beats', value: '2' }], timers: [],
    });
    expect(sim.actions.map((a) => [a.type, a.timeInMillis, a.eventName, a.configuration, a.payload])).toEqual([
      ['iotTopicPublish', 420_000, 'alarm', { mqttTopic: 'alerts/offline/2' }, expect.objectContaining({ eventName: 'alarm' })],
      ['sns', 420_000, 'alarm', { targetArn: 'arn:aws:sns:us-east-1:123456789012:offline' }, 'device went offline after 2 beats'],
      ['iotEvents', 420_000, 'alarm', { inputName: 'Alarms' }, { device: 'offline' }],
    ]);
    const defaultPayload = sim.actions[0].payload;
    expect(defaultPayload.payload.detector).toEqual({ detectorModelName: 'heartbeat', keyValue: 'dev-1', detectorModelVersion: '1' });
    expect(defaultPayload.payload.eventTriggerDetails.triggerType).toBe('Timer');
    expect(defaultPayload.payload.state.stateName).toBe('Offline');
    // The re-injected message reached the model that reads Alarms.
    expect(sim.describeDetector({ detectorModelName: 'alarms' }).detector.state.variables).toEqual([{ name: 'alarms', value: '1' }]);
    expect(sim.trace.filter((t) => t.keyValue === 'dev-1').map((t) => t.type)).toEqual(expect.arrayContaining(['detectorCreated', 'transition', 'timerReset', 'timerExpired']));
    expect(sim.trace.find((t) => t.type === 'transition' && t.details.nextState === 'Offline')!.description).toBe("transition 'Online_to_Offline' from Online to Offline");
  });

  test('a message timestamp later than the clock fires the timers due before it', () => {
    const sim = simulator();
    sim.batchPutMessage({ messages: [beat('a', 'dev-1', { timestamp: { timeInMillis: 1000 } })] });
    sim.batchPutMessage({ messages: [beat('b', 'dev-1', { timestamp: { timeInMillis: 1000 + 6 * 60_000 } })] });
    // The timer expired at 5 min 1 s (Offline), then the heartbeat brought the detector back Online.
    expect(sim.trace.filter((t) => t.type === 'transition').map((t) => [t.timeInMillis, t.details.nextState]))
      .toEqual([[1000, 'Online'], [301_000, 'Offline'], [361_000, 'Online']]);
  });

  test('evaluates the messages of one call in timestamp order, a message without one at the call\'s time, equal times in request order', () => {
    const sim = new DetectorSimulator({
      detectorModels: [heartbeatModel(), alarmCounter()], inputs: [heartbeat, alarms], startTime: new Date(10_000),
    });
    const response = sim.batchPutMessage({
      messages: [
        beat('late', 'dev-1', { timestamp: { timeInMillis: 30_000 } }),
        beat('early', 'dev-1', { timestamp: { timeInMillis: 20_000 } }),
        beat('now', 'dev-1'),
        beat('tie', 'dev-2', { timestamp: { timeInMillis: 20_000 } }),
        beat('past', 'dev-1', { timestamp: { timeInMillis: 5_000 } }),
      ],
    });
    expect(response.batchPutMessageErrorEntries).toEqual([]);
    // 'past' created dev-1: evaluated at its own time, before the simulator's clock; the others at theirs
    expect(sim.trace.filter((t) => t.type === 'message').map((t) => [t.details.messageId, t.timeInMillis])).toEqual([
      ['past', 5_000], ['now', 10_000], ['early', 20_000], ['tie', 20_000], ['late', 30_000],
    ]);
    expect(sim.currentTime).toEqual(new Date(30_000));
  });

  test('a message an iotEvents action sends is evaluated after every message of the call, then the messages it causes', () => {
    const sim = new DetectorSimulator({
      detectorModels: [DetectorModelDefinition.fromJson(RELAY_MODEL)], inputs: RELAY_INPUTS.map((i) => InputDefinition.fromJson(i)),
    });
    sim.batchPutMessage({ messages: [relayMessage('m1', 'Fa', 'd1', 1), relayMessage('m2', 'Fa', 'd1', 2), relayMessage('m3', 'Fa', 'd2', 1)] });
    // m1 and m3 sent { v: 100 } to Fb: evaluated after m2, in the order they were sent
    expect(sim.trace.filter((t) => t.type === 'message').map((t) => [t.keyValue, t.details.inputName, t.details.payload.v])).toEqual([
      ['d1', 'Fa', 1], ['d1', 'Fa', 2], ['d2', 'Fa', 1], ['d1', 'Fb', 100], ['d2', 'Fb', 100],
    ]);
    expect(sim.describeDetector({ detectorModelName: 'relay', keyValue: 'd1' }).detector.state.variables).toEqual([{ name: 'last', value: '100' }]);
    // one call each: the re-injected message comes after the message that sent it
    sim.batchPutMessage({ messages: [relayMessage('m4', 'Fa', 'd1', 1)] });
    sim.batchPutMessage({ messages: [relayMessage('m5', 'Fa', 'd1', 2)] });
    expect(sim.describeDetector({ detectorModelName: 'relay', keyValue: 'd1' }).detector.state.variables).toEqual([{ name: 'last', value: '2' }]);
  });

  test('a message is evaluated on its detector\'s clock: at its timestamp, unless the detector evaluated something later', () => {
    const sim = new DetectorSimulator({
      detectorModels: [DetectorModelDefinition.fromJson(RELAY_MODEL)], inputs: RELAY_INPUTS.map((i) => InputDefinition.fromJson(i)),
    });
    const state = (id: string) => sim.describeDetector({ detectorModelName: 'relay', keyValue: id }).detector;
    sim.batchPutMessage({ messages: [relayMessage('m1', 'Fa', 'd1', 5, 100_000)] });
    // d2 has evaluated nothing: its first message counts at 10 s, though the simulator's clock is at 100 s. Its
    // 60 s heartbeat falls due at 70 s, before the clock: it fires at the end of the call, at 70 s
    sim.batchPutMessage({ messages: [relayMessage('m2', 'Fa', 'd2', 6, 10_000)] });
    expect(state('d2')).toMatchObject({ creationTime: new Date(10_000), lastUpdateTime: new Date(70_000), state: { stateName: 'Silent', timers: [] } });
    expect(sim.currentTime).toEqual(new Date(100_000));
    sim.batchPutMessage({ messages: [relayMessage('m3', 'Fa', 'd2', 7, 120_000)] });
    expect(state('d2').state).toEqual({ stateName: 'Watching', variables: [{ name: 'last', value: '1007' }], timers: [{ name: 'hb', timestamp: new Date(180_000) }] });
    expect(sim.trace.filter((t) => t.keyValue === 'd2' && ['message', 'timerExpired'].includes(t.type)).map((t) => [t.type, t.timeInMillis])).toEqual([
      ['message', 10_000], ['timerExpired', 70_000], ['message', 120_000],
    ]);
    // a message older than its detector's last evaluation is evaluated at that time: the clock never goes back
    sim.batchPutMessage({ messages: [relayMessage('m4', 'Fa', 'd1', 8, 50_000)] });
    expect(state('d1')).toMatchObject({ lastUpdateTime: new Date(100_000), state: { variables: [{ name: 'last', value: '8' }], timers: [{ name: 'hb', timestamp: new Date(160_000) }] } });
    expect(sim.histories().find((h) => h.keyValue === 'd2')!.snapshots.map((s) => [s.timeInMillis, s.stateName])).toEqual([
      [10_000, 'Watching'], [70_000, 'Silent'], [120_000, 'Watching'],
    ]);
  });

  test('accepts the payload as a JSON string, as bytes, base64-encoded (as the AWS CLI sends it) and as a parsed object', () => {
    const sim = simulator();
    sim.batchPutMessage({
      messages: [
        { messageId: 'a', inputName: 'Heartbeat', payload: '{"deviceId":"s"}' },
        { messageId: 'b', inputName: 'Heartbeat', payload: new TextEncoder().encode('{"deviceId":"b"}') },
        { messageId: 'c', inputName: 'Heartbeat', payload: Buffer.from('{"deviceId":"n"}') },
        { messageId: 'd', inputName: 'Heartbeat', payload: { deviceId: 'o' } },
        { messageId: 'e', inputName: 'Heartbeat', payload: Buffer.from('{"deviceId":"b64"}').toString('base64') },
      ],
    });
    expect(sim.listDetectors({ detectorModelName: 'heartbeat' }).detectorSummaries.map((d) => d.keyValue)).toEqual(['s', 'b', 'n', 'o', 'b64']);
  });

  test('reports per-entry errors and evaluates the valid messages', () => {
    const sim = simulator();
    const response = sim.batchPutMessage({
      messages: [
        beat('ok', 'dev-1'),
        beat('ok', 'dev-2'),
        { messageId: 'bad id!', inputName: 'Heartbeat', payload: '{}' },
        { messageId: 'x', inputName: 'Nope', payload: '{}' },
        { messageId: 'y', inputName: 'Heartbeat', payload: '{not json' },
        { messageId: 'z', inputName: 'Heartbeat', payload: JSON.stringify({ deviceId: 'big', pad: 'x'.repeat(11_000) }) },
      ],
    });
    expect(response.batchPutMessageErrorEntries.map((e) => [e.messageId, e.errorCode])).toEqual([
      ['ok', 'InvalidRequestException'],
      ['bad id!', 'InvalidRequestException'],
      ['x', 'ResourceNotFoundException'],
      ['y', 'InvalidRequestException'],
      ['z', 'InvalidRequestException'],
    ]);
    expect(response.batchPutMessageErrorEntries[4].errorMessage).toMatch(/at most 10 KB/);
    expect(sim.listDetectors({ detectorModelName: 'heartbeat' }).detectorSummaries.map((d) => d.keyValue)).toEqual(['dev-1']);
  });

  test('error entries come in the order of the request\'s messages, whichever check found them', () => {
    const sim = simulator();
    const response = sim.batchPutMessage({
      messages: [
        { messageId: 'e1', inputName: 'Heartbeat', payload: '{"temperature": 3}' }, // no key: found when evaluated
        beat('ok', 'dev-1'),
        { messageId: 'e2', inputName: 'Nope', payload: '{}' },
        { messageId: 'e3', inputName: 'Heartbeat', payload: '{not json' },
        beat('e4', 'has space'), // a key value IoT Events rejects: found when evaluated
        beat('e5', 'dev-2', { timestamp: { timeInMillis: -1 } }),
        beat('e1', 'dev-3'), // the repeated id
      ],
    });
    expect(response.batchPutMessageErrorEntries.map((e) => [e.messageId, e.errorCode])).toEqual([
      ['e1', 'InvalidRequestException'],
      ['e2', 'ResourceNotFoundException'],
      ['e3', 'InvalidRequestException'],
      ['e4', 'InvalidRequestException'],
      ['e5', 'InvalidRequestException'],
      ['e1', 'InvalidRequestException'],
    ]);
    expect(response.batchPutMessageErrorEntries.map((e) => e.errorMessage)).toEqual([
      "the payload has no deviceId, the key of detector model 'heartbeat'",
      expect.stringMatching(/^input 'Nope' does not exist/),
      expect.any(String),
      expect.stringMatching(/^key value "has space"/),
      expect.stringMatching(/^timestamp.timeInMillis must be a positive integer/),
      "messageId 'e1' appears twice in the batch; message IDs must be unique within a batch",
    ]);
    expect((response as any).BatchPutMessageErrorEntries).toEqual(response.batchPutMessageErrorEntries);
  });

  test('a timestamp past 9999-12-31T23:59:59.999Z is an error entry, and the clock stays usable', () => {
    const sim = simulator();
    const response = sim.batchPutMessage({ messages: [beat('far', 'dev-1', { timestamp: { timeInMillis: 9e15 } })] });
    expect(response.batchPutMessageErrorEntries).toEqual([{
      messageId: 'far',
      errorCode: 'InvalidRequestException',
      errorMessage: 'timestamp.timeInMillis must be a positive integer (milliseconds since the epoch) up to 253402300799999 (9999-12-31T23:59:59.999Z), got 9000000000000000',
    }]);
    expect(sim.currentTime.toISOString()).toBe('1970-01-01T00:00:00.000Z');
  });

  test('a message without an ID gets one; a null timestamp counts as none', () => {
    const sim = simulator();
    expect(sim.batchPutMessage({ messages: [{ inputName: 'Heartbeat', payload: '{"deviceId":"a"}', timestamp: { timeInMillis: null } } as any] }).batchPutMessageErrorEntries).toEqual([]);
    expect(sim.trace.find((t) => t.type === 'message')!.details.messageId).toBe('message-1');
  });

  test('a message without the key, or with a key value IoT Events rejects, reaches no detector, is reported as the runtime does and traced as a warning', () => {
    const sim = simulator();
    const response = sim.batchPutMessage({ messages: [{ messageId: 'a', inputName: 'Heartbeat', payload: '{"temperature": 3}' }, beat('b', 'has space'), beat('c', 'ok')] });
    expect(response.batchPutMessageErrorEntries).toEqual([
      { messageId: 'a', errorCode: 'InvalidRequestException', errorMessage: "the payload has no deviceId, the key of detector model 'heartbeat'" },
      {
        messageId: 'b',
        errorCode: 'InvalidRequestException',
        errorMessage: "key value \"has space\" of detector model 'heartbeat' is not 1-128 characters of letters, digits, '-', '_' and ':'",
      },
    ]);
    expect(sim.listDetectors({ detectorModelName: 'heartbeat' }).detectorSummaries.map((d) => d.keyValue)).toEqual(['ok']);
    expect(sim.trace.filter((t) => t.level === DetectorTraceLevel.WARNING).map((t) => [t.type, t.description])).toEqual([
      ['dropped', 'message a to Heartbeat has no key deviceId; no detector evaluated it'],
      ['dropped', expect.stringMatching(/key value "has space", which is not 1-128 characters/)],
    ]);
    expect(sim.trace.find((t) => t.type === 'message')!.level).toBe(DetectorTraceLevel.INFO);
  });

  test('a message whose messageId was sent less than 5 minutes before is accepted and ignored, traced as a warning; after 5 minutes the ID is new again', () => {
    const sim = simulator();
    const beats = () => sim.describeDetector({ detectorModelName: 'heartbeat', keyValue: 'dev-1' }).detector.state.variables;
    expect(sim.batchPutMessage({ messages: [beat('m1', 'dev-1')] }).batchPutMessageErrorEntries).toEqual([]);
    sim.advanceTime(Duration.seconds(30));
    // the same ID in another call (a client retry, a reused counter), for this detector or another one: no error, no evaluation
    expect(sim.batchPutMessage({ messages: [beat('m1', 'dev-1'), beat('m2', 'dev-1')] }).batchPutMessageErrorEntries).toEqual([]);
    expect(sim.batchPutMessage({ messages: [beat('m1', 'dev-2')] }).batchPutMessageErrorEntries).toEqual([]);
    // the first message took the detector from New to Online, m2 was its first beat
    expect(beats()).toEqual([{ name: 'beats', value: '1' }]);
    expect(sim.listDetectors({ detectorModelName: 'heartbeat' }).detectorSummaries.map((d) => d.keyValue)).toEqual(['dev-1']);
    expect(sim.trace.filter((t) => t.type === 'duplicate')).toEqual([
      {
        timeInMillis: 30_000,
        detectorModelName: 'heartbeat',
        keyValue: 'dev-1',
        type: 'duplicate',
        level: DetectorTraceLevel.WARNING,
        description: 'message m1 to Heartbeat ignored: a message with its ID was sent 30 s before, and IoT Events ignores a messageId sent within '
          + 'the last 5 minutes; give each message a new ID',
        details: { messageId: 'm1', inputName: 'Heartbeat', sentTimeInMillis: 0 },
      },
      expect.objectContaining({ keyValue: 'dev-2', type: 'duplicate', level: DetectorTraceLevel.WARNING }),
    ]);
    // 1 ms short of 5 minutes after it was sent: still ignored; at 5 minutes: evaluated
    sim.advanceTime(Duration.millis(270_000 - 1));
    sim.batchPutMessage({ messages: [beat('m1', 'dev-1')] });
    expect(beats()).toEqual([{ name: 'beats', value: '1' }]);
    sim.advanceTime(Duration.millis(1));
    sim.batchPutMessage({ messages: [beat('m1', 'dev-1')] });
    expect(beats()).toEqual([{ name: 'beats', value: '2' }]);
    // the window starts again from that message
    sim.batchPutMessage({ messages: [beat('m1', 'dev-1', { timestamp: { timeInMillis: 300_000 + 299_999 } })] });
    expect(beats()).toEqual([{ name: 'beats', value: '2' }]);
  });

  test('a message that was refused (an error entry) does not hold its messageId', () => {
    const sim = simulator();
    const response = sim.batchPutMessage({ messages: [{ messageId: 'a', inputName: 'Heartbeat', payload: '{"temperature": 3}' }, { messageId: 'b', inputName: 'Nope', payload: '{}' }] });
    expect(response.batchPutMessageErrorEntries.map((e) => e.messageId)).toEqual(['a', 'b']);
    expect(sim.batchPutMessage({ messages: [beat('a', 'dev-1'), beat('b', 'dev-1')] }).batchPutMessageErrorEntries).toEqual([]);
    expect(sim.describeDetector({ detectorModelName: 'heartbeat', keyValue: 'dev-1' }).detector.state.variables).toEqual([{ name: 'beats', value: '1' }]);
    expect(sim.trace.filter((t) => t.type === 'duplicate')).toEqual([]);
  });

  test('a message another model (without a key, or whose key it has) evaluates is not reported', () => {
    const keyless = new DetectorModelDefinition({
      detectorModelName: 'all',
      initialState: new State({ stateName: 'Any', onInput: [{ eventName: 'e', condition: Expression.currentInput(heartbeat) }] }),
    });
    const sim = new DetectorSimulator({ detectorModels: [heartbeatModel(), keyless], inputs: [heartbeat, alarms] });
    expect(sim.batchPutMessage({ messages: [{ messageId: 'a', inputName: 'Heartbeat', payload: '{"temperature": 3}' }] }).batchPutMessageErrorEntries).toEqual([]);
    expect(sim.trace.filter((t) => t.type === 'dropped').map((t) => t.detectorModelName)).toEqual(['heartbeat']);
  });

  test('fails when the detector key is not an attribute of the inputs the model reads', () => {
    const model = new DetectorModelDefinition({
      detectorModelName: 'typo',
      detectorKey: 'deviceID',
      initialState: new State({ stateName: 'Any', onInput: [{ eventName: 'e', condition: Expression.currentInput(heartbeat) }] }),
    });
    expect(() => new DetectorSimulator({ detectorModels: [model], inputs: [heartbeat, alarms] })).toThrow(
      "detector model 'typo' detectorKey 'deviceID' is not an attribute, nor a path inside one, of the input it reads (Heartbeat: deviceId, temperature): "
      + "did you mean 'deviceId'? every message would reach no detector");
  });

  test('a model read from JSON whose key its inputs do not declare runs, with a warning in the trace', () => {
    const model = DetectorModelDefinition.fromJson({
      detectorModelName: 'cranes',
      key: 'craneid',
      detectorModelDefinition: { initialStateName: 'Any', states: [{ stateName: 'Any', onInput: { events: [{ eventName: 'e', condition: 'currentInput("Heartbeat")' }] } }] },
    });
    const sim = new DetectorSimulator({ detectorModels: [model], inputs: [heartbeat], startTime: new Date(5000) });
    expect(sim.trace).toEqual([{
      timeInMillis: 5000,
      detectorModelName: 'cranes',
      type: 'keyNotDeclared',
      level: DetectorTraceLevel.WARNING,
      description: "detector model 'cranes' key 'craneid' is not an attribute, nor a path inside one, of the input it reads (Heartbeat: deviceId, temperature); "
        + "the nearest attribute is 'deviceId'; accepted because the model was read from JSON and IoT Events reads the key from the whole payload, "
        + "but a message without it reaches no detector; to declare it, set key to one of these attributes or a path inside one, or add 'craneid' to the "
        + 'attributeJsonPaths of the input whose messages carry it',
    }]);
    sim.batchPutMessage({ messages: [{ messageId: 'a', inputName: 'Heartbeat', payload: '{"craneid": "c1"}' }] });
    expect(sim.listDetectors({ detectorModelName: 'cranes' }).detectorSummaries.map((d) => d.keyValue)).toEqual(['c1']);
  });

  test('a model read from JSON that reads an attribute its input does not declare runs on it, with a warning in the trace', () => {
    // as a published freezer monitor does: its input lists id and command, its conditions read temp
    const model = DetectorModelDefinition.fromJson({
      detectorModelName: 'freezer',
      key: 'deviceId',
      evaluationMethod: 'SERIAL',
      detectorModelDefinition: {
        initialStateName: 'Normal',
        states: [
          {
            stateName: 'Normal',
            onEnter: { events: [{ eventName: 'init', condition: 'true', actions: [{ setVariable: { variableName: 'limit', value: '29' } }] }] },
            onInput: { transitionEvents: [{ eventName: 'warm', condition: '$input.Heartbeat.temp > $variable.limit', nextState: 'Warm' }] },
          },
          {
            stateName: 'Warm',
            onInput: {
              events: [{ eventName: 'note', condition: 'true', actions: [{ setVariable: { variableName: 'last', value: '$input.Heartbeat.temp' } }] }],
              transitionEvents: [{ eventName: 'cool', condition: '$input.Heartbeat.temp <= $variable.limit', nextState: 'Normal' }],
            },
          },
        ],
      },
    });
    const sim = new DetectorSimulator({ detectorModels: [model], inputs: [heartbeat], startTime: new Date(5000) });
    expect(sim.trace.map((t) => [t.type, t.level])).toEqual([
      ['attributeNotDeclared', DetectorTraceLevel.WARNING], ['attributeNotDeclared', DetectorTraceLevel.WARNING], ['attributeNotDeclared', DetectorTraceLevel.WARNING],
    ]);
    expect(sim.trace[0].description).toBe("detector model 'freezer' state 'Normal', event 'warm', onInput transition condition, at position 1: "
      + "input 'Heartbeat' does not declare the attribute 'temp' read in '$input.Heartbeat.temp > $variable.limit' (its attributes are deviceId, "
      + "temperature): it is read from the whole payload, as IoT Events read it; to declare it, add 'temp' to the attributes of input 'Heartbeat'");
    const put = (id: string, temp: number) => expect(sim.batchPutMessage({
      messages: [{ messageId: id, inputName: 'Heartbeat', payload: JSON.stringify({ deviceId: 'f1', temp }) }],
    }).batchPutMessageErrorEntries).toEqual([]);
    const read = () => {
      const { state } = sim.describeDetector({ detectorModelName: 'freezer', keyValue: 'f1' }).detector;
      return [state.stateName, Object.fromEntries(state.variables.map((v) => [v.name, v.value]))];
    };
    put('a', 20);
    expect(read()).toEqual(['Normal', { limit: '29' }]);
    put('b', 40);
    expect(read()).toEqual(['Warm', { limit: '29' }]);
    put('c', 35);
    expect(read()).toEqual(['Warm', { limit: '29', last: '35' }]);
    put('d', 10);
    expect(read()).toEqual(['Normal', { limit: '29', last: '10' }]);
  });

  test('a timer reset by its own timeout event runs again: a pump counts its operation minutes', () => {
    // the pattern of aws-samples' IoT Events accelerator: timeout('t') -> count, resetTimer t
    const model = DetectorModelDefinition.fromJson({
      detectorModelName: 'pump',
      key: 'deviceId',
      detectorModelDefinition: {
        initialStateName: 'Off',
        states: [
          {
            stateName: 'Off',
            onInput: {
              transitionEvents: [{
                eventName: 'start',
                condition: '$input.Heartbeat.temperature > 10',
                nextState: 'On',
                actions: [{ setTimer: { timerName: 'minute', seconds: 60 } }],
              }],
            },
          },
          {
            stateName: 'On',
            onInput: {
              events: [{
                eventName: 'tick',
                condition: "timeout('minute')",
                actions: [{ setVariable: { variableName: 'minutes', value: '$variable.minutes + 1' } }, { resetTimer: { timerName: 'minute' } }],
              }],
              transitionEvents: [{ eventName: 'stop', condition: '$input.Heartbeat.temperature <= 10', nextState: 'Off', actions: [{ clearTimer: { timerName: 'minute' } }] }],
            },
            onEnter: { events: [{ eventName: 'init', condition: 'isUndefined($variable.minutes)', actions: [{ setVariable: { variableName: 'minutes', value: '0' } }] }] },
          },
        ],
      },
    });
    const sim = new DetectorSimulator({ detectorModels: [model], inputs: [heartbeat] });
    const put = (id: string, temperature: number) => sim.batchPutMessage({
      messages: [{ messageId: id, inputName: 'Heartbeat', payload: JSON.stringify({ deviceId: 'p1', temperature }) }],
    });
    const read = () => {
      const { state } = sim.describeDetector({ detectorModelName: 'pump', keyValue: 'p1' }).detector;
      return [state.stateName, state.variables.find((v) => v.name === 'minutes')?.value, state.timers.map((t) => t.name)];
    };
    put('a', 20);
    sim.advanceTime(Duration.minutes(3));
    expect(read()).toEqual(['On', '3', ['minute']]);
    sim.advanceTime(Duration.seconds(30));
    put('b', 5);
    sim.advanceTime(Duration.minutes(5));
    expect(read()).toEqual(['Off', '3', []]);
  });

  test('a near miss of a declared attribute still fails, for a model read from JSON too', () => {
    const model = DetectorModelDefinition.fromJson({
      detectorModelName: 'typo',
      detectorModelDefinition: { initialStateName: 'S', states: [{ stateName: 'S', onInput: { events: [{ eventName: 'hot', condition: '$input.Heartbeat.temprature > 80' }] } }] },
    });
    expect(() => new DetectorSimulator({ detectorModels: [model], inputs: [heartbeat] })).toThrow(
      "detector model 'typo' has 1 expression problem:\n  - state 'S', event 'hot', onInput condition, at position 1: input 'Heartbeat' has no attribute "
      + "'temprature': did you mean $input.Heartbeat.temperature? its attributes are deviceId, temperature; add it to the input definition or fix the path");
  });

  test('batchUpdateDetector sets state, variables and timers and runs no event', () => {
    const sim = simulator();
    sim.batchPutMessage({ messages: [beat('a', 'dev-1')] });
    const response = sim.batchUpdateDetector({
      detectors: [
        { messageId: 'u1', detectorModelName: 'heartbeat', keyValue: 'dev-1', state: { stateName: 'Offline', variables: [{ name: 'beats', value: '40' }, { name: 'note', value: 'manual' }], timers: [{ name: 'silence', seconds: 60 }] } },
        { messageId: 'u2', detectorModelName: 'heartbeat', keyValue: 'dev-9', state: { stateName: 'Offline', variables: [], timers: [] } },
        { messageId: 'u3', detectorModelName: 'heartbeat', keyValue: 'dev-1', state: { stateName: 'Limbo', variables: [], timers: [] } },
      ],
    });
    expect(response.batchUpdateDetectorErrorEntries.map((e) => [e.messageId, e.errorCode])).toEqual([['u3', 'InvalidRequestException']]);
    expect(sim.actions).toEqual([]); // Offline's onEnter did not run
    expect(sim.describeDetector({ detectorModelName: 'heartbeat', keyValue: 'dev-1' }).detector.state).toEqual({
      stateName: 'Offline',
      // an unquoted text that is no literal is read as that string (decided); a string is reported JSON-quoted
      variables: [{ name: 'beats', value: '40' }, { name: 'note', value: '"manual"' }],
      timers: [{ name: 'silence', timestamp: new Date(60_000) }],
    });
    // The timer set by the update fires in the Offline state (which has no transition on it).
    sim.advanceTime(Duration.minutes(1));
    expect(sim.trace.filter((t) => t.type === 'timerExpired').map((t) => t.details.stateName)).toEqual(['Offline']);
    // The next heartbeat sees the variables as updated.
    sim.batchPutMessage({ messages: [beat('b', 'dev-1')] });
    expect(sim.describeDetector({ detectorModelName: 'heartbeat', keyValue: 'dev-1' }).detector.state.stateName).toBe('Online');
  });

  test('batchUpdateDetector creates a detector that does not exist, in the given state, running no event (as the runtime does)', () => {
    const sim = simulator();
    sim.advanceTime(Duration.seconds(10));
    const response = sim.batchUpdateDetector({
      detectors: [
        { messageId: 'u1', detectorModelName: 'heartbeat', keyValue: 'dev-9', state: { stateName: 'Offline', variables: [{ name: 'beats', value: '7' }], timers: [{ name: 'silence', seconds: 60 }] } },
        // a keyless model has one detector: a key value given anyway is ignored
        { messageId: 'u2', detectorModelName: 'alarms', keyValue: 'ignored', state: { stateName: 'Counting', variables: [{ name: 'alarms', value: '2.0' }], timers: [] } },
      ],
    });
    expect(response).toEqual({ batchUpdateDetectorErrorEntries: [] });
    // neither New's onEnter (the initial state) nor Offline's ran: no variable set to 0, no action
    expect(sim.actions).toEqual([]);
    expect(sim.trace.filter((t) => t.type === 'detectorCreated' || t.type === 'eventFired')).toEqual([]);
    expect(sim.trace.filter((t) => t.type === 'updated').map((t) => [t.detectorModelName, t.keyValue, t.description, t.details.created])).toEqual([
      ['heartbeat', 'dev-9', 'BatchUpdateDetector created the detector in state Offline', true],
      ['alarms', undefined, 'BatchUpdateDetector created the detector in state Counting', true],
    ]);
    expect(sim.describeDetector({ detectorModelName: 'heartbeat', keyValue: 'dev-9' }).detector).toEqual({
      detectorModelName: 'heartbeat',
      keyValue: 'dev-9',
      detectorModelVersion: '1',
      state: { stateName: 'Offline', variables: [{ name: 'beats', value: '7' }], timers: [{ name: 'silence', timestamp: new Date(70_000) }] },
      creationTime: new Date(10_000),
      lastUpdateTime: new Date(10_000),
    });
    expect(sim.describeDetector({ detectorModelName: 'alarms' }).detector).toEqual({
      detectorModelName: 'alarms',
      detectorModelVersion: '1',
      state: { stateName: 'Counting', variables: [{ name: 'alarms', value: '2' }], timers: [] },
      creationTime: new Date(10_000),
      lastUpdateTime: new Date(10_000),
    });
    expect(sim.listDetectors({ detectorModelName: 'heartbeat' }).detectorSummaries.map((d) => [d.keyValue, d.state.stateName])).toEqual([['dev-9', 'Offline']]);
    // a second update of the same key sets the detector it created; its creation time stays
    sim.advanceTime(Duration.seconds(5));
    sim.batchUpdateDetector({ detectors: [{ messageId: 'u3', detectorModelName: 'heartbeat', keyValue: 'dev-9', state: { stateName: 'Offline', variables: [{ name: 'beats', value: '8' }], timers: [] } }] });
    expect(sim.describeDetector({ detectorModelName: 'heartbeat', keyValue: 'dev-9' }).detector).toMatchObject({
      state: { variables: [{ name: 'beats', value: '8' }], timers: [] }, creationTime: new Date(10_000), lastUpdateTime: new Date(15_000),
    });
    // the next heartbeat goes through Offline's onInput: Online, with the beats the update set
    sim.batchPutMessage({ messages: [beat('b', 'dev-9')] });
    expect(sim.describeDetector({ detectorModelName: 'heartbeat', keyValue: 'dev-9' }).detector.state).toEqual({
      stateName: 'Online', variables: [{ name: 'beats', value: '8' }], timers: [{ name: 'silence', timestamp: new Date(315_000) }],
    });
  });

  test('an entry without keyValue for a model with a key names no detector: ResourceNotFoundException in update, delete and describe', () => {
    const sim = simulator();
    sim.batchPutMessage({ messages: [beat('a', 'dev-1')] });
    const message = "detector model 'heartbeat' has the key deviceId; give keyValue";
    expect(sim.batchUpdateDetector({ detectors: [{ messageId: 'u1', detectorModelName: 'heartbeat', state: { stateName: 'Offline', variables: [], timers: [] } }] }))
      .toEqual({ batchUpdateDetectorErrorEntries: [{ messageId: 'u1', errorCode: 'ResourceNotFoundException', errorMessage: message }] });
    expect(sim.batchDeleteDetector({ detectors: [{ messageId: 'd1', detectorModelName: 'heartbeat' }] }))
      .toEqual({ batchDeleteDetectorErrorEntries: [{ messageId: 'd1', errorCode: 'ResourceNotFoundException', errorMessage: message }] });
    expect(() => sim.describeDetector({ detectorModelName: 'heartbeat' })).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException', message }));
    expect(sim.listDetectors({ detectorModelName: 'heartbeat' }).detectorSummaries.map((d) => [d.keyValue, d.state.stateName])).toEqual([['dev-1', 'Online']]);
    expect(sim.batchUpdateDetector({ detectors: [{ messageId: 'u2', detectorModelName: 'heartbeat', keyValue: 'a b', state: { stateName: 'Offline', variables: [], timers: [] } }] }))
      .toEqual({ batchUpdateDetectorErrorEntries: [{ messageId: 'u2', errorCode: 'InvalidRequestException', errorMessage: 'keyValue "a b" is not 1-128 characters of letters, digits, \'-\', \'_\' and \':\'' }] });
  });

  test('batchDeleteDetector deletes; the next message creates a new detector in the initial state', () => {
    const sim = simulator();
    sim.batchPutMessage({ messages: [beat('a', 'dev-1')] });
    expect(sim.batchDeleteDetector({ detectors: [{ messageId: 'd1', detectorModelName: 'heartbeat', keyValue: 'dev-1' }, { messageId: 'd2', detectorModelName: 'heartbeat', keyValue: 'dev-1' }] }))
      .toEqual({ batchDeleteDetectorErrorEntries: [{ messageId: 'd2', errorCode: 'ResourceNotFoundException', errorMessage: "detector model 'heartbeat' has no detector for key value 'dev-1'" }] });
    expect(() => sim.describeDetector({ detectorModelName: 'heartbeat', keyValue: 'dev-1' })).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
    sim.batchPutMessage({ messages: [beat('b', 'dev-1'), beat('c', 'dev-1')] });
    // New's onEnter set beats to 0, the first message moved it Online, the second counted.
    expect(sim.describeDetector({ detectorModelName: 'heartbeat', keyValue: 'dev-1' }).detector.state.variables).toEqual([{ name: 'beats', value: '1' }]);
  });

  test('describeDetector and listDetectors fail like the Data API', () => {
    const sim = simulator();
    expect(() => sim.describeDetector({ detectorModelName: 'nope' })).toThrow(/detector model 'nope' does not exist; the simulator has heartbeat, alarms/);
    expect(() => sim.describeDetector({ detectorModelName: 'heartbeat' })).toThrow(/has the key deviceId; give keyValue/);
    expect(() => sim.listDetectors({ detectorModelName: 'heartbeat', maxResults: 0 })).toThrow(/maxResults must be an integer from 1 to 250/);
  });

  test('listDetectors pages and filters by state', () => {
    const sim = simulator();
    sim.batchPutMessage({ messages: ['a', 'b', 'c', 'd', 'e'].map((k) => beat(k, `dev-${k}`)) });
    const first = sim.listDetectors({ detectorModelName: 'heartbeat', maxResults: 2 });
    expect(first.detectorSummaries.map((d) => d.keyValue)).toEqual(['dev-a', 'dev-b']);
    const second = sim.listDetectors({ detectorModelName: 'heartbeat', maxResults: 2, nextToken: first.nextToken });
    const third = sim.listDetectors({ detectorModelName: 'heartbeat', maxResults: 2, nextToken: second.nextToken });
    expect([...second.detectorSummaries, ...third.detectorSummaries].map((d) => d.keyValue)).toEqual(['dev-c', 'dev-d', 'dev-e']);
    expect(third.nextToken).toBeUndefined();
    expect(sim.listDetectors({ detectorModelName: 'heartbeat', stateName: 'Offline' }).detectorSummaries).toEqual([]);
  });

  test('listDetectors: a nextToken resumes after the last detector listed, also when detectors were deleted or created in between', () => {
    const sim = simulator();
    sim.batchPutMessage({ messages: ['a', 'b', 'c', 'd'].map((k) => beat(k, `dev-${k}`)) });
    const first = sim.listDetectors({ detectorModelName: 'heartbeat', maxResults: 2 });
    expect(first.detectorSummaries.map((d) => d.keyValue)).toEqual(['dev-a', 'dev-b']);
    sim.batchDeleteDetector({ detectors: [{ messageId: 'del', detectorModelName: 'heartbeat', keyValue: 'dev-a' }] });
    sim.batchPutMessage({ messages: [beat('e', 'dev-e')] });
    const second = sim.listDetectors({ detectorModelName: 'heartbeat', maxResults: 2, nextToken: first.nextToken });
    expect(second.detectorSummaries.map((d) => d.keyValue)).toEqual(['dev-c', 'dev-d']);
    const third = sim.listDetectors({ detectorModelName: 'heartbeat', maxResults: 2, nextToken: second.nextToken });
    expect(third.detectorSummaries.map((d) => d.keyValue)).toEqual(['dev-e']);
    expect(third.nextToken).toBeUndefined();
  });

  test('listDetectors: a nextToken it never returned, or returned for another model, is an InvalidRequestException; an empty one is the first page', () => {
    const sim = simulator();
    sim.batchPutMessage({ messages: ['a', 'b', 'c'].map((k) => beat(k, `dev-${k}`)) });
    sim.batchPutMessage({ messages: [{ messageId: 'x', inputName: 'Alarms', payload: '{"device":"d"}' }] });
    const token = sim.listDetectors({ detectorModelName: 'heartbeat', maxResults: 1 }).nextToken!;
    for (const nextToken of ['0', '1', '2', 'x', 'eyJ9']) {
      expect(() => sim.listDetectors({ detectorModelName: 'heartbeat', nextToken }))
        .toThrow(`nextToken ${JSON.stringify(nextToken)} was not returned by listDetectors for 'heartbeat'`);
    }
    expect(() => sim.listDetectors({ detectorModelName: 'alarms', nextToken: token }))
      .toThrow(`nextToken ${JSON.stringify(token)} was not returned by listDetectors for 'alarms'`);
    expect(sim.listDetectors({ detectorModelName: 'heartbeat', nextToken: '' }).detectorSummaries).toHaveLength(3);
  });

  test('fails when a model reads an input the simulator does not have, naming the state, event and position', () => {
    expect(() => new DetectorSimulator({ detectorModels: [heartbeatModel()], inputs: [alarms] }))
      .toThrow(/detector model 'heartbeat' has \d+ expression problems?:\n {2}- state 'New', event 'New_to_Online', .*at position \d+: .*Heartbeat/);
  });

  test('an unnamed model is called DetectorModel; with one model the name may be left out', () => {
    const sim = new DetectorSimulator({ detectorModels: [new DetectorModelDefinition({ initialState: new State({ stateName: 'Only', onInput: [{ eventName: 'e', condition: Expression.currentInput(alarms) }] }) })], inputs: [alarms] });
    expect(sim.detectorModelNames).toEqual(['DetectorModel']);
    sim.batchPutMessage({ messages: [{ messageId: 'a', inputName: 'Alarms', payload: '{}' }] });
    expect(sim.describeDetector({ detectorModelName: 'DetectorModel' }).detector.state.stateName).toBe('Only');
    expect(sim.describeDetector({ detectorModelName: '' }).detector.detectorModelName).toBe('DetectorModel');
    expect(sim.listDetectors({ detectorModelName: undefined as any }).detectorSummaries).toHaveLength(1);
  });

  test('an action target that is a CDK attribute (a topic\'s ARN) is reported as the token, not evaluated', () => {
    const topic = new sns.Topic(new Stack(new App(), 'S'), 'Alerts');
    const model = new DetectorModelDefinition({
      detectorKey: 'device',
      initialState: new State({ stateName: 'Only', onInput: [{ eventName: 'e', condition: Expression.currentInput(alarms), actions: [new SnsTopicPublishAction(topic)] }] }),
    });
    const sim = new DetectorSimulator({ detectorModels: [model], inputs: [alarms] });
    sim.batchPutMessage({ messages: [{ messageId: 'a', inputName: 'Alarms', payload: '{"device":"d1"}' }] });
    expect(sim.actions.map((a) => [a.type, a.configuration, a.error])).toEqual([['sns', { targetArn: topic.topicArn }, undefined]]);
  });

  test.each([
    [Duration.millis(0.5), 'advanceTime duration must be a whole number of milliseconds (the simulated clock\'s unit), got Duration.millis(0.5) (0.5 ms); pass Duration.millis(1)'],
    [Duration.seconds(Token.asNumber(Lazy.number({ produce: () => 1 }))),
      'advanceTime duration must be known when the test runs, got the token <token> seconds; pass a Duration of a number, such as Duration.minutes(5)'],
  ])('advanceTime fails on %s, naming the value and the fix', (duration, message) => {
    const sim = simulator();
    expect(() => sim.advanceTime(duration)).toThrow(message);
    expect(sim.currentTime.getTime()).toBe(0);
  });

  test('advanceTime takes fractions of a second that are whole milliseconds', () => {
    const sim = simulator();
    sim.advanceTime(Duration.seconds(1.5));
    expect(sim.currentTime.getTime()).toBe(1500);
  });

  test('is deterministic', () => {
    const run = () => {
      const sim = simulator();
      sim.batchPutMessage({ messages: [beat('a', 'x'), beat('b', 'y')] });
      sim.advanceTime(Duration.hours(1));
      return JSON.stringify([sim.trace, sim.actions]);
    };
    expect(run()).toEqual(run());
  });
});

describe('DetectorSimulator: numbers written with a fraction are decimals (20.0), as IoT Events read them', () => {
  const zone = (models: DetectorModelDefinition[] = [DetectorModelDefinition.fromJson(THERMOSTAT)], inputs = [SETUP, READING]) =>
    new DetectorSimulator({ detectorModels: models, inputs: inputs.map((i) => InputDefinition.fromJson(i)) });
  const put = (sim: DetectorSimulator, inputName: string, payload: unknown) => {
    const r = sim.batchPutMessage({ messages: [{ messageId: `m${sim.trace.length}`, inputName, payload }] });
    expect(r.batchPutMessageErrorEntries).toEqual([]);
  };
  const statesOf = (sim: DetectorSimulator) => sim.histories().find((h) => h.detectorModelName === 'zoneThermostat')!.snapshots.map((s) => s.stateName);
  const variablesOf = (sim: DetectorSimulator) =>
    Object.fromEntries(sim.describeDetector({ detectorModelName: 'zoneThermostat', keyValue: 'z1' }).detector.state.variables.map((v) => [v.name, v.value]));

  test('a set point sent as 20.0 keeps the average decimal: integral readings move the zone to cooling, then back to holding', () => {
    const sim = zone();
    put(sim, 'ZoneSetup', setupText('z1', '20.0'));
    for (const c of READINGS) put(sim, 'ZoneReading', readingText('z1', c));
    expect(statesOf(sim)).toEqual(DECIMAL_STATES);
    // DescribeDetector writes the integral decimal 20.0 as "20", as before decimals were told apart
    expect(variablesOf(sim)).toEqual({ target: '20', mean: '19.94', margin: '0.5', sensors: '10' });
    // the history's typed values are plain numbers
    const last = sim.histories()[0].snapshots.at(-1)!;
    expect(last.variables).toStrictEqual({ target: 20, mean: 19.94, margin: 0.5, sensors: 10 });
    expect(sim.trace.map((t) => t.description)).toContain('variable target = 20.0 (configure)');
  });

  test('the same readings after a set point sent as 20 follow integer division and end in heating', () => {
    const sim = zone();
    put(sim, 'ZoneSetup', setupText('z1', '20'));
    for (const c of READINGS) put(sim, 'ZoneReading', readingText('z1', c));
    expect(statesOf(sim)).toEqual(INTEGER_STATES);
    expect(variablesOf(sim)).toEqual({ target: '20', mean: '19', margin: '0.5', sensors: '10' });
  });

  test.each<[string, unknown]>([
    ['bytes', Buffer.from(setupText('z1', '20.0'))],
    ['a Uint8Array', new TextEncoder().encode(setupText('z1', '2e1'))],
    ['base64 text', Buffer.from(setupText('z1', '20.00')).toString('base64')],
  ])('a payload given as %s reads 20.0 the same way', (_, payload) => {
    const sim = zone();
    put(sim, 'ZoneSetup', payload);
    for (const c of READINGS) put(sim, 'ZoneReading', readingText('z1', c));
    expect(statesOf(sim)).toEqual(DECIMAL_STATES);
  });

  test('a payload given as a parsed value cannot tell 20.0 from 20: integer division', () => {
    const sim = zone();
    put(sim, 'ZoneSetup', JSON.parse(setupText('z1', '20.0')));
    for (const c of READINGS) put(sim, 'ZoneReading', readingText('z1', c));
    expect(statesOf(sim)).toEqual(INTEGER_STATES);
  });

  test('a parsed value read with parseJsonText keeps its integral decimals', () => {
    const sim = zone();
    put(sim, 'ZoneSetup', parseJsonText(setupText('z1', '20.0')));
    for (const c of READINGS) put(sim, 'ZoneReading', readingText('z1', c));
    expect(statesOf(sim)).toEqual(DECIMAL_STATES);
  });

  test('batchUpdateDetector reads "20.0" as a decimal and "20" as an integer', () => {
    const run = (text: string) => {
      const sim = zone();
      put(sim, 'ZoneSetup', setupText('z1', '21'));
      const variables = [{ name: 'target', value: text }, { name: 'mean', value: text }, { name: 'margin', value: '0.5' }, { name: 'sensors', value: '10' }];
      const r = sim.batchUpdateDetector({ detectors: [{ messageId: 'u', detectorModelName: 'zoneThermostat', keyValue: 'z1', state: { stateName: 'holding', variables, timers: [] } }] });
      expect(r.batchUpdateDetectorErrorEntries).toEqual([]);
      expect(variablesOf(sim)).toMatchObject({ target: '20', mean: '20' });
      for (const c of READINGS) put(sim, 'ZoneReading', readingText('z1', c));
      return statesOf(sim).slice(-2);
    };
    expect(run('20.0')).toEqual(DECIMAL_STATES.slice(1));
    expect(run('20')).toEqual(INTEGER_STATES.slice(1));
  });

  test('an iotEvents action\'s payload substitutes 20.0 and the input it feeds reads it as a decimal', () => {
    const relayInput = InputDefinition.fromJson({ inputName: 'Relay', attributes: ['zoneId', 'setPoint'] });
    const relay = new DetectorModelDefinition({
      detectorModelName: 'relay',
      initialState: new State({
        stateName: 'Forwarding',
        onInput: [{
          eventName: 'forward',
          condition: Expression.currentInput(relayInput),
          actions: [IotEventsPutMessageAction.fromInputName('ZoneSetup', {
            payload: Payload.json('\'{"zoneId":"${$input.Relay.zoneId}","setPoint":${$input.Relay.setPoint},"tolerance":0.5,"sensors":10}\''),
          })],
        }],
      }),
    });
    const sim = zone([DetectorModelDefinition.fromJson(THERMOSTAT), relay], [SETUP, READING, { inputName: 'Relay', inputDefinition: { attributes: [{ jsonPath: 'zoneId' }, { jsonPath: 'setPoint' }] } }]);
    put(sim, 'Relay', '{"zoneId":"z1","setPoint":20.0}');
    // the recorded action shows the payload parsed as JSON: a plain 20
    expect(sim.actions.map((a) => a.payload)).toEqual([{ zoneId: 'z1', setPoint: 20, tolerance: 0.5, sensors: 10 }]);
    for (const c of READINGS) put(sim, 'ZoneReading', readingText('z1', c));
    expect(statesOf(sim)).toEqual(DECIMAL_STATES);
  });

  test('the message trace shows the payload with plain numbers', () => {
    const sim = zone();
    put(sim, 'ZoneSetup', setupText('z1', '20.0'));
    expect(sim.trace.find((t) => t.type === 'message')!.details.payload).toStrictEqual({ zoneId: 'z1', setPoint: 20, tolerance: 0.5, sensors: 10 });
    expect(sim.trace.find((t) => t.type === 'variableSet')!.details.value).toBe(20);
  });
});

describe('DetectorSimulator: == with an undefined operand is false and != true, as the ISA alarm blueprint needs', () => {
  const tank = new InputDefinition({ inputName: 'TankAlarm', attributeJsonPaths: ['alarmId', 'command', 'level', 'low', 'high'] });
  const level = '$input.TankAlarm.level';
  const command = (c: string) => Expression.fromString(`$input.TankAlarm.command == "${c}"`);
  const save = (value: string) => ({ eventName: 'save', actions: [new SetVariableAction('state', Expression.string(value))] });

  /** Shaped like the console's ISA alarm blueprint: the first message's thresholds are kept, set under `$variable.low != $variable.low`. */
  function tankAlarm() {
    const normal = new State({
      stateName: 'Normal',
      onEnter: [save('normal')],
      onInput: [{
        eventName: 'configure',
        condition: Expression.fromString('$variable.low != $variable.low'),
        actions: [
          new SetVariableAction('low', Expression.fromString('$input.TankAlarm.low')),
          new SetVariableAction('high', Expression.fromString('$input.TankAlarm.high')),
        ],
      }],
    });
    const unacknowledged = new State({ stateName: 'Unacknowledged', onEnter: [save('unack')] });
    const acknowledged = new State({
      stateName: 'Acknowledged',
      onEnter: [save('ack'), { eventName: 'snooze', actions: [new SetTimerAction('snooze', TimerDuration.fromDuration(Duration.minutes(1)))] }],
    });
    // before the thresholds are set, `>` and `<` are undefined and `||` counts them false: no alarm on the first message
    normal.transitionTo(unacknowledged, { eventName: 'abnormal', when: Expression.fromString(`${level} > $variable.high || ${level} < $variable.low`) });
    unacknowledged.transitionTo(acknowledged, { eventName: 'acknowledge', when: command('acknowledge') });
    acknowledged.transitionTo(unacknowledged, { eventName: 're-alarm', when: Expression.timeout('snooze') });
    acknowledged.transitionTo(normal, { eventName: 'reset', when: command('reset') });
    return new DetectorModelDefinition({ detectorModelName: 'tankAlarm', detectorKey: 'alarmId', initialState: normal, inputs: [tank] });
  }

  const sim = new DetectorSimulator({ detectorModels: [tankAlarm()], inputs: [tank] });
  const put = (payload: object) => {
    const r = sim.batchPutMessage({
      messages: [{ messageId: `m${sim.trace.length}`, inputName: 'TankAlarm', payload: JSON.stringify({ alarmId: 'tank-1', ...payload }) }],
    });
    expect(r.batchPutMessageErrorEntries).toEqual([]);
  };
  const read = () => {
    const { state } = sim.describeDetector({ detectorModelName: 'tankAlarm', keyValue: 'tank-1' }).detector;
    const variables = Object.fromEntries(state.variables.map((v) => [v.name, v.value]));
    return { stateName: state.stateName, variables, timers: state.timers.map((t) => t.name) };
  };

  test('the first reading sets the thresholds and stays Normal; later thresholds are ignored; out of range raises, acknowledge snoozes, the snooze re-alarms', () => {
    put({ level: 50, low: 10, high: 90 });
    expect(read()).toEqual({ stateName: 'Normal', variables: { state: '"normal"', low: '10', high: '90' }, timers: [] });

    // the thresholds are set now: `$variable.low != $variable.low` is false, so these are not taken
    put({ level: 80, low: 0, high: 70 });
    expect(read()).toEqual({ stateName: 'Normal', variables: { state: '"normal"', low: '10', high: '90' }, timers: [] });

    put({ level: 95 });
    expect(read()).toMatchObject({ stateName: 'Unacknowledged', variables: { state: '"unack"' } });

    put({ command: 'acknowledge' });
    expect(read()).toEqual({ stateName: 'Acknowledged', variables: { state: '"ack"', low: '10', high: '90' }, timers: ['snooze'] });

    sim.advanceTime(Duration.seconds(59));
    expect(read().stateName).toBe('Acknowledged');
    sim.advanceTime(Duration.seconds(1));
    expect(read()).toEqual({ stateName: 'Unacknowledged', variables: { state: '"unack"', low: '10', high: '90' }, timers: [] });
  });
});

describe('DetectorSimulator: an action text field is an expression only with a reference, a quoted string or a call', () => {
  const sensor = new InputDefinition({ inputName: 'Sensor', attributeJsonPaths: ['id', 'line'] });

  test('topics, DynamoDB keys and SiteWise aliases of numbers and operators are sent as written', () => {
    const model = new DetectorModelDefinition({
      detectorModelName: 'texts',
      detectorKey: 'id',
      initialState: new State({
        stateName: 'Watching',
        onInput: [{
          eventName: 'report',
          condition: Expression.currentInput(sensor),
          actions: [
            new IotTopicPublishAction('2024/10'),
            new IotTopicPublishAction('1-1'),
            new IotTopicPublishAction('lines/${$input.Sensor.line}/2024/10'),
            new IotTopicPublishAction('\'lines/\' + $input.Sensor.line'),
            DynamoDbPutItemAction.fromTableName('readings', { hashKeyField: 'day', hashKeyValue: '2024-10-01', rangeKeyField: 'n', rangeKeyValue: '10/4' }),
            new IotSiteWiseAction({ propertyAlias: '/3/7/1', propertyValue: { integerValue: '100', timeInSeconds: '1586890893' } }),
          ],
        }],
      }),
      inputs: [sensor],
    });
    const sim = new DetectorSimulator({ detectorModels: [model], inputs: [sensor] });
    sim.batchPutMessage({ messages: [{ messageId: 'm', inputName: 'Sensor', payload: JSON.stringify({ id: 's1', line: 'L4' }) }] });
    expect(sim.actions.map((a) => a.configuration)).toEqual([
      { mqttTopic: '2024/10' },
      { mqttTopic: '1-1' },
      { mqttTopic: 'lines/L4/2024/10' },
      { mqttTopic: 'lines/L4' },
      expect.objectContaining({ tableName: 'readings', hashKeyValue: '2024-10-01', rangeKeyValue: '10/4' }),
      { propertyAlias: '/3/7/1', propertyValue: { value: { integerValue: '100' }, timestamp: { timeInSeconds: '1586890893' } } },
    ]);
  });

  test('a model read with fromJson sends the same', () => {
    const model = DetectorModelDefinition.fromJson({
      detectorModelName: 'texts',
      key: 'id',
      detectorModelDefinition: {
        initialStateName: 'Watching',
        states: [{
          stateName: 'Watching',
          onInput: {
            events: [{
              eventName: 'report',
              condition: 'currentInput("Sensor")',
              actions: [{ iotTopicPublish: { mqttTopic: '2024/10' } }, { iotTopicPublish: { mqttTopic: '10' } }, { iotTopicPublish: { mqttTopic: '$input.Sensor.id' } }],
            }],
          },
        }],
      },
    });
    const sim = new DetectorSimulator({ detectorModels: [model], inputs: [sensor] });
    sim.batchPutMessage({ messages: [{ messageId: 'm', inputName: 'Sensor', payload: JSON.stringify({ id: 's1', line: 4 }) }] });
    expect(sim.actions.map((a) => a.configuration.mqttTopic)).toEqual(['2024/10', '10', 's1']);
  });
});
