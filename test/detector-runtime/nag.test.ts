import { App, Stack } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { AwsSolutionsChecks } from 'cdk-nag';
import { lineOverheatDetector, lineTelemetryInput } from '../../examples/line-telemetry-detector';
import { DetectorInput, DetectorModel } from '../../src/detector-runtime';

/**
 * The cdk-nag AwsSolutions findings of a whole runtime (Kinesis source, topic rule, model, seed), each for a
 * reason of the design that examples/nag-acknowledgements.ts states. A new finding fails this test.
 */
test('a runtime has only the AwsSolutions findings its design explains', () => {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const input = new DetectorInput(stack, 'Telemetry', { definition: lineTelemetryInput });
  input.addKinesisSource(new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.MANAGED }));
  input.addTopicRule('Readings', { topicFilter: 'factory/line-1/+/readings', topicLevels: { deviceId: 3 } });
  const group = input.runtime.scheduleGroup.scheduleGroupName;
  const model = new DetectorModel(stack, 'Overheat', { definition: lineOverheatDetector(), inputs: [input] });
  model.seed('Seed', { messages: [{ messageId: 'm1', inputName: 'LineTelemetry', payload: { deviceId: 'a', temperature: 20, timestamp: 0 } }] });

  const report = new AwsSolutionsChecks().validateScope(stack);
  const findings = report.violations.flatMap((v) => v.violatingResources.map(() => v.ruleName)).sort();
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f] = (counts[f] ?? 0) + 1;
  expect(counts).toEqual({
    // IAM (SigV4) auth on each of the 7 methods, as the IoT Events Data API.
    'AwsSolutions-COG4': 7,
    // Execution logging needs the account-level API Gateway role; a WAF web ACL is the account's choice.
    'AwsSolutions-APIG6': 1,
    'AwsSolutions-APIG3': 1,
    // The Kinesis on-failure destination and the topic rules' error-action queue are themselves dead-letter queues.
    'AwsSolutions-SQS3': 2,
    // Timers: schedules of the runtime's group named at run time; MQTT alerts to per-device topics.
    [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:eu-west-1:111111111111:schedule/${group}/*]`]: 1,
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:eu-west-1:111111111111:topic/factory/line-1/alerts/*]': 1,
    // The provider framework invokes its handler (any version); iot:DescribeEndpoint has no resource type.
    'AwsSolutions-IAM5[Resource::<GreengrassV2DetectorRuntimeProviderOnEvent548D6A22.Arn>:*]': 1,
    'AwsSolutions-IAM5[Resource::<GreengrassV2IotEndpointsProviderOnEvent23545C1E.Arn>:*]': 1,
    'AwsSolutions-IAM5[Resource::*]': 1,
  });
});
