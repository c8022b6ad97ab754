import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { lineOverheatDetector, lineTelemetryInput } from '../../examples/line-telemetry-detector';
import { DetectorInput, DetectorModel, DetectorRuntime } from '../../src/detector-runtime';
import { describeFindings, libraryOwned, nagReport } from '../nag-report';

const ENV = { account: '111111111111', region: 'eu-west-1' };

/**
 * A whole runtime (Kinesis source, topic rule, model, seed): every cdk-nag AwsSolutions finding on its resources is
 * acknowledged where the runtime creates the resource, with the reason of the design.
 */
describe('a runtime under cdk-nag AwsSolutions', () => {
  const { app, open, acknowledged } = nagReport((a) => {
    const stack = new Stack(a, 'Stack', { env: ENV });
    const input = new DetectorInput(stack, 'Telemetry', { definition: lineTelemetryInput });
    input.addKinesisSource(new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.MANAGED }));
    input.addTopicRule('Readings', { topicFilter: 'factory/line-1/+/readings', topicLevels: { deviceId: 3 } });
    const model = new DetectorModel(stack, 'Overheat', { definition: lineOverheatDetector(), inputs: [input] });
    model.seed('Seed', { messages: [{ messageId: 'm1', inputName: 'LineTelemetry', payload: { deviceId: 'a', temperature: 20, timestamp: 0 } }] });
  });
  const ack = (rule: string) => acknowledged.filter((f) => f.rule === rule);

  test('leaves no finding on the runtime\'s resources', () => {
    expect(describeFindings(open.filter((f) => libraryOwned(app, f.path)))).toEqual([]);
  });

  test('IAM (SigV4) auth: COG4 is acknowledged on each of the 7 methods, each at its method', () => {
    expect(ack('AwsSolutions-COG4').map((f) => f.acknowledgedAt).sort()).toEqual([
      'Stack/GreengrassV2DetectorRuntime/Api/Default/detectors/POST',
      'Stack/GreengrassV2DetectorRuntime/Api/Default/detectors/delete/GET',
      'Stack/GreengrassV2DetectorRuntime/Api/Default/detectors/delete/POST',
      'Stack/GreengrassV2DetectorRuntime/Api/Default/detectors/delete/keyValues/GET',
      'Stack/GreengrassV2DetectorRuntime/Api/Default/detectors/{detectorModelName}/GET',
      'Stack/GreengrassV2DetectorRuntime/Api/Default/detectors/{detectorModelName}/keyValues/GET',
      'Stack/GreengrassV2DetectorRuntime/Api/Default/inputs/messages/POST',
    ]);
  });

  test.each([
    ['AwsSolutions-APIG6', 'Stack/GreengrassV2DetectorRuntime/Api/DeploymentStage.prod/Resource', /executionLoggingLevel/],
    ['AwsSolutions-APIG3', 'Stack/GreengrassV2DetectorRuntime/Api/DeploymentStage.prod/Resource', /WAF web ACL/],
    ['AwsSolutions-SQS3', 'Stack/GreengrassV2DetectorRuntime/IngestFailures/Resource', /on-failure destination of the ingest function's Kinesis/],
    ['AwsSolutions-SQS3', 'Stack/GreengrassV2DetectorRuntime/RuleErrors/Resource', /error action of the detector inputs' topic rules/],
    ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:eu-west-1:111111111111:schedule/Stack-GreengrassV2DetectorRuntime-Timers-',
      'Stack/GreengrassV2DetectorRuntime/ProcessorRole/DefaultPolicy/Resource', /one-time schedules/],
    ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:eu-west-1:111111111111:topic/factory/line-1/alerts/*]',
      'Stack/GreengrassV2DetectorRuntime/ProcessorRole/DefaultPolicy/Resource',
      /^detector model line-1-overheat publishes to MQTT topic factory\/line-1\/alerts\/\$\{\$input.LineTelemetry.deviceId\}, whose/],
  ])('%s on %s is acknowledged with its reason', (rule, resource, reason) => {
    const found = acknowledged.filter((f) => f.rule.startsWith(rule) && f.path === resource);
    expect(found).toHaveLength(1);
    expect(found[0].reason).toMatch(reason);
  });
});

describe('what the runtime leaves to the user', () => {
  test('APIG6 stays when execution logging is turned off explicitly (not the default: the user\'s choice)', () => {
    const { open } = nagReport((a) => {
      const stack = new Stack(a, 'Stack', { env: ENV });
      new DetectorRuntime(stack, 'Runtime', { executionLoggingLevel: apigateway.MethodLoggingLevel.OFF });
    });
    expect(describeFindings(open)).toEqual(['error AwsSolutions-APIG6 Stack/Runtime/Api/DeploymentStage.prod/Resource']);
  });

  test('APIG6 does not arise with execution logging on, and the runtime does not acknowledge it', () => {
    const { open, acknowledged } = nagReport((a) => {
      const stack = new Stack(a, 'Stack', { env: ENV });
      new DetectorRuntime(stack, 'Runtime', { executionLoggingLevel: apigateway.MethodLoggingLevel.ERROR });
    });
    expect(describeFindings(open)).toEqual([]);
    expect(acknowledged.filter((f) => f.rule === 'AwsSolutions-APIG6')).toEqual([]);
  });
});
