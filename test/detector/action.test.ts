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
