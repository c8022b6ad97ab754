import {
  DetectorModelDefinition, DetectorSimulator, Expression, InputDefinition, IotTopicPublishAction, Payload, PayloadType, SnsTopicPublishAction, State,
} from '../../src/detector';

const input = new InputDefinition({ inputName: 'In', attributeJsonPaths: ['deviceId', 't'] });
const rendered = (payload: Payload) => new IotTopicPublishAction('a', { payload }).renderActionConfig().configuration.iotTopicPublish.payload;

describe('Payload', () => {
  test.each<[string, Payload, unknown]>([
    ['json(text)', Payload.json("'{\"t\": ${$input.In.t}}'"), { contentExpression: "'{\"t\": ${$input.In.t}}'", type: 'JSON' }],
    ['text(text)', Payload.text("'hot'"), { contentExpression: "'hot'", type: 'STRING' }],
    ['of(text, STRING)', Payload.of("'hot'", PayloadType.STRING), { contentExpression: "'hot'", type: 'STRING' }],
    ['fromExpression(expr): JSON by default', Payload.fromExpression(Expression.fromString("'{\"t\": ${$input.In.t}}'")), { contentExpression: "'{\"t\": ${$input.In.t}}'", type: 'JSON' }],
    ['fromExpression(expr, STRING)', Payload.fromExpression(Expression.concat(Expression.string('t='), Expression.inputAttribute(input, 't')), PayloadType.STRING),
      { contentExpression: "'t=' + $input.In.t", type: 'STRING' }],
  ])('%s renders IoT Events\' Payload', (_, payload, shape) => {
    expect(rendered(payload)).toEqual(shape);
  });

  test('an Expression payload is evaluated by the simulator like any other expression', () => {
    const model = new DetectorModelDefinition({
      detectorModelName: 'm',
      detectorKey: 'deviceId',
      initialState: new State({
        stateName: 'S',
        onInput: [{
          eventName: 'e',
          condition: Expression.currentInput(input),
          actions: [SnsTopicPublishAction.fromTopicArn('arn:aws:sns:us-east-1:123456789012:t', {
            payload: Payload.fromExpression(Expression.fromString('\'{"deviceId": "${$input.In.deviceId}", "t": ${$input.In.t}}\'')),
          })],
        }],
      }),
      inputs: [input],
    });
    const sim = new DetectorSimulator({ detectorModels: [model], inputs: [input] });
    sim.batchPutMessage({ messages: [{ messageId: 'a', inputName: 'In', payload: { deviceId: 'd1', t: 21 } }] });
    expect(sim.actions.map((a) => [a.payloadType, a.payload])).toEqual([['JSON', { deviceId: 'd1', t: 21 }]]);
  });

  test('an Expression payload with a mistake fails when the model is defined, as other expressions do', () => {
    const action = SnsTopicPublishAction.fromTopicArn('arn:aws:sns:us-east-1:123456789012:t', { payload: Payload.fromExpression(Expression.fromString('$variable.nope +')) });
    expect(() => new DetectorModelDefinition({ initialState: new State({ stateName: 'S', onEnter: [{ eventName: 'e', actions: [action] }] }) }))
      .toThrow(/state 'S', event 'e', .*payload/);
  });

  test.each<[string, () => Payload]>([
    ['Payload.json(\'{"t": 1}\')', () => Payload.json('{"t": 1}')],
    ['Payload.text(\'{"t": 1}\')', () => Payload.text('{"t": 1}')],
    ['Payload.of(\'{"t": 1}\', JSON)', () => Payload.of('{"t": 1}', PayloadType.JSON)],
    ['Payload.fromExpression of \'{"t": 1}\'', () => Payload.fromExpression(Expression.fromString('{"t": 1}'))],
  ])('fails when the model is defined with %s (raw JSON, not a content expression), showing the quoted form and a ${…} example', (_, payload) => {
    const action = new IotTopicPublishAction('a', { payload: payload() });
    const define = () => new DetectorModelDefinition({
      detectorModelName: 'm',
      detectorKey: 'deviceId',
      initialState: new State({ stateName: 'S', onInput: [{ eventName: 'e', condition: Expression.currentInput(input), actions: [action] }] }),
      inputs: [input],
    });
    expect(define).toThrow("state 'S', event 'e', onInput actions[0].iotTopicPublish.payload.contentExpression, at position 1: "
      + "syntax error: unexpected '{' in '{\"t\": 1}': a content expression is a string expression, not JSON text; "
      + 'write the JSON text as a string literal, in single quotes: \'{"t": 1}\', and put values in it with ${…}, as in \'{"t": ${$input.In.t}}\'');
    // the forms it shows work
    const fixed = new DetectorModelDefinition({
      detectorModelName: 'm',
      detectorKey: 'deviceId',
      initialState: new State({
        stateName: 'S',
        onInput: [{ eventName: 'e', condition: Expression.currentInput(input), actions: [new IotTopicPublishAction('a', { payload: Payload.json('\'{"t": 1}\'') }), new IotTopicPublishAction('b', { payload: Payload.json('\'{"t": ${$input.In.t}}\'') })] }],
      }),
      inputs: [input],
    });
    const sim = new DetectorSimulator({ detectorModels: [fixed], inputs: [input] });
    sim.batchPutMessage({ messages: [{ messageId: 'a', inputName: 'In', payload: { deviceId: 'd1', t: 21 } }] });
    expect(sim.actions.map((a) => a.payload)).toEqual([{ t: 1 }, { t: 21 }]);
  });

  test('a model read with fromJson whose content expression is raw JSON fails with the same hint', () => {
    const json = {
      detectorModelName: 'm',
      detectorModelDefinition: {
        initialStateName: 'S',
        states: [{ stateName: 'S', onEnter: { events: [{ eventName: 'e', actions: [{ sns: { targetArn: 'arn:aws:sns:us-east-1:123456789012:t', payload: { contentExpression: '{"alarm": true}', type: 'JSON' } } }] }] } }],
      },
    };
    expect(() => DetectorModelDefinition.fromJson(json)).toThrow(/syntax error: unexpected '\{' in '\{"alarm": true\}': a content expression is a string expression, not JSON text; write the JSON text as a string literal, in single quotes: '\{"alarm": true\}'/);
  });

  test('fails when json or text is given an Expression (a JavaScript caller), naming the factory and the fix', () => {
    const expr = Expression.inputAttribute(input, 't');
    expect(() => Payload.json(expr as any)).toThrow(
      "payload contentExpression must be the expression's text (Payload.json), got the Expression $input.In.t; use Payload.fromExpression(expression) for an Expression");
    expect(() => Payload.text(expr as any)).toThrow(
      "payload contentExpression must be the expression's text (Payload.text), got the Expression $input.In.t; use Payload.fromExpression(expression, PayloadType.STRING) for an Expression");
  });

  test.each([
    ['fromExpression given a string', () => Payload.fromExpression('$input.In.t' as any),
      'payload expression must be an Expression (Payload.fromExpression), got "$input.In.t"; pass Expression.fromString(text), or give the text to Payload.json(text) or Payload.text(text)'],
    ['json given a number', () => Payload.json(3 as any), 'payload contentExpression must be the expression\'s text (Payload.json), got 3; pass a string such as'],
    ['of given an unknown type', () => Payload.of("'x'", 'XML' as any), 'payload type must be PayloadType.JSON or PayloadType.STRING (Payload.of), got "XML"'],
    ['an empty text', () => Payload.text(''), 'payload contentExpression must not be empty (Payload.text); give an expression such as'],
  ])('fails on %s', (_, make, message) => {
    expect(make).toThrow(message);
  });
});
