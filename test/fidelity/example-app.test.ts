import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { checkRecipe, flattenIntrinsics } from './recipe-check';
import { EdgeFleetStack } from '../../examples/edge-fleet-stack';
import { IotPolicySizer } from '../../src/core-device/private/iot-policy-size';

// The example app is the library's main job: these assertions keep it honest. `.ci/run` also
// synthesizes it with the CloudFormation validator and cdk-nag on, and runs cfn-lint on it.
describe('example app', () => {
  const app = new App();
  const stack = new EdgeFleetStack(app, 'EdgeFleet', { env: { account: '111111111111', region: 'eu-west-1' } });
  const template = Template.fromStack(stack);

  test('every recipe it renders passes the GDK recipe schema and the stricter checks', () => {
    const recipes = Object.values(template.findResources('AWS::GreengrassV2::ComponentVersion'))
      .map((r) => r.Properties.InlineRecipe);
    expect(recipes.length).toBeGreaterThanOrEqual(3);
    for (const inline of recipes) {
      // A recipe with deploy-time values (asset bucket names) is an Fn::Join of strings.
      const text = typeof inline === 'string' ? inline : flattenIntrinsics(inline);
      expect(typeof text).toBe('string');
      expect(checkRecipe(JSON.parse(text))).toEqual([]);
    }
  });

  test('deploys the components, the public components and the stream provisioner to the fleet', () => {
    const deployment = Object.values(template.findResources('AWS::GreengrassV2::Deployment'))[0];
    expect(Object.keys(deployment.Properties.Components).sort()).toEqual([
      'aws.greengrass.Cli',
      'aws.greengrass.LogManager',
      'aws.greengrass.Nucleus',
      'aws.greengrass.StreamManager',
      'com.example.DiskReporter',
      'com.example.LineStreams',
      'com.example.SensorReader',
    ]);
    expect(deployment.Properties.TargetArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Line1ThingGroup/), 'Arn'] });
  });

  test('each core device\'s IoT policies fit AWS IoT\'s 2048 characters and are all attached to its certificate; the gateway with client devices needs two', () => {
    const sizer = IotPolicySizer.ofStack(stack);
    const attachments = Object.values(template.findResources('AWS::IoT::PolicyPrincipalAttachment')).map((a) => a.Properties);
    expect(stack.fleet.devices.map((d) => d.iotPolicies.length)).toEqual([2, 1]);
    for (const device of stack.fleet.devices) {
      for (const policy of device.iotPolicies) {
        expect(sizer.length(template.toJSON().Resources[stack.getLogicalId(policy)].Properties.PolicyDocument)).toBeLessThanOrEqual(2048);
        expect(attachments).toContainEqual({ PolicyName: { Ref: stack.getLogicalId(policy) }, Principal: stack.resolve(device.certificateArn) });
      }
    }
  });

  test('the deployment waits for its fleet', () => {
    template.resourceCountIs('Custom::GreengrassV2DeploymentCompletion', 1);
  });
});

describe('example app, line 2 (provisioned by claim)', () => {
  const app = new App();
  const stack = new EdgeFleetStack(app, 'EdgeFleet', { env: { account: '111111111111', region: 'eu-west-1' } });
  const template = Template.fromStack(stack);

  test('has its own deployment to its thing group, and its components are granted to its token-exchange role', () => {
    template.hasResourceProperties('AWS::GreengrassV2::Deployment', {
      DeploymentName: 'line-2',
      TargetArn: { 'Fn::GetAtt': [stack.getLogicalId(stack.line2.thingGroup), 'Arn'] },
    });
    const line2Role = stack.getLogicalId(stack.line2.tokenExchangeRole.role.node.defaultChild as any);
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p: any) => p.Properties.Roles[0].Ref === line2Role)!;
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((x: any) => [x.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['s3:GetObject', 'kinesis:PutRecords']));
    template.resourceCountIs('AWS::IoT::ProvisioningTemplate', 1);
  });
});

describe('example app, detector runtime', () => {
  const app = new App();
  const stack = new EdgeFleetStack(app, 'EdgeFleet', { env: { account: '111111111111', region: 'eu-west-1' } });
  const template = Template.fromStack(stack);
  const runtime = stack.telemetryDetector.runtime;
  const logicalId = (c: any) => stack.getLogicalId(c.node.defaultChild);

  test('the telemetry stream the devices export to feeds the ingest function', () => {
    const telemetry = stack.node.findChild('Telemetry');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(telemetry), 'Arn'] },
      FunctionName: { Ref: logicalId(runtime.ingestFunction) },
    });
    const env = template.toJSON().Resources[logicalId(runtime.ingestFunction)].Properties.Environment.Variables;
    expect(env.DETECTOR_KINESIS_INPUTS).toEqual({ 'Fn::Join': ['', ['{"', { 'Fn::GetAtt': [logicalId(telemetry), 'Arn'] }, '":"LineTelemetry"}']] });
  });

  test('the overheat model is registered and may publish its alarms to the SNS topic', () => {
    const registration = template.toJSON().Resources[logicalId(stack.telemetryDetector.registration)];
    expect(registration.Properties.DetectorModelName).toBe('line-1-overheat');
    const definition = JSON.stringify(registration.Properties.Definition);
    expect(definition).toContain(logicalId(stack.alarmTopic));
    const roleId = logicalId(runtime.processorFunction.role);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual({ Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: logicalId(stack.alarmTopic) } });
  });
});
