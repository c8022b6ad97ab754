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
    [{ messages: [{ ...reading, inputName: 'Other' }] }, "message 'seed-1' is sent to input 'Other', which model 'line-1-overheat' does not read; use one of 'LineTelemetry'"],
    [{ detectors: [{ ...update, detectorModelName: 'other' }] }, "detector entry 'u1' has detectorModelName 'other'; a seed of model 'line-1-overheat' updates its own detectors only: use 'line-1-overheat'"],
    [{ detectors: [{ ...update, messageId: '' }] }, "detector entry messageId '' must be 1-64 characters"],
  ])('fails when %j', (options, message) => {
    const { model } = setup();
    expect(() => model.seed('Seed', options as any)).toThrow(`DetectorSeed Stack/Overheat/Seed: ${message}`);
  });
});
