import { Duration } from 'aws-cdk-lib';
import { expectedApiJson, loadFixtures } from './fixtures';
import {
  ClearTimerAction, DetectorModelDefinition, DetectorSimulator, EventEvaluation, Expression, InputDefinition, LambdaInvokeAction, Payload,
  ResetTimerAction, SetTimerAction, SetVariableAction, SnsTopicPublishAction, State, TimerDuration,
} from '../../src/detector';
import { describeWithShared } from '../shared-oracle';

const pressure = new InputDefinition({ inputName: 'PressureInput', attributeJsonPaths: ['motorid', 'sensorData.pressure'] });

function motorModel(extra: { evaluationMethod?: EventEvaluation; inputs?: InputDefinition[] } = {}) {
  const normal = new State({
    stateName: 'Normal',
    onEnter: [{ eventName: 'init', condition: Expression.fromString('true'), actions: [new SetVariableAction('breached', Expression.fromString('0'))] }],
  });
  const dangerous = new State({
    stateName: 'Dangerous',
    onEnter: [{ eventName: 'alarm', actions: [SnsTopicPublishAction.fromTopicArn('arn:aws:sns:us-east-1:123456789012:alarm')] }],
    onInput: [{
      eventName: 'okay',
      condition: Expression.lte(Expression.inputAttribute(pressure, 'sensorData.pressure'), Expression.number(70)),
      actions: [new SetVariableAction('breached', Expression.fromString('$variable.breached - 1'))],
    }],
    onExit: [{ eventName: 'cleared', actions: [new ClearTimerAction('t')] }],
  });
  normal.transitionTo(dangerous, {
    when: Expression.gt(Expression.inputAttribute(pressure, 'sensorData.pressure'), Expression.number(70)),
    executing: [new SetVariableAction('breached', Expression.fromString('3')), new SetTimerAction('t', TimerDuration.fromDuration(Duration.minutes(5)))],
  });
  dangerous.transitionTo(normal, { eventName: 'BackToNormal', when: Expression.fromString('$variable.breached <= 1') });
  return new DetectorModelDefinition({ detectorModelName: 'motor', detectorKey: 'motorid', initialState: normal, ...extra });
}

describe('DetectorModelDefinition', () => {
  test('renders the typed model as a CreateDetectorModel request', () => {
    const model = motorModel({ evaluationMethod: EventEvaluation.SERIAL });
    expect(model.stateNames).toEqual(['Normal', 'Dangerous']);
    expect(model.toJson()).toEqual({
      detectorModelName: 'motor',
      key: 'motorid',
      evaluationMethod: 'SERIAL',
      detectorModelDefinition: {
        initialStateName: 'Normal',
        states: [
          {
            stateName: 'Normal',
            onEnter: { events: [{ eventName: 'init', condition: 'true', actions: [{ setVariable: { variableName: 'breached', value: '0' } }] }] },
            onInput: {
              transitionEvents: [{
                eventName: 'Normal_to_Dangerous',
                condition: expect.stringMatching(/^\$input\.PressureInput\.sensorData\.pressure > 70$/),
                actions: [
                  { setVariable: { variableName: 'breached', value: '3' } },
                  { setTimer: { timerName: 't', durationExpression: '300' } },
                ],
                nextState: 'Dangerous',
              }],
            },
          },
          {
            stateName: 'Dangerous',
            onEnter: { events: [{ eventName: 'alarm', actions: [{ sns: { targetArn: 'arn:aws:sns:us-east-1:123456789012:alarm' } }] }] },
            onInput: {
              events: [{
                eventName: 'okay',
                condition: '$input.PressureInput.sensorData.pressure <= 70',
                actions: [{ setVariable: { variableName: 'breached', value: '$variable.breached - 1' } }],
              }],
              transitionEvents: [{ eventName: 'BackToNormal', condition: '$variable.breached <= 1', nextState: 'Normal' }],
            },
            onExit: { events: [{ eventName: 'cleared', actions: [{ clearTimer: { timerName: 't' } }] }] },
          },
        ],
      },
    });
  });

  test('with inputs, checks every expression at definition time', () => {
    expect(() => motorModel({ inputs: [pressure] })).not.toThrow();
    const other = new InputDefinition({ inputName: 'Other', attributeJsonPaths: ['x'] });
    expect(() => motorModel({ inputs: [other] })).toThrow(/state 'Normal'.*Normal_to_Dangerous[\s\S]*PressureInput/);
  });

  test('without inputs, checks syntax, variables and functions now and leaves inputs for later', () => {
    const model = (condition: string) => new DetectorModelDefinition({
      detectorModelName: 'm',
      initialState: new State({ stateName: 'S', onInput: [{ eventName: 'check', condition: Expression.fromString(condition) }] }),
    });
    expect(() => model('$input.Anything.x > 1')).not.toThrow();
    expect(() => model('$input.In.x >')).toThrow(/detector model 'm' has 1 expression problem:\n {2}- state 'S', event 'check', .*at position \d+: syntax error/);
    expect(() => model('$variable.never > 1')).toThrow(/state 'S', event 'check'.*never/);
    expect(() => model('timeout(1)')).toThrow(/state 'S', event 'check'.*timeout/);
  });

  test.each([
    ['a name with a space', { detectorModelName: 'my model' }, /detectorModelName "my model" does not match/],
    ['a key that is not a JSON path', { detectorKey: 'a..b' }, /key "a\.\.b" does not match/],
  ])('fails on %s', (_, props, message) => {
    expect(() => new DetectorModelDefinition({ initialState: new State({ stateName: 'S' }), ...props })).toThrow(message);
  });

  describe('fails when an expression is wrong, naming the state, the event, the field and the position', () => {
    const telemetry = new InputDefinition({ inputName: 'Telemetry', attributeJsonPaths: ['temperature', 'status'] });
    const build = (parts: { when?: string; value?: string; content?: string; enter?: string; exit?: string }) => {
      const idle = new State({
        stateName: 'Idle',
        onEnter: [{
          eventName: 'arm',
          condition: Expression.fromString(parts.enter ?? 'true'),
          actions: [
            new SetVariableAction('count', Expression.fromString(parts.value ?? '0')),
            new SetTimerAction('cooldown', TimerDuration.fromDuration(Duration.minutes(2))),
          ],
        }],
        onExit: [{
          eventName: 'leave',
          condition: Expression.fromString(parts.exit ?? 'true'),
          actions: [SnsTopicPublishAction.fromTopicArn('arn:aws:sns:us-east-1:123456789012:t', { payload: Payload.text(parts.content ?? '\'left\'') })],
        }],
      });
      idle.transitionTo(new State({ stateName: 'Busy' }), { eventName: 'start', when: Expression.fromString(parts.when ?? 'true') });
      return new DetectorModelDefinition({ detectorModelName: 'pump', initialState: idle, inputs: [telemetry] });
    };

    test.each([
      [{ when: 'timeout("cooldwn")' }, 'state \'Idle\', event \'start\', onInput transition condition, at position 9: unknown timer \'cooldwn\' in '
        + 'timeout(): did you mean timeout("cooldown")? no setTimer action sets it (the model\'s timers are cooldown) in \'timeout("cooldwn")\''],
      [{ when: '$variable.cnt > 2' }, 'state \'Idle\', event \'start\', onInput transition condition, at position 1: unknown variable \'cnt\' in '
        + '$variable.cnt: did you mean $variable.count? no setVariable action sets it (the model sets count) in \'$variable.cnt > 2\''],
      [{ when: '$input.Telemetry.temprature > 2' }, 'state \'Idle\', event \'start\', onInput transition condition, at position 1: input \'Telemetry\' '
        + 'has no attribute \'temprature\': did you mean $input.Telemetry.temperature? its attributes are status, temperature; add it to the input '
        + 'definition or fix the path'],
      [{ value: '\'abc' }, 'state \'Idle\', event \'arm\', onEnter actions[0].setVariable.value, at position 1: syntax error: unterminated string: '
        + 'the \' opened at position 1 is never closed; end it with \''],
      [{ enter: '($variable.count > 1' }, 'state \'Idle\', event \'arm\', onEnter condition, at position 21: syntax error: expected \')\' to close '
        + 'the parenthesis opened at position 1, found end of expression'],
      [{ enter: '$variable.count > 1)' }, 'state \'Idle\', event \'arm\', onEnter condition, at position 20: syntax error: unexpected \')\': no \'(\' is open'],
      [{ content: '\'{"t": ${$input.Telemetry.temperature\'' }, 'state \'Idle\', event \'leave\', onExit actions[0].sns.payload.contentExpression, '
        + 'at position 38: syntax error: expected \'}\' to close the substitution opened at position 8, found \'\'\''],
      [{ content: '\'now ${}\'' }, 'state \'Idle\', event \'leave\', onExit actions[0].sns.payload.contentExpression, at position 6: syntax error: '
        + 'empty substitution \'${}\''],
      [{ exit: 'contains($input.Telemetry.status)' }, 'state \'Idle\', event \'leave\', onExit condition, at position 1: contains() takes 2 '
        + 'arguments, got 1: write it as contains($input.In.text, "part")'],
      [{ exit: 'endswith($input.Telemetry.status, "x")' }, 'state \'Idle\', event \'leave\', onExit condition, at position 1: unknown function '
        + '\'endswith()\': did you mean endsWith()?'],
      [{ exit: 'startsWith($input.Telemetry.status, 1)' }, 'state \'Idle\', event \'leave\', onExit condition, at position 37: startsWith() needs '
        + 'string arguments, got integer'],
      [{ exit: '$input.Telemetry.status == 1 + "a"' }, 'state \'Idle\', event \'leave\', onExit condition, at position 30: incompatible operand '
        + 'types for \'+\': integer and string'],
    ])('%j', (parts, line) => {
      expect(() => build(parts)).toThrow(`detector model 'pump' has 1 expression problem:\n  - ${line}`);
    });

    test('every problem is listed, in the order of the model', () => {
      expect(() => build({ enter: '1 +', when: 'timeout("nope")' }))
        .toThrow(/has 2 expression problems:\n {2}- state 'Idle', event 'arm', .*\n {2}- state 'Idle', event 'start', /);
    });
  });

  describe('detectorKey', () => {
    const telemetry = new InputDefinition({ inputName: 'Telemetry', attributeJsonPaths: ['deviceId', 'temperature', 'payload'] });
    const other = new InputDefinition({ inputName: 'Other', attributeJsonPaths: ['serial'] });
    const keyed = (detectorKey: string, inputs?: InputDefinition[]) => new DetectorModelDefinition({
      detectorModelName: 'keyed',
      detectorKey,
      initialState: new State({ stateName: 'S', onInput: [{ eventName: 'hot', condition: Expression.gt(Expression.inputAttribute(telemetry, 'temperature'), Expression.number(80)) }] }),
      inputs,
    });

    test.each(['deviceId', 'payload.deviceId', 'payload.`device-id`'])('accepts %s, an attribute of the input the model reads or a path inside one', (key) => {
      expect(keyed(key, [telemetry, other]).detectorKey).toBe(key);
    });

    test('fails when no input the model reads provides it, naming the key, the attributes and the nearest one', () => {
      expect(() => keyed('deviceID', [telemetry])).toThrow(
        "detector model 'keyed' detectorKey 'deviceID' is not an attribute, nor a path inside one, of the input it reads "
        + "(Telemetry: deviceId, temperature, payload): did you mean 'deviceId'? every message would reach no detector: "
        + "set detectorKey to one of these attributes or a path inside one, or add 'deviceID' to the attributeJsonPaths of the input whose messages carry it");
    });

    test.each([
      ['temp', "the nearest attribute is 'temperature'"],
      ['body.deviceId', "did you mean 'deviceId'?"],
      ['serial', "it is an attribute of 'Other', which the model does not read"],
    ])('fails for %s too (%s)', (key, hint) => {
      expect(() => keyed(key, [telemetry, other])).toThrow(hint);
    });

    test('is checked only once the inputs are known', () => {
      expect(keyed('deviceID').toJson().key).toBe('deviceID');
    });

    test('fromJson: a near miss fails; a key no input declares and no attribute is close to is accepted, as IoT Events accepted it', () => {
      const json = (key: string) => ({
        detectorModelName: 'imported',
        key,
        detectorModelDefinition: { initialStateName: 'S', states: [{ stateName: 'S', onInput: { events: [{ eventName: 'e', condition: '$input.Telemetry.temperature > 80' }] } }] },
      });
      expect(() => DetectorModelDefinition.fromJson(json('deviceID'), { inputs: [telemetry] }))
        .toThrow("detector model 'imported' key 'deviceID' is not an attribute, nor a path inside one, of the input it reads (Telemetry: deviceId, temperature, payload): did you mean 'deviceId'?");
      expect(() => DetectorModelDefinition.fromJson(json('serial'), { inputs: [telemetry, other] }))
        .toThrow("it is an attribute of 'Other', which the model does not read");
      expect(DetectorModelDefinition.fromJson(json('craneid'), { inputs: [telemetry] }).detectorKey).toBe('craneid');
    });
  });

  describe('$input attributes the input does not declare', () => {
    const telemetry = new InputDefinition({ inputName: 'Telemetry', attributeJsonPaths: ['deviceId', 'temperature', 'payload'] });
    const json = (condition: string) => ({
      detectorModelName: 'imported',
      detectorModelDefinition: { initialStateName: 'S', states: [{ stateName: 'S', onInput: { events: [{ eventName: 'e', condition }] } }] },
    });

    test('fromJson accepts one that is no near miss of a declared attribute, as IoT Events accepted it (read from the whole payload)', () => {
      const model = DetectorModelDefinition.fromJson(json('$input.Telemetry.hum > 80'), { inputs: [telemetry] });
      expect(model.toJson().detectorModelDefinition.states[0].onInput.events[0].condition).toBe('$input.Telemetry.hum > 80');
    });

    test('fromJson still fails on a near miss, and on an unknown input', () => {
      expect(() => DetectorModelDefinition.fromJson(json('$input.Telemetry.temprature > 80'), { inputs: [telemetry] }))
        .toThrow("input 'Telemetry' has no attribute 'temprature': did you mean $input.Telemetry.temperature?");
      expect(() => DetectorModelDefinition.fromJson(json('$input.Telemtry.hum > 80'), { inputs: [telemetry] }))
        .toThrow("unknown input 'Telemtry' in $input.Telemtry.hum: did you mean 'Telemetry'?");
    });

    test('a typed model fails, naming the attributes', () => {
      const s = new State({ stateName: 'S', onInput: [{ eventName: 'e', condition: Expression.fromString('$input.Telemetry.hum > 80') }] });
      expect(() => new DetectorModelDefinition({ detectorModelName: 'typed', initialState: s, inputs: [telemetry] }))
        .toThrow("state 'S', event 'e', onInput condition, at position 1: input 'Telemetry' has no attribute 'hum': its attributes are deviceId, payload, "
          + 'temperature; add it to the input definition or fix the path');
    });
  });

  test('fails when a condition is longer than 512 characters', () => {
    const s = new State({ stateName: 'S', onInput: [{ eventName: 'long', condition: Expression.fromString(`${'1 + '.repeat(130)}1 > 0`) }] });
    expect(() => new DetectorModelDefinition({ initialState: s })).toThrow(/state 'S' onInput event 'long' condition must be at most 512 characters long, got 525/);
  });

  test('fails when a timer is out of range', () => {
    expect(() => new SetTimerAction('t', TimerDuration.fromDuration(Duration.days(400)))).toThrow(/between 1 and 31622400 seconds/);
  });

  test('fails on more than 5 timers, 50 variables or 20 conditions in a state', () => {
    const timers = [0, 1, 2, 3, 4, 5].map((i) => new SetTimerAction(`t${i}`, TimerDuration.fromDuration(Duration.minutes(1))));
    expect(() => new DetectorModelDefinition({ initialState: new State({ stateName: 'S', onEnter: [{ eventName: 'e', actions: timers }] }) }))
      .toThrow(/sets 6 timers \(t0, t1, t2, t3, t4, t5\); IoT Events schedules at most 5 timers per detector/);
    const vars = Array.from({ length: 51 }, (_, i) => new SetVariableAction(`v${i}`, Expression.fromString('1')));
    expect(() => new DetectorModelDefinition({ initialState: new State({ stateName: 'S', onEnter: [{ eventName: 'e', actions: vars }] }) }))
      .toThrow(/sets 51 variables; IoT Events allows 50/);
    const events = Array.from({ length: 21 }, (_, i) => ({ eventName: `e${i}`, condition: Expression.fromString('true') }));
    expect(() => new DetectorModelDefinition({ initialState: new State({ stateName: 'S', onInput: events }) }))
      .toThrow(/state 'S' has 21 conditions; IoT Events allows 20 trigger expressions per state/);
  });

  test('fails when the definition exceeds 512 KB', () => {
    const events = Array.from({ length: 600 }, (_, i) => ({
      eventName: `e${i}`,
      actions: [LambdaInvokeAction.fromFunctionArn(`arn:aws:lambda:us-east-1:123456789012:function:${'f'.repeat(1000)}`)],
    }));
    expect(() => new DetectorModelDefinition({ initialState: new State({ stateName: 'S', onEnter: events }) }))
      .toThrow(/definition is \d+ bytes; IoT Events accepts at most 512 KB/);
  });

  test('fails when two states share a name', () => {
    const a = new State({ stateName: 'A' });
    const b = new State({ stateName: 'A' });
    a.transitionTo(b, { when: Expression.fromString('true') });
    expect(() => new DetectorModelDefinition({ initialState: a })).toThrow(/two different states are named 'A'/);
  });

  test('resetTimer and clearTimer render their API shape', () => {
    expect(new ResetTimerAction('t').renderActionConfig().configuration).toEqual({ resetTimer: { timerName: 't' } });
    expect(new ClearTimerAction('t').renderActionConfig().configuration).toEqual({ clearTimer: { timerName: 't' } });
  });
});

describe('DetectorModelDefinition.fromJson', () => {
  const definition = {
    states: [{ stateName: 'A', onInput: { events: [], transitionEvents: [{ eventName: 'go', condition: '$input.In.x > 1', nextState: 'B' }] } },
      { stateName: 'B', onEnter: { events: [{ eventName: 'hi', actions: [{ iotTopicPublish: { mqttTopic: 'a/b' } }] }] } }],
    initialStateName: 'A',
  };

  test('reads a CreateDetectorModel request and renders it back unchanged', () => {
    const request = { detectorModelName: 'm', key: 'id', evaluationMethod: 'SERIAL', detectorModelDescription: 'd', roleArn: 'arn:aws:iam::1:role/r', detectorModelDefinition: definition };
    const model = DetectorModelDefinition.fromJson(request);
    expect(model.detectorModelName).toBe('m');
    expect(model.evaluationMethod).toBe(EventEvaluation.SERIAL);
    expect(model.toJson()).toEqual({ detectorModelName: 'm', key: 'id', evaluationMethod: 'SERIAL', detectorModelDescription: 'd', detectorModelDefinition: definition });
  });

  test('reads DescribeDetectorModel\'s detectorModel and the whole response', () => {
    const detectorModel = {
      detectorModelConfiguration: { detectorModelName: 'm', key: 'id', evaluationMethod: 'BATCH', detectorModelVersion: '1', status: 'ACTIVE', roleArn: 'arn:aws:iam::1:role/r' },
      detectorModelDefinition: definition,
    };
    for (const json of [detectorModel, { detectorModel }]) {
      expect(DetectorModelDefinition.fromJson(json).toJson()).toEqual({ detectorModelName: 'm', key: 'id', evaluationMethod: 'BATCH', detectorModelDefinition: definition });
    }
  });

  test('reads AWS::IoTEvents::DetectorModel Properties, joining Fn::Join and resolving a Ref to an input of the template', () => {
    const properties = {
      DetectorModelName: 'm',
      Key: 'id',
      RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
      DetectorModelDefinition: {
        InitialStateName: 'A',
        States: [{
          StateName: 'A',
          OnInput: {
            Events: [{
              EventName: 'e',
              Condition: { 'Fn::Join': ['', ['$input.', { Ref: 'In1' }, '.x > 1']] },
              Actions: [{ DynamoDBv2: { TableName: 't', Payload: { ContentExpression: "'{}'", Type: 'JSON' } } }],
            }],
          },
        }],
      },
    };
    const template = {
      Resources: {
        In1: { Type: 'AWS::IoTEvents::Input', Properties: { InputName: 'In', InputDefinition: { Attributes: [{ JsonPath: 'x' }] } } },
        Model: { Type: 'AWS::IoTEvents::DetectorModel', Properties: properties },
      },
    };
    expect(DetectorModelDefinition.fromJson(template).toJson().detectorModelDefinition.states[0].onInput.events[0]).toEqual({
      eventName: 'e', condition: '$input.In.x > 1', actions: [{ dynamoDBv2: { tableName: 't', payload: { contentExpression: "'{}'", type: 'JSON' } } }],
    });
    // Properties alone: the Ref is the logical ID until inputs are known (or refs maps it).
    expect(DetectorModelDefinition.fromJson(properties, { refs: { In1: 'In' } }).toJson().detectorModelDefinition.states[0].onInput.events[0].condition)
      .toBe('$input.In.x > 1');
    const inputs = [new InputDefinition({ inputName: 'In', attributeJsonPaths: ['x'] })];
    expect(DetectorModelDefinition.fromJson(properties, { inputs }).toJson().detectorModelDefinition.states[0].onInput.events[0].condition)
      .toBe('$input.In.x > 1');
  });

  describe('CloudFormation\'s PascalCase: scalars are coerced to the field\'s type, as CloudFormation coerces them', () => {
    // the Properties a YAML template gives when its author writes numbers and booleans unquoted (and quotes a number)
    const loose = {
      DetectorModelName: 'loose',
      Key: 'id',
      DetectorModelDefinition: {
        InitialStateName: 'Idle',
        States: [{
          StateName: 'Idle',
          OnEnter: {
            Events: [{
              EventName: 'arm',
              Condition: true,
              Actions: [
                { SetVariable: { VariableName: 'count', Value: 0 } },
                { SetTimer: { TimerName: 'short', DurationExpression: 60 } },
                { SetTimer: { TimerName: 'long', Seconds: '120' } },
              ],
            }],
          },
          OnInput: {
            Events: [{ EventName: 'forward', Condition: '$input.In.id != ""', Actions: [{ Sqs: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', UseBase64: 'TRUE' } }] }],
            TransitionEvents: [{ EventName: 'never', Condition: false, NextState: 'Idle' }],
          },
        }],
      },
    };
    const api = {
      detectorModelName: 'loose',
      key: 'id',
      detectorModelDefinition: {
        initialStateName: 'Idle',
        states: [{
          stateName: 'Idle',
          onEnter: {
            events: [{
              eventName: 'arm',
              condition: 'true',
              actions: [
                { setVariable: { variableName: 'count', value: '0' } },
                { setTimer: { timerName: 'short', durationExpression: '60' } },
                { setTimer: { timerName: 'long', seconds: 120 } },
              ],
            }],
          },
          onInput: {
            events: [{ eventName: 'forward', condition: '$input.In.id != ""', actions: [{ sqs: { queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', useBase64: true } }] }],
            transitionEvents: [{ eventName: 'never', condition: 'false', nextState: 'Idle' }],
          },
        }],
      },
    };

    test('DurationExpression: 60, Seconds: "120", UseBase64: "TRUE", Condition: true, Value: 0 read as CloudFormation reads them', () => {
      expect(DetectorModelDefinition.fromJson(loose).toJson()).toEqual(api);
      expect(DetectorModelDefinition.fromJson({ Resources: { M: { Type: 'AWS::IoTEvents::DetectorModel', Properties: loose } } }).toJson()).toEqual(api);
    });

    test('the coerced model runs: the timers fire at 60 s and 120 s', () => {
      const input = new InputDefinition({ inputName: 'In', attributeJsonPaths: ['id'] });
      const sim = new DetectorSimulator({ detectorModels: [DetectorModelDefinition.fromJson(loose)], inputs: [input] });
      sim.batchPutMessage({ messages: [{ messageId: 'm', inputName: 'In', payload: '{"id":"a"}' }] });
      expect(sim.describeDetector({ detectorModelName: 'loose', keyValue: 'a' }).detector.state.timers).toEqual([
        { name: 'long', timestamp: new Date(120_000) }, { name: 'short', timestamp: new Date(60_000) },
      ]);
      expect(sim.actions.map((a) => [a.type, a.configuration.useBase64])).toEqual([['sqs', true]]);
    });

    test('top-level scalars too: DetectorModelName and Key given as numbers are their text', () => {
      const model = DetectorModelDefinition.fromJson({ ...loose, DetectorModelName: 2024, Key: 7 });
      expect([model.detectorModelName, model.detectorKey]).toEqual(['2024', '7']);
    });

    test.each<[string, unknown, RegExp]>([
      ['Seconds: "sixty"', { SetTimer: { TimerName: 't', Seconds: 'sixty' } }, /setTimer 't' seconds must be an integer from 1 to 31622400, got "sixty"/],
      ['Seconds: "60.5"', { SetTimer: { TimerName: 't', Seconds: '60.5' } }, /setTimer 't' seconds must be an integer from 1 to 31622400, got "60.5"/],
      ['UseBase64: "yes"', { Sqs: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', UseBase64: 'yes' } }, /sqs useBase64 must be a boolean, got "yes"/],
    ])('fails on what CloudFormation cannot coerce either: %s', (_, action, message) => {
      const json = { DetectorModelDefinition: { InitialStateName: 'A', States: [{ StateName: 'A', OnEnter: { Events: [{ EventName: 'e', Actions: [action] }] } }] } };
      expect(() => DetectorModelDefinition.fromJson(json)).toThrow(message);
    });

    test.each<[string, unknown, RegExp]>([
      ['seconds: "60"', { setTimer: { timerName: 't', seconds: '60' } },
        /setTimer 't' seconds must be an integer from 1 to 31622400, got "60"; the API takes a JSON number here \(write 60, not "60"\), or a string in durationExpression/],
      ['durationExpression: 60', { setTimer: { timerName: 't', durationExpression: 60 } }, /setTimer durationExpression must be a string, got 60/],
      ['useBase64: "true"', { sqs: { queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', useBase64: 'true' } }, /sqs useBase64 must be a boolean, got "true"/],
      ['value: 0', { setVariable: { variableName: 'v', value: 0 } }, /setVariable value must be a string, got 0/],
    ])('the API\'s typed JSON is not coerced: %s fails, naming the type', (_, action, message) => {
      const json = { detectorModelDefinition: { initialStateName: 'A', states: [{ stateName: 'A', onEnter: { events: [{ eventName: 'e', actions: [action] }] } }] } };
      expect(() => DetectorModelDefinition.fromJson(json)).toThrow(message);
    });

    test('the API\'s condition: true fails, naming the type', () => {
      const json = { detectorModelDefinition: { initialStateName: 'A', states: [{ stateName: 'A', onEnter: { events: [{ eventName: 'e', condition: true }] } }] } };
      expect(() => DetectorModelDefinition.fromJson(json)).toThrow("state 'A' onEnter event 'e' condition must be a string expression, got true");
    });
  });

  // A template of ours in the shape `cdk synth` gives: an input, a function, a queue and a parameter next to the model.
  const template = (modelDefinition: any, extra: Record<string, any> = {}) => ({
    Parameters: { Threshold: { Type: 'Number', Default: 30 }, Unset: { Type: 'String' } },
    Resources: {
      SensorIn12AB: { Type: 'AWS::IoTEvents::Input', Properties: { InputName: 'Sensor', InputDefinition: { Attributes: [{ JsonPath: 'id' }, { JsonPath: 't' }] } } },
      AlertFn34CD: { Type: 'AWS::Lambda::Function', Properties: {} },
      AlertQueue56EF: { Type: 'AWS::SQS::Queue', Properties: {} },
      Model: { Type: 'AWS::IoTEvents::DetectorModel', Properties: { Key: 'id', RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] }, DetectorModelDefinition: modelDefinition } },
      ...extra,
    },
  });
  const oneState = (event: any) => ({ InitialStateName: 'A', States: [{ StateName: 'A', OnInput: { Events: [event] } }] });
  const hot = { 'Fn::Join': ['', ['$input.', { Ref: 'SensorIn12AB' }, '.t > 30']] };
  const sensor = new InputDefinition({ inputName: 'Sensor', attributeJsonPaths: ['id', 't'] });

  test('keeps an intrinsic known only at deployment as written in an action\'s target, and the simulator reports it', () => {
    const targets = [
      { Lambda: { FunctionArn: { 'Fn::GetAtt': ['AlertFn34CD', 'Arn'] } } },
      { Sns: { TargetArn: { 'Fn::Join': ['', ['arn:aws:sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alerts']] } } },
      { Sqs: { QueueUrl: { Ref: 'AlertQueue56EF' } } },
      { IotTopicPublish: { MqttTopic: { 'Fn::Sub': '${AWS::StackName}/alerts' } } },
    ];
    const model = DetectorModelDefinition.fromJson(template(oneState({ EventName: 'hot', Condition: hot, Actions: targets })));
    expect(model.toJson().detectorModelDefinition.states[0].onInput.events[0]).toEqual({
      eventName: 'hot',
      condition: '$input.Sensor.t > 30',
      actions: [
        { lambda: { functionArn: { 'Fn::GetAtt': ['AlertFn34CD', 'Arn'] } } },
        { sns: { targetArn: { 'Fn::Join': ['', ['arn:aws:sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alerts']] } } },
        { sqs: { queueUrl: { Ref: 'AlertQueue56EF' } } },
        { iotTopicPublish: { mqttTopic: { 'Fn::Sub': '${AWS::StackName}/alerts' } } },
      ],
    });
    const sim = new DetectorSimulator({ detectorModels: [model], inputs: [sensor] });
    sim.batchPutMessage({ messages: [{ messageId: '1', inputName: 'Sensor', payload: JSON.stringify({ id: 'a', t: 31 }) }] });
    expect(sim.actions.map((a) => [a.type, a.configuration, a.error])).toEqual([
      ['lambda', { functionArn: { 'Fn::GetAtt': ['AlertFn34CD', 'Arn'] } }, undefined],
      ['sns', { targetArn: { 'Fn::Join': ['', ['arn:aws:sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alerts']] } }, undefined],
      ['sqs', { queueUrl: { Ref: 'AlertQueue56EF' } }, undefined],
      ['iotTopicPublish', { mqttTopic: { 'Fn::Sub': '${AWS::StackName}/alerts' } }, undefined],
    ]);
  });

  test('never takes a pseudo parameter or another resource for the only input', () => {
    const arn = { 'Fn::Join': ['', ['arn:aws:sns:', { Ref: 'AWS::Region' }, ':1:t']] };
    const properties = { Key: 'id', DetectorModelDefinition: oneState({ EventName: 'e', Condition: hot, Actions: [{ Sns: { TargetArn: arn } }, { Sqs: { QueueUrl: { Ref: 'Queue' } } }] }) };
    const model = DetectorModelDefinition.fromJson(properties, { inputs: [sensor] });
    expect(model.toJson().detectorModelDefinition.states[0].onInput.events[0].actions).toEqual([{ sns: { targetArn: arn } }, { sqs: { queueUrl: { Ref: 'Queue' } } }]);
  });

  test('a property set to { Ref: AWS::NoValue } is absent, as in CloudFormation', () => {
    const properties = { DetectorModelDescription: { Ref: 'AWS::NoValue' }, DetectorModelDefinition: oneState({ EventName: 'e', Condition: hot, Actions: [{ Sqs: { QueueUrl: 'q', UseBase64: { Ref: 'AWS::NoValue' } } }] }) };
    expect(DetectorModelDefinition.fromJson(properties, { inputs: [sensor] }).toJson()).toEqual({
      detectorModelDefinition: { initialStateName: 'A', states: [{ stateName: 'A', onInput: { events: [{ eventName: 'e', condition: '$input.Sensor.t > 30', actions: [{ sqs: { queueUrl: 'q' } }] }] } }] },
    });
  });

  test.each([
    ['a GetAtt in a condition', { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['AlertFn34CD', 'Arn'] }, ' == "x"']] }, undefined,
      /States\[0\]\.OnInput\.Events\[0\]\.Condition: .* cannot be resolved here: an attribute of AlertFn34CD, known only at deployment; pass its value: fromJson\(json, \{ refs: \{ 'AlertFn34CD\.Arn': '<value>' \} \}\)/],
    ['a pseudo parameter in a setVariable value', 'true', { SetVariable: { VariableName: 'r', Value: { 'Fn::Sub': "'${AWS::Region}'" } } },
      /Actions\[0\]\.SetVariable\.Value: .* AWS::Region is a pseudo parameter, known only at deployment; pass its value: fromJson\(json, \{ refs: \{ 'AWS::Region': '<value>' \} \}\)/],
    ['a Ref to another resource in a payload', 'true', { Lambda: { FunctionArn: 'arn:aws:lambda:us-east-1:1:function:f', Payload: { ContentExpression: { Ref: 'AlertQueue56EF' }, Type: 'STRING' } } },
      /Payload\.ContentExpression: \{"Ref":"AlertQueue56EF"\} cannot be resolved here: AlertQueue56EF is an AWS::SQS::Queue of the template.*refs: \{ 'AlertQueue56EF': '<value>' \}/],
    ['a template parameter without a Default', { 'Fn::Sub': '$input.${SensorIn12AB}.t > ${Unset}' }, undefined,
      /Unset is a template parameter without a Default; pass its value: fromJson\(json, \{ refs: \{ 'Unset': '<value>' \} \}\)/],
    ['Fn::ImportValue in a condition', { 'Fn::Join': ['', ['$input.', { 'Fn::ImportValue': 'Inputs:ExportsOutputRefSensor' }, '.t > 1']] }, undefined,
      /Condition: .* cannot be resolved here: it imports Inputs:ExportsOutputRefSensor, an output of another stack known only at deployment; pass its value: fromJson\(json, \{ refs: \{ 'Inputs:ExportsOutputRefSensor': '<value>' \} \}\)/],
    ['Fn::Select in a condition', { 'Fn::Select': [0, ['true']] }, undefined, /Condition: \{"Fn::Select":\[0,\["true"\]\]\} cannot be resolved here: Fn::Select is evaluated only at deployment; replace it by the value it stands for/],
  ])('fails on %s, naming its path and what to pass', (_, condition, action, message) => {
    const json = template(oneState({ EventName: 'e', Condition: condition, ...(action ? { Actions: [action] } : {}) }));
    expect(() => DetectorModelDefinition.fromJson(json)).toThrow(message);
  });

  test('refs gives the value of an Fn::GetAtt, a pseudo parameter and an Fn::ImportValue; a template parameter stands for its Default', () => {
    const json = template(oneState({
      EventName: 'e',
      Condition: { 'Fn::Sub': '$input.${SensorIn12AB}.t > ${Threshold}' },
      Actions: [
        { SetVariable: { VariableName: 'where', Value: { 'Fn::Sub': "'${AWS::Region}'" } } },
        { Lambda: { FunctionArn: { 'Fn::GetAtt': ['AlertFn34CD', 'Arn'] } } },
      ],
    }));
    const model = DetectorModelDefinition.fromJson(json, { refs: { 'AWS::Region': 'eu-west-1', 'AlertFn34CD.Arn': 'arn:aws:lambda:eu-west-1:1:function:alert' } });
    const imported = template(oneState({ EventName: 'e', Condition: { 'Fn::Join': ['', ['$input.', { 'Fn::ImportValue': 'Inputs:ExportsOutputRefSensor' }, '.t > 1']] } }));
    expect(DetectorModelDefinition.fromJson(imported, { refs: { 'Inputs:ExportsOutputRefSensor': 'Sensor' } }).toJson().detectorModelDefinition.states[0].onInput.events[0].condition)
      .toBe('$input.Sensor.t > 1');
    expect(model.toJson().detectorModelDefinition.states[0].onInput.events[0]).toEqual({
      eventName: 'e',
      condition: '$input.Sensor.t > 30',
      actions: [
        { setVariable: { variableName: 'where', value: "'eu-west-1'" } },
        { lambda: { functionArn: 'arn:aws:lambda:eu-west-1:1:function:alert' } },
      ],
    });
  });

  test('Fn::Sub keeps ${!...} as the IoT Events substitution it escapes, and reads its variable map', () => {
    const json = template(oneState({
      EventName: 'e',
      Condition: { 'Fn::Sub': ['$input.${In}.t > ${Limit}', { In: { Ref: 'SensorIn12AB' }, Limit: '40' }] },
      Actions: [{ IotTopicPublish: { MqttTopic: 'alerts', Payload: { ContentExpression: { 'Fn::Sub': "'${!$input.Sensor.id} is hot in ${AWS::Region}'" }, Type: 'STRING' } } }],
    }));
    const event = DetectorModelDefinition.fromJson(json, { refs: { 'AWS::Region': 'eu-west-1' } }).toJson().detectorModelDefinition.states[0].onInput.events[0];
    expect(event.condition).toBe('$input.Sensor.t > 40');
    expect(event.actions[0].iotTopicPublish.payload.contentExpression).toBe("'${$input.Sensor.id} is hot in eu-west-1'");
  });

  test('reads the snake_case of a Terraform awscc_iotevents_detector_model (terraform show -json values)', () => {
    const values = {
      id: 'm',
      detector_model_name: 'm',
      key: 'id',
      evaluation_method: 'SERIAL',
      detector_model_description: null,
      role_arn: 'arn:aws:iam::1:role/r',
      tags: null,
      detector_model_definition: {
        initial_state_name: 'A',
        states: [{
          state_name: 'A',
          on_enter: null,
          on_input: {
            events: [{
              event_name: 'e',
              condition: 'true',
              actions: [
                { dynamo_d_bv_2: { table_name: 't', payload: { content_expression: "'{}'", type: 'JSON' } }, dynamo_db: null },
                { dynamo_db: { hash_key_field: "'id'", hash_key_value: "'x'", table_name: 'u' } },
                { sqs: { queue_url: 'q', use_base_64: true } },
                { set_timer: { timer_name: 't1', duration_expression: '60', seconds: null } },
              ],
            }],
            transition_events: [{ event_name: 'go', condition: '$input.In.x > 1', next_state: 'A', actions: null }],
          },
        }],
      },
    };
    expect(DetectorModelDefinition.fromJson(values).toJson()).toEqual({
      detectorModelName: 'm',
      key: 'id',
      evaluationMethod: 'SERIAL',
      detectorModelDefinition: {
        initialStateName: 'A',
        states: [{
          stateName: 'A',
          onInput: {
            events: [{
              eventName: 'e',
              condition: 'true',
              actions: [
                { dynamoDBv2: { tableName: 't', payload: { contentExpression: "'{}'", type: 'JSON' } } },
                { dynamoDB: { hashKeyField: "'id'", hashKeyValue: "'x'", tableName: 'u' } },
                { sqs: { queueUrl: 'q', useBase64: true } },
                { setTimer: { timerName: 't1', durationExpression: '60' } },
              ],
            }],
            transitionEvents: [{ eventName: 'go', condition: '$input.In.x > 1', nextState: 'A' }],
          },
        }],
      },
    });
  });

  test('reads a bare DetectorModelDefinition, as --detector-model-definition takes it', () => {
    const model = DetectorModelDefinition.fromJson(definition);
    expect(model.detectorModelName).toBeUndefined();
    expect(model.detectorKey).toBeUndefined();
    expect(model.toJson()).toEqual({ detectorModelDefinition: definition });
  });

  test('fails when the definition has no initialStateName, listing the states to choose from', () => {
    expect(() => DetectorModelDefinition.fromJson({ states: definition.states }))
      .toThrow(/initialStateName must name one of the states, got undefined; set it to the state new detectors start in \(A, B\)/);
  });

  test('fails when a transition leads to an unknown state', () => {
    const json = { detectorModelName: 'm', detectorModelDefinition: { initialStateName: 'A', states: [{ stateName: 'A', onInput: { transitionEvents: [{ eventName: 'go', condition: 'true', nextState: 'Nowhere' }] } }] } };
    expect(() => DetectorModelDefinition.fromJson(json)).toThrow(/transition 'go' goes to 'Nowhere', which is not a state of the model \(A\)/);
  });

  test('fails when a transition has no nextState, saying so (not "goes to \'undefined\'")', () => {
    const json = { detectorModelName: 'm', detectorModelDefinition: { initialStateName: 'A', states: [{ stateName: 'A', onInput: { transitionEvents: [{ eventName: 'go', condition: 'true' }] } }] } };
    expect(() => DetectorModelDefinition.fromJson(json)).toThrow("detector model 'm': state 'A' transition 'go' has no nextState; set it to the state the transition goes to (A)");
  });

  test('fails on an action type IoT Events does not have, naming it and the nearest type', () => {
    const json = (action: object) => ({ detectorModelName: 'm', detectorModelDefinition: { initialStateName: 'A', states: [{ stateName: 'A', onEnter: { events: [{ eventName: 'e', actions: [action] }] } }] } });
    expect(() => DetectorModelDefinition.fromJson(json({ setTimmer: { timerName: 't', seconds: 60 } }))).toThrow(
      "state 'A' onEnter event 'e' action 0 has 'setTimmer', which is no action type: did you mean 'setTimer'? the types are setVariable, sns, ");
    expect(() => DetectorModelDefinition.fromJson(json({ setVariable: { variableName: 'v', value: '1' }, sns: { targetArn: 'arn:aws:sns:us-east-1:123456789012:t' } })))
      .toThrow('got setVariable, sns; put each action in its own object');
  });

  test('fails on JSON text, saying to parse it first', () => {
    expect(() => DetectorModelDefinition.fromJson('{"detectorModelDefinition": {}}')).toThrow(
      'detector model json must be an object, got a string ("{\\"detectorModelDefinition\\": {}}"); parse it first: DetectorModelDefinition.fromJson(JSON.parse(text))');
    expect(() => InputDefinition.fromJson('{"inputName": "In"}')).toThrow('parse it first: InputDefinition.fromJson(JSON.parse(text))');
  });

  describe('fails when a setTimer has both seconds and durationExpression, as IoT Events did (InvalidRequestException), naming the state, event and timer', () => {
    const both = { setTimer: { timerName: 'snooze', seconds: 60, durationExpression: '$variable.snoozeSeconds' } };
    const message = "state 'Acknowledged' onEnter event 'Create Timer' action 0 setTimer 'snooze' has both seconds (60) and durationExpression "
      + '("$variable.snoozeSeconds"), which IoT Events rejects (InvalidRequestException); keep one: durationExpression, as seconds is deprecated';
    const states = [{ stateName: 'Acknowledged', onEnter: { events: [{ eventName: 'Create Timer', condition: 'true', actions: [both] }] } }];

    test('in a CreateDetectorModel request', () => {
      expect(() => DetectorModelDefinition.fromJson({ detectorModelName: 'm', detectorModelDefinition: { initialStateName: 'Acknowledged', states } }))
        .toThrow(message);
    });

    test('in AWS::IoTEvents::DetectorModel Properties', () => {
      const properties = {
        DetectorModelName: 'm',
        DetectorModelDefinition: {
          InitialStateName: 'Acknowledged',
          States: [{
            StateName: 'Acknowledged',
            OnEnter: { Events: [{ EventName: 'Create Timer', Condition: 'true', Actions: [{ SetTimer: { TimerName: 'snooze', Seconds: 60, DurationExpression: '$variable.snoozeSeconds' } }] }] },
          }],
        },
      };
      expect(() => DetectorModelDefinition.fromJson(properties)).toThrow(message);
    });

    test('in a typed model, from an action that renders both', () => {
      const action = { renderActionConfig: () => ({ configuration: both }) };
      const state = new State({ stateName: 'Acknowledged', onEnter: [{ eventName: 'Create Timer', condition: Expression.fromString('true'), actions: [action] }] });
      expect(() => new DetectorModelDefinition({ initialState: state })).toThrow(message);
    });

    test('either one alone is accepted', () => {
      for (const setTimer of [{ timerName: 'snooze', seconds: 60 }, { timerName: 'snooze', durationExpression: '60' }]) {
        const one = [{ stateName: 'Acknowledged', onEnter: { events: [{ eventName: 'Create Timer', actions: [{ setTimer }] }] } }];
        expect(DetectorModelDefinition.fromJson({ detectorModelDefinition: { initialStateName: 'Acknowledged', states: one } }).toJson()
          .detectorModelDefinition.states[0].onEnter.events[0].actions).toEqual([{ setTimer }]);
      }
    });
  });

  test('fails when the JSON has no definition', () => {
    expect(() => DetectorModelDefinition.fromJson({ detectorModelName: 'm' })).toThrow(/has no detectorModelDefinition/);
  });
});

describeWithShared('published detector models', () => {
  const fixtures = loadFixtures();
  test('there are eleven', () => expect(fixtures).toHaveLength(11));
  test.each(fixtures.map((f) => [f.file, f] as const))('%s loads, validates against its inputs and renders back', (_, fixture) => {
    const inputs = fixture.inputs.map((i) => InputDefinition.fromJson(i));
    const model = DetectorModelDefinition.fromJson(fixture.detectorModel, { inputs });
    expect(model.toJson()).toEqual(expectedApiJson(fixture));
    // Rendering is stable: reading the rendered JSON gives the same JSON again.
    expect(DetectorModelDefinition.fromJson(model.toJson(), { inputs }).toJson()).toEqual(model.toJson());
  });
});
