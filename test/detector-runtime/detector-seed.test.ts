import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { lineOverheatDetector, lineTelemetryInput } from '../../examples/line-telemetry-detector';
import { DetectorInput, DetectorModel, DetectorSeed } from '../../src/detector-runtime';

const id = (stack: Stack, c: Construct) => stack.getLogicalId(c.node.defaultChild as any);

function setup() {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const input = new DetectorInput(stack, 'Telemetry', { definition: lineTelemetryInput });
  const model = new DetectorModel(stack, 'Overheat', { definition: lineOverheatDetector(), inputs: [input] });
  return { stack, input, model, runtime: model.runtime };
}
const reading = { messageId: 'seed-1', inputName: 'LineTelemetry', payload: { deviceId: 'line-1-sensor-1', temperature: 20, timestamp: 0 } };
const update = {
  messageId: 'u1',
  detectorModelName: 'line-1-overheat',
  keyValue: 'line-1-sensor-1',
  state: { stateName: 'Normal', variables: [{ name: 'hotReadings', value: '0' }], timers: [{ name: 'silence', seconds: 600 }] },
};

describe('DetectorSeed', () => {
  test('a custom resource with the endpoint, the messages (payloads as JSON text) and the detectors, after the registration', () => {
    const { stack, model, runtime } = setup();
    const seed = model.seed('Seed', { messages: [reading, { ...reading, messageId: 'seed-2', payload: '{"deviceId":"b"}' }], detectors: [update] });
    expect(seed).toBeInstanceOf(DetectorSeed);
    const template = Template.fromStack(stack);
    const resource = template.toJSON().Resources[id(stack, seed)];
    expect(resource.Type).toBe('Custom::GreengrassV2DetectorSeed');
    expect(resource.Properties.Endpoint).toEqual(stack.resolve(runtime.apiUrl));
    expect(resource.Properties.Region).toBe('eu-west-1');
    expect(JSON.parse(resource.Properties.Messages)).toEqual([
      { ...reading, payload: JSON.stringify(reading.payload) },
      { ...reading, messageId: 'seed-2', payload: '{"deviceId":"b"}' },
    ]);
    expect(JSON.parse(resource.Properties.Detectors)).toEqual([update]);
    expect(resource.Properties.ModelVersion).toMatch(/^[0-9a-f]{32}$/);
    expect(resource.DependsOn).toEqual(expect.arrayContaining([
      stack.getLogicalId(model.registration.node.defaultChild as any),
      id(stack, runtime.processorFunction),
    ]));
  });

  test('the provider may invoke exactly the Data API methods the seeds use', () => {
    const invokeResources = (seedOptions: any) => {
      const { stack, model, runtime } = setup();
      model.seed('Seed', seedOptions);
      const provider = stack.node.findChild('GreengrassV2DetectorRuntimeProvider') as any;
      const roleId = stack.getLogicalId(provider.onEventFunction.role.node.defaultChild as iam.CfnRole);
      const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
        .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
        .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
        .filter((st: any) => st.Action === 'execute-api:Invoke');
      const method = (m: string, path: string) => ({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:eu-west-1:111111111111:', { Ref: id(stack, runtime.api) }, '/',
          { Ref: stack.getLogicalId(runtime.api.deploymentStage.node.defaultChild as any) }, `/${m}${path}`]],
      });
      return { statements, method };
    };
    const messages = invokeResources({ messages: [reading] });
    expect(messages.statements).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: messages.method('POST', '/inputs/messages') }]);
    const both = invokeResources({ messages: [reading], detectors: [update] });
    expect(both.statements).toEqual([{
      Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [both.method('POST', '/inputs/messages'), both.method('POST', '/detectors')],
    }]);
  });

  test.each([
    [{}, 'messages and detectors are both empty; give the messages to send or the detectors to set'],
    [{ messages: [{ ...reading, messageId: 'has space' }] }, "messageId 'has space' must be 1-64 characters of a-z, A-Z, 0-9, _ and -"],
    [{ messages: [{ ...reading, inputName: 'Other' }] },
      "message 'seed-1' is sent to input 'Other', which detector model 'line-1-overheat' does not read, so it would reach none of its detectors; use one of 'LineTelemetry'"],
    [{ detectors: [{ ...update, detectorModelName: 'other' }] }, "detector entry 'u1' has detectorModelName 'other'; a seed of model 'line-1-overheat' updates its own detectors only: use 'line-1-overheat'"],
    [{ detectors: [{ ...update, messageId: '' }] }, "detector entry messageId '' must be 1-64 characters"],
  ])('fails when %j', (options, message) => {
    const { model } = setup();
    expect(() => model.seed('Seed', options as any)).toThrow(`DetectorSeed Stack/Overheat/Seed: ${message}`);
  });
});

/** What would pass synth and fail, or do nothing, at deploy: checked against the model (states, variables, timers, inputs, key). */
describe('DetectorSeed checks its entries against the model', () => {
  const withState = (state: Partial<typeof update.state>) => ({ detectors: [{ ...update, state: { ...update.state, ...state } }] });
  test.each<[string, any, string]>([
    ['a misspelt state', withState({ stateName: 'Nomral' }),
      "detector entry 'u1' sets state 'Nomral', which is not a state of detector model 'line-1-overheat'; did you mean 'Normal'? "
      + "use one of 'Normal', 'Overheated', 'Silent'"],
    ['a state that is no near miss', withState({ stateName: 'Broken' }),
      "detector entry 'u1' sets state 'Broken', which is not a state of detector model 'line-1-overheat'; use one of 'Normal', 'Overheated', 'Silent'"],
    ['an unknown variable', withState({ variables: [{ name: 'hotReading', value: '0' }] }),
      "detector entry 'u1' sets variable 'hotReading', which detector model 'line-1-overheat' never sets or reads; did you mean 'hotReadings'? "
      + "use one of its variables: 'hotReadings', 'coolReadings'"],
    ['an unknown timer', withState({ timers: [{ name: 'silent', seconds: 600 }] }),
      "detector entry 'u1' sets timer 'silent', which detector model 'line-1-overheat' never sets; did you mean 'silence'? use one of its timers: 'silence'"],
    ['a timer out of range', withState({ timers: [{ name: 'silence', seconds: 0 }] }),
      "detector entry 'u1' sets timer 'silence' to 0 seconds; use a whole number from 1 to 31622400"],
    ['no keyValue for a keyed model', { detectors: [{ ...update, keyValue: undefined }] },
      "detector entry 'u1' has no keyValue, but detector model 'line-1-overheat' has the key deviceId; give the keyValue of the detector to set"],
    ['a keyValue the Data API refuses', { detectors: [{ ...update, keyValue: 'line 1' }] },
      'detector entry \'u1\' has keyValue "line 1", which is not a key value (1-128 characters of letters, digits, \'-\', \'_\' and \':\'); use such a value'],
    ['a message to a misspelt input', { messages: [{ ...reading, inputName: 'LineTelemetri' }] },
      "message 'seed-1' is sent to input 'LineTelemetri', which detector model 'line-1-overheat' does not read, so it would reach none of its detectors; "
      + "did you mean 'LineTelemetry'? use one of 'LineTelemetry'"],
    ['a payload without the key', { messages: [{ ...reading, payload: { deviceID: 'a', temperature: 20 } }] },
      "message 'seed-1' has no deviceId in its payload, the key of detector model 'line-1-overheat', so it would reach no detector; "
      + "its attribute 'deviceID' looks like a misspelling of it; add \"deviceId\" (a string or a number) to the payload"],
    ['a JSON text payload without the key', { messages: [{ ...reading, payload: '{"temperature":20}' }] },
      "message 'seed-1' has no deviceId in its payload, the key of detector model 'line-1-overheat', so it would reach no detector; add \"deviceId\""],
    ['a payload that is not JSON', { messages: [{ ...reading, payload: '{deviceId: a}' }] },
      "message 'seed-1' has a payload that is not JSON ("],
    ['a key value the runtime refuses', { messages: [{ ...reading, payload: { deviceId: 'a b' } }] },
      'message \'seed-1\' has deviceId "a b", which is not a key value'],
  ])('fails at synth on %s', (_name, options, message) => {
    const { model } = setup();
    expect(() => model.seed('Seed', options)).toThrow(`DetectorSeed Stack/Overheat/Seed: ${message}`);
  });

  test('accepts what the model has: its states, variables, timers, a numeric key, a JSON text payload', () => {
    const { model } = setup();
    expect(() => model.seed('Seed', {
      messages: [{ ...reading, payload: { deviceId: 42 } }, { ...reading, messageId: 'seed-2', payload: '{"deviceId":"b"}' }],
      detectors: [{ ...update, state: { stateName: 'Overheated', variables: [{ name: 'coolReadings', value: '1' }], timers: [{ name: 'silence', seconds: 31622400 }] } }],
    })).not.toThrow();
  });
});
