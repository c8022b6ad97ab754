import {
  ActionShape, CompiledDetectorModel, DetectorInstance, DetectorModelProblems, DetectorModelShape, EvaluationResult,
  InputShape, StateShape, compileDetectorModel, evaluateInput, fireTimer, isCloudFormationIntrinsic, keyValueOf,
} from '../../../../src/private/detector-engine/evaluator';
import { IntegralDecimal } from '../../../../src/private/detector-engine/expression';
import { parseJsonText } from '../../../../src/private/detector-engine/json-text';

const dec = (n: number) => new IntegralDecimal(n);

const IN: InputShape = { inputName: 'In', inputDefinition: { attributes: [{ jsonPath: 'id' }, { jsonPath: 'v' }, { jsonPath: 'd.e' }, { jsonPath: 'cmd' }] } };
const OTHER: InputShape = { inputName: 'Other', inputDefinition: { attributes: [{ jsonPath: 'id' }, { jsonPath: 'w' }] } };

function model(states: StateShape[], opts: Partial<DetectorModelShape> = {}, initial?: string): DetectorModelShape {
  return {
    detectorModelName: 'm',
    key: 'id',
    ...opts,
    detectorModelDefinition: { states, initialStateName: initial ?? states[0].stateName },
  };
}

const setVar = (variableName: string, value: string): ActionShape => ({ setVariable: { variableName, value } });
const sns = (name: string): ActionShape => ({ sns: { targetArn: `arn:aws:sns:us-east-1:123456789012:${name}` } });

function compile(m: DetectorModelShape, inputs: InputShape[] = [IN, OTHER]): CompiledDetectorModel {
  return compileDetectorModel(m, inputs);
}

function send(c: CompiledDetectorModel, d: DetectorInstance | undefined, payload: Record<string, unknown>, inputName = 'In', timestampMs = 1_000_000): EvaluationResult {
  return evaluateInput(c, d, { inputName, payload: { id: 'k1', ...payload }, timestampMs, messageId: 'm1' });
}

function problemsOf(m: DetectorModelShape, inputs: InputShape[] = [IN, OTHER]) {
  try {
    compileDetectorModel(m, inputs);
  } catch (e) {
    if (e instanceof DetectorModelProblems) return e.problems;
    throw e;
  }
  throw new Error('expected problems');
}

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

describe('a new key value', () => {
  test('creates the detector in the initial state, runs its onEnter, then the message goes through onInput', () => {
    const c = compile(model([
      {
        stateName: 'A',
        onEnter: { events: [{ eventName: 'init', condition: 'true', actions: [setVar('n', '0')] }] },
        onInput: { transitionEvents: [{ eventName: 'go', condition: '$input.In.v > 70', actions: [setVar('n', '$variable.n + 3')], nextState: 'B' }] },
      },
      { stateName: 'B' },
    ]));
    const r = send(c, undefined, { v: 80 });
    expect(r.instance).toEqual({ keyValue: 'k1', stateName: 'B', variables: { n: 3 }, timers: {} });
    expect(r.trace.map((t) => t.kind)).toEqual(['detectorCreated', 'eventFired', 'variableSet', 'transition', 'variableSet']);
    expect(r.trace[0]).toEqual({ kind: 'detectorCreated', stateName: 'A' });
  });

  test('a model without a key keeps no key value', () => {
    const c = compile(model([{ stateName: 'A' }], { key: undefined }));
    expect(send(c, undefined, {}).instance).toEqual({ stateName: 'A', variables: {}, timers: {} });
  });
});

describe('evaluation methods', () => {
  const states: StateShape[] = [{
    stateName: 'A',
    onEnter: { events: [{ eventName: 'init', actions: [setVar('x', '0')] }] },
    onInput: {
      events: [
        { eventName: 'inc', condition: 'true', actions: [setVar('x', '$variable.x + 1')] },
        { eventName: 'seen', condition: '$variable.x == 1', actions: [setVar('seen', 'true')] },
      ],
      transitionEvents: [{ eventName: 'toB', condition: '$variable.x == 1', nextState: 'B' }],
    },
  }, { stateName: 'B' }];

  test('BATCH (the default): every condition of a group sees the variables as the group began', () => {
    const r = send(compile(model(states)), undefined, {});
    expect(r.instance.stateName).toBe('A');
    expect(r.instance.variables).toEqual({ x: 1 });
  });

  test('SERIAL: each event sees what the events before it set', () => {
    const r = send(compile(model(states, { evaluationMethod: 'SERIAL' })), undefined, {});
    expect(r.instance.stateName).toBe('B');
    expect(r.instance.variables).toEqual({ x: 1, seen: true });
  });

  test('BATCH: actions of one event see the variables earlier actions set', () => {
    const c = compile(model([{
      stateName: 'A',
      onInput: { events: [{ eventName: 'e', actions: [setVar('a', '1'), setVar('b', '$variable.a + 1')] }] },
    }]));
    expect(send(c, undefined, {}).instance.variables).toEqual({ a: 1, b: 2 });
  });

  test('BATCH: onEnter after a transition sees what the transition set', () => {
    const c = compile(model([
      { stateName: 'A', onInput: { transitionEvents: [{ eventName: 't', condition: 'true', actions: [setVar('n', '5')], nextState: 'B' }] } },
      { stateName: 'B', onEnter: { events: [{ eventName: 'check', condition: '$variable.n == 5', actions: [setVar('ok', 'true')] }] } },
    ]));
    expect(send(c, undefined, {}).instance.variables).toEqual({ n: 5, ok: true });
  });
});

describe('empty conditions', () => {
  test('an empty condition fires as an absent one does, and a transition with an empty condition moves', () => {
    const c = compile(model([
      {
        stateName: 'A',
        onEnter: { events: [{ eventName: 'init', condition: '', actions: [setVar('n', '1')] }] },
        onInput: {
          events: [{ eventName: 'count', condition: ' ', actions: [setVar('n', '$variable.n + 1')] }],
          transitionEvents: [{ eventName: 'go', condition: '', nextState: 'B' }],
        },
      },
      { stateName: 'B' },
    ]));
    expect(send(c, undefined, {}).instance).toEqual({ keyValue: 'k1', stateName: 'B', variables: { n: 2 }, timers: {} });
  });
});

describe('transitions', () => {
  const m = model([
    {
      stateName: 'A',
      onInput: {
        events: [{ eventName: 'ev', condition: 'true', actions: [sns('event')] }],
        transitionEvents: [
          { eventName: 'first', condition: '$input.In.v > 1', actions: [sns('transition')], nextState: 'B' },
          { eventName: 'second', condition: '$input.In.v > 0', nextState: 'C' },
        ],
      },
      onExit: { events: [{ eventName: 'bye', actions: [sns('exit')] }] },
    },
    {
      stateName: 'B',
      onEnter: { events: [{ eventName: 'hello', actions: [sns('enter')] }] },
      onInput: { transitionEvents: [{ eventName: 'onward', condition: 'true', nextState: 'C' }] },
    },
    { stateName: 'C' },
  ]);

  test('the old state\'s events, then the transition\'s actions, then onExit, then the new state\'s onEnter', () => {
    const r = send(compile(m), { keyValue: 'k1', stateName: 'A', variables: {}, timers: {} }, { v: 5 });
    expect(r.actions.map((a) => [a.config.targetArn, a.stateName, a.eventName])).toEqual([
      ['arn:aws:sns:us-east-1:123456789012:event', 'A', 'ev'],
      ['arn:aws:sns:us-east-1:123456789012:transition', 'A', 'first'],
      ['arn:aws:sns:us-east-1:123456789012:exit', 'A', 'bye'],
      ['arn:aws:sns:us-east-1:123456789012:enter', 'B', 'hello'],
    ]);
  });

  test('when several transitions are true the first in definition order fires, and only one per message', () => {
    const r = send(compile(m), { keyValue: 'k1', stateName: 'A', variables: {}, timers: {} }, { v: 5 });
    expect(r.instance.stateName).toBe('B'); // not C: 'first' wins, and B's 'onward' waits for the next message
    expect(r.trace.filter((t) => t.kind === 'transition')).toEqual([
      { kind: 'transition', stateName: 'A', lifecycle: 'onInput', eventName: 'first', nextState: 'B' },
    ]);
    expect(send(compile(m), r.instance, {}).instance.stateName).toBe('C');
  });

  test('a later transition fires when the earlier ones are false', () => {
    expect(send(compile(m), { keyValue: 'k1', stateName: 'A', variables: {}, timers: {} }, { v: 1 }).instance.stateName).toBe('C');
  });

  test('a transition to the same state runs onExit and onEnter', () => {
    const c = compile(model([{
      stateName: 'A',
      onEnter: { events: [{ eventName: 'in', actions: [setVar('enters', '$variable.enters + 1')] }] },
      onInput: { transitionEvents: [{ eventName: 'again', condition: '$input.In.v == 1', nextState: 'A' }] },
      onExit: { events: [{ eventName: 'out', actions: [setVar('exits', '1')] }] },
    }]));
    const r = send(c, { keyValue: 'k1', stateName: 'A', variables: { enters: 1 }, timers: {} }, { v: 1 });
    expect(r.instance.variables).toEqual({ enters: 2, exits: 1 });
  });

  test('a condition that reads another input than the one being processed does not fire', () => {
    const c = compile(model([
      { stateName: 'A', onInput: { transitionEvents: [{ eventName: 't', condition: '$input.Other.w > 0', nextState: 'B' }] } },
      { stateName: 'B' },
    ]));
    expect(send(c, undefined, { v: 1, w: 5 }).instance.stateName).toBe('A');
    expect(send(c, undefined, { w: 5 }, 'Other').instance.stateName).toBe('B');
  });
});

describe('variables', () => {
  test('an event without a condition always fires', () => {
    const c = compile(model([{ stateName: 'A', onInput: { events: [{ eventName: 'e', actions: [setVar('a', '1')] }] } }]));
    expect(send(c, undefined, {}).instance.variables).toEqual({ a: 1 });
  });

  test('a setVariable whose value is undefined keeps the variable and traces the failure', () => {
    const c = compile(model([{ stateName: 'A', onInput: { events: [{ eventName: 'e', actions: [setVar('a', '$input.In.v')] }] } }]));
    const r = send(c, { keyValue: 'k1', stateName: 'A', variables: { a: 3 }, timers: {} }, {});
    expect(r.instance.variables).toEqual({ a: 3 });
    expect(r.trace).toContainEqual(expect.objectContaining({ kind: 'actionFailed', eventName: 'e', message: expect.stringContaining('setVariable \'a\'') }));
  });

  test('strings, decimals and booleans are kept with their types', () => {
    const c = compile(model([{
      stateName: 'A',
      onInput: { events: [{ eventName: 'e', actions: [setVar('s', '"on"'), setVar('d', '0.1'), setVar('b', '$input.In.v == 1')] }] },
    }]));
    expect(send(c, undefined, { v: 1 }).instance.variables).toEqual({ s: 'on', d: 0.1, b: true });
  });

  test('evaluation never mutates the instance it is given', () => {
    const c = compile(model([{
      stateName: 'A',
      onInput: {
        events: [{ eventName: 'e', actions: [setVar('a', '$variable.a + 1'), { setTimer: { timerName: 't', seconds: 60 } }] }],
        transitionEvents: [{ eventName: 't', condition: 'true', nextState: 'A' }],
      },
    }]));
    const before = deepFreeze({ keyValue: 'k1', stateName: 'A', variables: { a: 1 }, timers: { t: { durationSeconds: 90, dueAtMs: 5 } } });
    const r = send(c, before, {});
    expect(r.instance.variables).toEqual({ a: 2 });
    expect(before.variables).toEqual({ a: 1 });
    expect(before.timers.t).toEqual({ durationSeconds: 90, dueAtMs: 5 });
  });
});

describe('integral decimals in variables (20.0)', () => {
  // one sensor of ten reports; the average moves by a tenth of the difference
  const averaging = model([
    {
      stateName: 'Seeded',
      onInput: {
        events: [
          { eventName: 'seed', condition: 'isUndefined($variable.avg)', actions: [setVar('avg', '$input.In.v'), setVar('count', '10')] },
          { eventName: 'reading', condition: '!isUndefined($variable.avg)', actions: [setVar('avg', '(($variable.avg * ($variable.count - 1)) + $input.In.v) / $variable.count')] },
        ],
      },
    },
  ]);

  test('a variable set from a payload\'s 20.0 stays decimal in later messages: the average of 20.0 and 28 is 20.8', () => {
    const c = compile(averaging);
    const seeded = send(c, undefined, parseJsonText('{"v":20.0}') as Record<string, unknown>);
    expect(seeded.instance.variables).toStrictEqual({ avg: dec(20), count: 10 });
    expect(seeded.trace).toContainEqual(expect.objectContaining({ kind: 'variableSet', variableName: 'avg', value: dec(20) }));
    expect(send(c, seeded.instance, { v: 28 }).instance.variables).toStrictEqual({ avg: 20.8, count: 10 });
  });

  test('seeded with the integer 20, the same reading gives integer division', () => {
    const c = compile(averaging);
    const seeded = send(c, undefined, parseJsonText('{"v":20}') as Record<string, unknown>);
    expect(send(c, seeded.instance, { v: 28 }).instance.variables).toStrictEqual({ avg: 20, count: 10 });
  });

  test('from the literal 5.0, an integral decimal result and convert(Decimal, …), and kept across messages', () => {
    const c = compile(model([{
      stateName: 'A',
      onInput: {
        events: [
          { eventName: 'set', condition: '$input.In.cmd == "set"', actions: [setVar('lit', '5.0'), setVar('sum', '20.5 + 0.5'), setVar('conv', 'convert(Decimal, "20")'), setVar('int', '5')] },
          { eventName: 'halve', condition: '$input.In.cmd == "halve"', actions: [setVar('lit', '$variable.lit / 2'), setVar('sum', '$variable.sum / 2'), setVar('conv', '$variable.conv / 8'), setVar('int', '$variable.int / 2')] },
        ],
      },
    }]));
    const set = send(c, undefined, { cmd: 'set' });
    expect(set.instance.variables).toStrictEqual({ lit: dec(5), sum: dec(21), conv: dec(20), int: 5 });
    expect(send(c, set.instance, { cmd: 'halve' }).instance.variables).toStrictEqual({ lit: 2.5, sum: 10.5, conv: 2.5, int: 2 });
  });

  test('a timer duration may be an integral decimal', () => {
    const c = compile(model([{ stateName: 'A', onInput: { events: [{ eventName: 'e', actions: [{ setTimer: { timerName: 't', durationExpression: '$input.In.v' } }] }] } }]));
    const r = send(c, undefined, { v: dec(90) }, 'In', 10_000);
    expect(r.instance.timers).toEqual({ t: { durationSeconds: 90, dueAtMs: 100_000 } });
  });

  test('the default payload writes an integral decimal 20.0, as the guide\'s sample SNS messages do', () => {
    const c = compile(model([{ stateName: 'A', onInput: { events: [{ eventName: 'e', actions: [setVar('avg', '$input.In.v'), setVar('n', '10'), sns('t')] }] } }]));
    const r = send(c, undefined, { v: dec(20) });
    expect(r.actions[0].payload).toContain('"variables":{"avg":20.0,"n":10}');
    expect(parseJsonText(r.actions[0].payload!)).toMatchObject({ payload: { state: { variables: { avg: dec(20), n: 10 } } } });
  });

  test('a payload content expression substitutes an integral decimal as 20.0', () => {
    const c = compile(model([{
      stateName: 'A',
      onInput: { events: [{ eventName: 'e', actions: [{ iotEvents: { inputName: 'Other', payload: { type: 'JSON', contentExpression: '\'{"id":"${$input.In.id}","w":${$input.In.v}}\'' } } }] }] },
    }]));
    expect(send(c, undefined, { v: dec(20) }).actions[0].payload).toBe('{"id":"k1","w":20.0}');
  });
});

describe('timers', () => {
  const heartbeat = model([
    {
      stateName: 'Idle',
      onInput: {
        transitionEvents: [{
          eventName: 'start',
          condition: 'currentInput("In")',
          actions: [{ setTimer: { timerName: 'awake', durationExpression: '$input.In.v * 1.5' } }],
          nextState: 'Awake',
        }],
      },
    },
    {
      stateName: 'Awake',
      onInput: {
        events: [
          { eventName: 'beat', condition: 'currentInput("In") && $input.In.cmd != "stop"', actions: [{ resetTimer: { timerName: 'awake' } }] },
          { eventName: 'stop', condition: '$input.In.cmd == "stop"', actions: [{ clearTimer: { timerName: 'awake' } }] },
          { eventName: 'byTimer', condition: 'triggerType("Timer")', actions: [setVar('timerTrigger', 'true')] },
        ],
        transitionEvents: [{ eventName: 'lost', condition: 'timeout("awake")', actions: [sns('lost')], nextState: 'Idle' }],
      },
    },
  ]);

  test('setTimer evaluates the duration, rounds it down and sets the due time from the message time', () => {
    const r = send(compile(heartbeat), undefined, { v: 61 }, 'In', 10_000);
    expect(r.instance.timers).toEqual({ awake: { durationSeconds: 91, dueAtMs: 10_000 + 91_000 } });
    expect(r.trace).toContainEqual(expect.objectContaining({ kind: 'timerSet', timerName: 'awake', durationSeconds: 91, dueAtMs: 101_000 }));
  });

  test('resetTimer restarts the timer with its last duration, not re-evaluated', () => {
    const c = compile(heartbeat);
    const started = send(c, undefined, { v: 100 }, 'In', 0).instance;
    const r = send(c, started, { cmd: 'beat' }, 'In', 50_000);
    expect(r.instance.timers).toEqual({ awake: { durationSeconds: 150, dueAtMs: 200_000 } });
  });

  test('clearTimer removes the timer; resetTimer on a stopped timer does nothing', () => {
    const c = compile(heartbeat);
    const started = send(c, undefined, { v: 100 }, 'In', 0).instance;
    const cleared = send(c, started, { cmd: 'stop' }, 'In', 1000).instance;
    expect(cleared.timers).toEqual({});
    const r = send(c, cleared, { cmd: 'beat' }, 'In', 2000);
    expect(r.instance.timers).toEqual({});
    expect(r.trace).toContainEqual(expect.objectContaining({ kind: 'timerNotRunning', timerName: 'awake' }));
  });

  test('a firing timer re-evaluates onInput with triggerType("Timer") and timeout() true once', () => {
    const c = compile(heartbeat);
    const started = send(c, undefined, { v: 100 }, 'In', 0).instance;
    const r = fireTimer(c, started, 'awake', 150_000);
    expect(r.instance.stateName).toBe('Idle');
    expect(r.instance.timers).toEqual({});
    expect(r.instance.variables).toEqual({ timerTrigger: true });
    expect(r.actions.map((a) => a.eventName)).toEqual(['lost']);
    expect(r.trace[0]).toEqual({ kind: 'timerExpired', stateName: 'Awake', timerName: 'awake' });
    // the next message sees timeout() false again
    const back = send(c, started, { cmd: 'beat' }, 'In', 160_000);
    expect(back.instance.stateName).toBe('Awake');
  });

  describe('resetTimer in the evaluation of its own expiry restarts it (a periodic timer)', () => {
    const periodic = (tick: ActionShape[]) => model([{
      stateName: 'On',
      onEnter: { events: [{ eventName: 'start', actions: [{ setTimer: { timerName: 'minute', seconds: 60 } }, setVar('minutes', '0')] }] },
      onInput: { events: [{ eventName: 'tick', condition: 'timeout("minute")', actions: [setVar('minutes', '$variable.minutes + 1'), ...tick] }] },
    }]);

    test('with its last duration, from the expiry', () => {
      const c = compile(periodic([{ resetTimer: { timerName: 'minute' } }]));
      let d = send(c, undefined, {}, 'In', 0).instance;
      for (const due of [60_000, 120_000, 180_000]) {
        expect(d.timers).toEqual({ minute: { durationSeconds: 60, dueAtMs: due } });
        const r = fireTimer(c, d, 'minute', due);
        expect(r.trace).toContainEqual(expect.objectContaining({ kind: 'timerReset', timerName: 'minute', dueAtMs: due + 60_000 }));
        d = r.instance;
      }
      expect(d.variables).toEqual({ minutes: 3 });
    });

    test('not after a clearTimer of it in the same evaluation, nor in a later evaluation', () => {
      const cleared = compile(periodic([{ clearTimer: { timerName: 'minute' } }, { resetTimer: { timerName: 'minute' } }]));
      const r = fireTimer(cleared, send(cleared, undefined, {}, 'In', 0).instance, 'minute', 60_000);
      expect(r.instance.timers).toEqual({});
      expect(r.trace).toContainEqual(expect.objectContaining({ kind: 'timerNotRunning', timerName: 'minute' }));
      // expired without a reset: a later message's resetTimer finds it stopped
      const later = compile(model([{
        stateName: 'On',
        onEnter: { events: [{ eventName: 'start', actions: [{ setTimer: { timerName: 'minute', seconds: 60 } }] }] },
        onInput: { events: [{ eventName: 'beat', condition: 'currentInput("In")', actions: [{ resetTimer: { timerName: 'minute' } }] }] },
      }]));
      const expired = fireTimer(later, send(later, undefined, {}, 'In', 0).instance, 'minute', 60_000).instance;
      expect(expired.timers).toEqual({});
      expect(send(later, expired, {}, 'In', 70_000).instance.timers).toEqual({});
    });
  });

  test('firing a timer that is not running changes nothing', () => {
    const c = compile(heartbeat);
    const d: DetectorInstance = { keyValue: 'k1', stateName: 'Awake', variables: {}, timers: {} };
    const r = fireTimer(c, d, 'awake', 1);
    expect(r.instance).toEqual(d);
    expect(r.trace).toEqual([expect.objectContaining({ kind: 'timerNotRunning', timerName: 'awake' })]);
  });

  test('a duration out of 1-31622400 s at run time sets no timer', () => {
    const c = compile(heartbeat);
    for (const v of [0, 31_622_401 / 1.5 + 1]) {
      const r = send(c, undefined, { v }, 'In', 0);
      expect(r.instance.timers).toEqual({});
      expect(r.trace).toContainEqual(expect.objectContaining({ kind: 'actionFailed', message: expect.stringContaining('outside 1-31622400 s') }));
    }
  });

  test('literal durations: out of range is a problem, under 60 s a warning (the simulator still fires on time)', () => {
    const withTimer = (seconds: number) => model([{
      stateName: 'A',
      onEnter: { events: [{ eventName: 'e', actions: [{ setTimer: { timerName: 't', seconds } }] }] },
    }]);
    expect(problemsOf(withTimer(0))[0]).toMatchObject({ state: 'A', event: 'e', field: 'onEnter actions[0].setTimer', message: expect.stringContaining('outside 1-31622400 s') });
    expect(problemsOf(withTimer(31_622_401))[0].message).toContain('31622401 s is outside');
    expect(compile(withTimer(10)).warnings[0].message).toContain('under 60 s');
    expect(compile(withTimer(60)).warnings).toEqual([]);
    const r = send(compile(withTimer(10)), undefined, {}, 'In', 0);
    expect(r.instance.timers.t).toEqual({ durationSeconds: 10, dueAtMs: 10_000 });
  });
});

describe('setTimer', () => {
  test('with both seconds and durationExpression is a problem naming the state, event and timer (IoT Events rejected it)', () => {
    const problems = problemsOf(model([{
      stateName: 'A',
      onEnter: { events: [{ eventName: 'arm', actions: [{ setTimer: { timerName: 't', seconds: 60, durationExpression: '120' } }] }] },
    }]));
    expect(problems).toEqual([{
      state: 'A',
      event: 'arm',
      field: 'onEnter actions[0].setTimer',
      message: "setTimer 't' has both seconds and durationExpression, which IoT Events rejects (InvalidRequestException); keep one",
    }]);
  });
});

describe('external actions', () => {
  test('payload content expressions and text fields are evaluated; the default payload describes the detector', () => {
    const c = compile(model([{
      stateName: 'A',
      onInput: {
        events: [{
          eventName: 'notify',
          actions: [
            { iotTopicPublish: { mqttTopic: 'alarms/${$input.In.id}', payload: { type: 'JSON', contentExpression: '\'{"v": ${$input.In.v * 2}}\'' } } },
            { sqs: { queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', useBase64: true, payload: { type: 'STRING', contentExpression: '"v=" + convert(String, $input.In.v)' } } },
            sns('plain'),
          ],
        }],
      },
    }]));
    const r = send(c, undefined, { v: 21 }, 'In', 1234);
    expect(r.actions[0]).toEqual({ type: 'iotTopicPublish', config: { mqttTopic: 'alarms/k1' }, payload: '{"v": 42}', payloadType: 'JSON', stateName: 'A', eventName: 'notify' });
    expect(r.actions[1]).toMatchObject({ type: 'sqs', config: { queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', useBase64: true }, payload: 'v=21', payloadType: 'STRING' });
    expect(JSON.parse(r.actions[2].payload!)).toEqual({
      eventTime: 1234,
      payload: {
        actionExecutionId: 'm1-2',
        detector: { detectorModelName: 'm', keyValue: 'k1', detectorModelVersion: '1' },
        eventTriggerDetails: { inputName: 'In', messageId: 'm1', triggerType: 'Message' },
        state: { stateName: 'A', variables: {}, timers: {} },
      },
      eventName: 'notify',
    });
  });

  test('a payload that cannot be evaluated is reported on the action', () => {
    const c = compile(model([{
      stateName: 'A',
      onInput: { events: [{ eventName: 'e', actions: [{ lambda: { functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', payload: { type: 'JSON', contentExpression: '$input.In.v' } } }] }] },
    }]));
    const r = send(c, undefined, {});
    expect(r.actions[0]).toMatchObject({ type: 'lambda', payload: undefined, error: 'the payload content expression could not be evaluated' });
    expect(r.trace).toContainEqual(expect.objectContaining({ kind: 'actionFailed', actionType: 'lambda' }));
  });
});

describe('action targets not evaluated', () => {
  const withTargets = (actions: ActionShape[]) => model([{ stateName: 'A', onInput: { events: [{ eventName: 'e', actions }] } }]);

  test('a CloudFormation intrinsic kept from a template is reported as written, not evaluated', () => {
    const c = compile(withTargets([
      { lambda: { functionArn: { 'Fn::GetAtt': ['Fn1', 'Arn'] } as any } },
      { iotTopicPublish: { mqttTopic: { 'Fn::Sub': '${AWS::StackName}/${!x}' } as any } },
    ]));
    const r = send(c, undefined, {});
    expect(r.actions.map((a) => [a.config, a.error])).toEqual([
      [{ functionArn: { 'Fn::GetAtt': ['Fn1', 'Arn'] } }, undefined],
      [{ mqttTopic: { 'Fn::Sub': '${AWS::StackName}/${!x}' } }, undefined],
    ]);
  });

  test('opaqueText keeps the text it selects as written; other text fields are still checked', () => {
    const opaqueText = (t: string) => t.startsWith('${Token[');
    const c = compileDetectorModel(withTargets([{ sns: { targetArn: '${Token[TOKEN.1]}' } }]), [IN], { opaqueText });
    expect(send(c, undefined, {}).actions[0].config).toEqual({ targetArn: '${Token[TOKEN.1]}' });
    expect(problemsOf(withTargets([{ sns: { targetArn: '${Token[TOKEN.1]}' } }]))[0].message).toContain('syntax error in a substitution');
  });

  test.each([
    [{ Ref: 'X' }, true], [{ 'Fn::GetAtt': ['X', 'Arn'] }, true], [{ 'Fn::Join': ['', []] }, true],
    [{ Ref: 'X', Other: 1 }, false], [{ targetArn: 'x' }, false], ['Ref', false], [null, false], [['Ref'], false],
  ])('isCloudFormationIntrinsic(%j) is %s', (v, expected) => {
    expect(isCloudFormationIntrinsic(v)).toBe(expected);
  });
});

describe('keyValueOf', () => {
  test.each([
    ['id', { id: 'a' }, 'a'],
    ['id', { id: 42 }, '42'],
    ['id', { id: dec(20) }, '20'], // an integral decimal key reads as its integer
    ['d.e', { d: { e: 'nested' } }, 'nested'],
    ['id', { other: 1 }, undefined],
    ['id', { id: { x: 1 } }, undefined],
    ['d.e', { d: 'flat' }, undefined],
  ])('key %s in %j is %j', (key, payload, expected) => {
    const c = compile(model([{ stateName: 'A' }], { key }));
    expect(keyValueOf(c, 'In', payload)).toBe(expected);
  });

  test('undefined when the model has no key', () => {
    const c = compile(model([{ stateName: 'A' }], { key: undefined }));
    expect(c.key).toBeUndefined();
    expect(keyValueOf(c, 'In', { id: 'a' })).toBeUndefined();
  });
});

describe('problems when the model is compiled', () => {
  test('expression problems name the state, the event, the field and the position', () => {
    const problems = problemsOf(model([{
      stateName: 'Normal',
      onInput: {
        events: [{ eventName: 'check', condition: '$input.In.v > 70 &&', actions: [setVar('x', '$variable.nope + 1')] }],
        transitionEvents: [{ eventName: 'go', condition: '$input.In.pressure > 1', nextState: 'Normal' }],
      },
    }]));
    expect(problems).toEqual([
      { state: 'Normal', event: 'check', field: 'onInput condition', position: 20, message: expect.stringContaining('syntax error') },
      { state: 'Normal', event: 'check', field: 'onInput actions[0].setVariable.value', position: 1, message: expect.stringContaining('unknown variable \'nope\'') },
      { state: 'Normal', event: 'go', field: 'onInput transition condition', position: 1, message: expect.stringContaining('input \'In\' has no attribute \'pressure\'') },
    ]);
  });

  test('acceptUndeclaredAttributes: an attribute the input does not declare (no near miss) is listed, not a problem, and read from the payload', () => {
    const m = model([{
      stateName: 'A',
      onInput: { events: [{ eventName: 'hot', condition: '$input.In.temp > 30', actions: [setVar('t', '$input.In.temp')] }] },
    }]);
    expect(problemsOf(m)).toEqual([
      { state: 'A', event: 'hot', field: 'onInput condition', position: 1, message: expect.stringContaining('input \'In\' has no attribute \'temp\'') },
      { state: 'A', event: 'hot', field: 'onInput actions[0].setVariable.value', position: 1, message: expect.stringContaining('input \'In\' has no attribute \'temp\'') },
    ]);
    const c = compileDetectorModel(m, [IN, OTHER], { acceptUndeclaredAttributes: true });
    expect(c.undeclaredAttributes.map((u) => [u.state, u.event, u.field, u.position])).toEqual([
      ['A', 'hot', 'onInput condition', 1], ['A', 'hot', 'onInput actions[0].setVariable.value', 1],
    ]);
    expect(c.undeclaredAttributes[0].message).toBe('input \'In\' does not declare the attribute \'temp\' read in \'$input.In.temp > 30\' (its attributes '
      + 'are cmd, d.e, id, v): it is read from the whole payload, as IoT Events read it; to declare it, add \'temp\' to the attributes of input \'In\'');
    expect(send(c, undefined, { id: 'a', temp: 35 }).instance.variables).toEqual({ t: 35 });
    // a near miss of a declared attribute stays a problem
    expect(() => compileDetectorModel(model([{ stateName: 'A', onInput: { events: [{ eventName: 'e', condition: '$input.In.vv > 1' }] } }]), [IN], {
      acceptUndeclaredAttributes: true,
    })).toThrow('did you mean $input.In.v?');
  });

  describe('a payload content expression written as raw JSON', () => {
    const withPayload = (contentExpression: string, type = 'JSON', extra: ActionShape[] = []) => model([{
      stateName: 'A',
      onEnter: { events: [{ eventName: 'e', actions: [...extra, { iotTopicPublish: { mqttTopic: 't', payload: { contentExpression, type: type as 'JSON' | 'STRING' } } }] }] },
    }]);
    const field = (index = 0) => `onEnter actions[${index}].iotTopicPublish.payload.contentExpression`;

    test.each([
      // the example reads an attribute of the model's inputs other than the key (id)
      ['{"t": 1}', 'JSON', [IN, OTHER], 1, '\'{"t": 1}\'', '\'{"v": ${$input.In.v}}\''],
      ['  [1, 2]', 'JSON', [IN], 3, '\'[1, 2]\'', '\'{"v": ${$input.In.v}}\''],
      ['{\'t\': 1}', 'STRING', [IN], 1, '\'{\\\'t\\\': 1}\'', '\'{"v": ${$input.In.v}}\''],
      // no input: a placeholder
      ['{"t": 1}', 'JSON', [], 1, '\'{"t": 1}\'', '\'{"value": ${$input.MyInput.value}}\''],
    ])('%s (%s): says it is a string expression, with the quoted form and a ${…} example', (text, type, inputs, position, quoted, example) => {
      const problems = problemsOf(withPayload(text, type), inputs);
      expect(problems).toEqual([{
        state: 'A',
        event: 'e',
        field: field(),
        position,
        message: `syntax error: unexpected '${text.trim()[0]}' in '${text}': a content expression is a string expression, not JSON text; `
          + `write the JSON text as a string literal, in single quotes: ${quoted}, and put values in it with \${…}, as in ${example}`,
      }]);
      // the suggested forms compile (the example, when it reads the model's own input)
      for (const fixed of inputs.length > 0 ? [quoted, example] : [quoted]) expect(() => compile(withPayload(fixed, type), inputs)).not.toThrow();
    });

    test('without inputs, the example reads one of the model\'s variables', () => {
      const problems = problemsOf(withPayload('{"t": 1}', 'JSON', [setVar('count', '1')]), []);
      expect(problems.map((p) => [p.field, p.message])).toEqual([[field(1), expect.stringMatching(/as in '\{"count": \$\{\$variable\.count\}\}'$/)]]);
    });

    test('other syntax errors of a payload, and raw JSON in a condition, keep the parser\'s advice', () => {
      expect(problemsOf(withPayload('$input.In.v +'))[0].message).toContain('syntax error');
      expect(problemsOf(withPayload('$input.In.v +'))[0].message).not.toContain('string expression');
      const condition = problemsOf(model([{ stateName: 'A', onInput: { events: [{ eventName: 'e', condition: '{"t": 1}' }] } }]));
      expect(condition[0].message).toBe('syntax error: unexpected \'{\': expected a literal, a reference, a function call or \'(\' in \'{"t": 1}\'');
    });
  });

  test('structure problems: unknown initial state, unknown next state, unknown timer, an action of two types', () => {
    const problems = problemsOf(model([{
      stateName: 'A',
      onInput: {
        events: [{ eventName: 'e', actions: [{ resetTimer: { timerName: 'ghost' } }, { ...setVar('a', '1'), ...sns('x') }, {}] }],
        transitionEvents: [{ eventName: 't', condition: 'true', nextState: 'Nowhere' }],
      },
    }], {}, 'Start'));
    expect(problems.map((p) => p.message)).toEqual([
      'initial state \'Start\' is not one of the states (A)',
      expect.stringContaining('unknown timer \'ghost\''),
      'an action has exactly one type (setVariable, setTimer, sns, …), got setVariable, sns',
      'an action has exactly one type (setVariable, setTimer, sns, …), got none',
      'next state \'Nowhere\' is not one of the states (A)',
    ]);
  });

  test('an unknown timer in resetTimer or clearTimer names the nearest timer', () => {
    const problems = problemsOf(model([{
      stateName: 'A',
      onEnter: { events: [{ eventName: 'e', actions: [{ setTimer: { timerName: 'cooldown', seconds: 60 } }, { clearTimer: { timerName: 'coolDown' } }] }] },
    }]));
    expect(problems).toEqual([{
      state: 'A',
      event: 'e',
      field: 'onEnter actions[1].clearTimer',
      message: 'unknown timer \'coolDown\': did you mean \'cooldown\'? no setTimer action sets it (the model\'s timers are cooldown)',
    }]);
  });

  test('the error message lists every problem', () => {
    expect(() => compile(model([{ stateName: 'A', onEnter: { events: [{ eventName: 'e', condition: 'timeout("t")' }] } }])))
      .toThrow(/detector model 'm' has 1 problem:\n {2}- state 'A', event 'e', onEnter condition, at position 9: unknown timer 't'/);
  });

  test('the compiled model lists the inputs, variables and timers it uses', () => {
    const c = compile(model([{
      stateName: 'A',
      onInput: { events: [{ eventName: 'e', condition: 'currentInput("Other")', actions: [setVar('a', '$input.In.v'), { setTimer: { timerName: 't', seconds: 60 } }] }] },
    }]));
    expect([...c.inputNames].sort()).toEqual(['In', 'Other']);
    expect([...c.variableNames]).toEqual(['a']);
    expect([...c.timerNames]).toEqual(['t']);
    expect(c.evaluationMethod).toBe('BATCH');
  });

  test('a detector in a state the model does not have is an error', () => {
    const c = compile(model([{ stateName: 'A' }]));
    expect(() => send(c, { keyValue: 'k1', stateName: 'Gone', variables: {}, timers: {} }, {}))
      .toThrow('detector \'k1\' is in state \'Gone\', which detector model \'m\' does not have (states: A)');
  });
});

describe('evaluation without a trace (trace: false, as the runtime runs)', () => {
  const pressure = () => compile(model([
    {
      stateName: 'Normal',
      onEnter: { events: [{ eventName: 'start', actions: [setVar('n', '0'), { setTimer: { timerName: 'hb', seconds: 300 } }] }] },
      onInput: {
        events: [{ eventName: 'alive', condition: 'currentInput("In")', actions: [{ resetTimer: { timerName: 'hb' } }] }],
        transitionEvents: [
          { eventName: 'high', condition: '$input.In.v > 70', actions: [setVar('n', '$variable.n + 1')], nextState: 'Dangerous' },
          { eventName: 'silent', condition: 'timeout("hb")', nextState: 'Offline' },
        ],
      },
    },
    {
      stateName: 'Dangerous',
      onEnter: { events: [{ eventName: 'alarm', actions: [sns('alarm')] }] },
      onInput: { transitionEvents: [{ eventName: 'low', condition: '$input.In.v <= 70', nextState: 'Normal' }] },
      onExit: { events: [{ eventName: 'cleared', actions: [{ iotTopicPublish: { mqttTopic: 'motors/${$input.In.id}/cleared' } }] }] },
    },
    { stateName: 'Offline', onInput: { transitionEvents: [{ eventName: 'back', condition: 'currentInput("In")', nextState: 'Normal' }] } },
  ]));

  test('gives the same instances and actions as with the trace, and an empty trace', () => {
    const c = pressure();
    let traced: DetectorInstance | undefined;
    let untraced: DetectorInstance | undefined;
    const steps: Array<number | 'timer'> = [50, 80, 90, 60, 'timer', 40, 75];
    let now = 1_000;
    let traceEntries = 0;
    for (const step of steps) {
      now += 10_000;
      let a: EvaluationResult;
      let b: EvaluationResult;
      if (step === 'timer') {
        now = traced!.timers.hb.dueAtMs;
        a = fireTimer(c, traced!, 'hb', now);
        b = fireTimer(c, untraced!, 'hb', now, { trace: false });
      } else {
        const message = { inputName: 'In', payload: { id: 'k1', v: step }, timestampMs: now, messageId: `m${now}` };
        a = evaluateInput(c, traced, message);
        b = evaluateInput(c, untraced, message, { trace: false });
      }
      traceEntries += a.trace.length;
      expect(b.trace).toEqual([]);
      expect(b.instance).toEqual(a.instance);
      expect(b.actions).toEqual(a.actions);
      expect(b.actions.map((x) => x.payload)).toEqual(a.actions.map((x) => x.payload));
      traced = a.instance;
      untraced = b.instance;
    }
    expect(traceEntries).toBeGreaterThan(steps.length);
    // Normal, Dangerous, Dangerous, Normal, Offline (the heartbeat fired at 341 s), Normal, Dangerous
    expect(untraced).toEqual({ keyValue: 'k1', stateName: 'Dangerous', variables: { n: 1 }, timers: { hb: { durationSeconds: 300, dueAtMs: 661_000 } } });
  });

  test('a default payload read after later evaluations describes the detector when its action ran', () => {
    const c = pressure();
    const first = evaluateInput(c, undefined, { inputName: 'In', payload: { id: 'k1', v: 80 }, timestampMs: 5_000, messageId: 'a' }, { trace: false });
    const second = evaluateInput(c, first.instance, { inputName: 'In', payload: { id: 'k1', v: 50 }, timestampMs: 6_000, messageId: 'b' }, { trace: false });
    evaluateInput(c, second.instance, { inputName: 'In', payload: { id: 'k1', v: 99 }, timestampMs: 7_000, messageId: 'c' }, { trace: false });
    expect(JSON.parse(first.actions[0].payload!).payload.state).toEqual({ stateName: 'Dangerous', variables: { n: 1 }, timers: { hb: { durationSeconds: 300, dueAtMs: 305_000 } } });
    expect(first.instance).toEqual({ keyValue: 'k1', stateName: 'Dangerous', variables: { n: 1 }, timers: { hb: { durationSeconds: 300, dueAtMs: 305_000 } } });
  });

  test('an evaluation that throws leaves the next one unaffected', () => {
    const c = pressure();
    expect(() => evaluateInput(c, { keyValue: 'k1', stateName: 'Gone', variables: {}, timers: {} }, { inputName: 'In', payload: { id: 'k1', v: 80 }, timestampMs: 1 }, { trace: false }))
      .toThrow('is in state \'Gone\'');
    const r = evaluateInput(c, undefined, { inputName: 'In', payload: { id: 'k2', v: 10 }, timestampMs: 1_000 }, { trace: false });
    expect(r.instance).toEqual({ keyValue: 'k2', stateName: 'Normal', variables: { n: 0 }, timers: { hb: { durationSeconds: 300, dueAtMs: 301_000 } } });
    expect(r.actions).toEqual([]);
  });
});
