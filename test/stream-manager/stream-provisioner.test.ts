import * as fs from 'fs';
import * as path from 'path';
import { App, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ComponentVersion } from '../../src/component/component-version';
import { LifecycleStep } from '../../src/component/lifecycle';
import { Platform } from '../../src/component/platform';
import { PublicComponent } from '../../src/component/public-component';
import { Recipe } from '../../src/component/recipe';
import { Deployment } from '../../src/deployment/deployment';
import { DeploymentTarget } from '../../src/deployment/deployment-target';
import { KinesisExport, S3TaskExport, StreamDefinition, StreamProvisioner, StreamSet } from '../../src/stream-manager';
import { checkRecipe } from '../fidelity/recipe-check';

function setup() {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'eu-west-1' } });
  const role = new iam.Role(stack, 'DeviceRole', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
  const dataStream = new kinesis.Stream(stack, 'Telemetry', { encryption: kinesis.StreamEncryption.UNENCRYPTED });
  const bucket = new s3.Bucket(stack, 'Uploads');
  const status = new StreamDefinition({ streamName: 'upload-status' });
  const streams = [
    new StreamDefinition({ streamName: 'telemetry', exports: [new KinesisExport(dataStream, { identifier: 'to-kinesis', batchSize: 100 })] }),
    new StreamDefinition({
      streamName: 'files',
      exports: [new S3TaskExport({ identifier: 'to-s3', destinations: [{ bucket, keyPrefix: 'devices/' }], statusStream: status })],
    }),
    status,
  ];
  return { stack, role, dataStream, bucket, streams };
}

/** The recipe of the only component version in the stack, parsed. */
function recipeOf(stack: Stack): any {
  const versions = Template.fromStack(stack).findResources('AWS::GreengrassV2::ComponentVersion');
  const [resource] = Object.values(versions) as any[];
  return JSON.parse(JSON.stringify(stack.resolve((resource.Properties.InlineRecipe))).replace(/^"|"$/g, ''));
}

describe('StreamProvisioner', () => {
  test('its recipe holds the definitions under "streams", status streams first, and runs the provisioner', () => {
    const { stack, streams } = setup();
    const provisioner = new StreamProvisioner(stack, 'Streams', { streams, componentName: 'com.example.Streams' });

    const recipe = provisioner.component.recipeJson;
    expect(recipe.ComponentName).toBe('com.example.Streams');
    expect(stack.resolve(recipe.ComponentConfiguration.DefaultConfiguration.streams)).toEqual(
      stack.resolve(new StreamSet({ streams }).toWireFormat()));
    expect(recipe.ComponentConfiguration.DefaultConfiguration.streams.map((s: any) => s.name)).toEqual(['telemetry', 'upload-status', 'files']);
    expect(recipe.ComponentDependencies).toEqual({
      'aws.greengrass.StreamManager': { VersionRequirement: '^2.0.0', DependencyType: 'HARD' },
    });
    const [manifest] = recipe.Manifests;
    expect(manifest.Platform).toEqual({ os: 'linux' });
    // the definitions are read over IPC, not interpolated into the environment (a list is not a documented interpolation)
    expect(Object.keys(manifest.Lifecycle).sort()).toEqual(['install', 'run']);
    expect(manifest.Lifecycle.install).toEqual({
      Script: 'python3 -m venv {work:path}/venv && {work:path}/venv/bin/python -m pip install --quiet '
        + '"{configuration:/sdkRequirement}" "{configuration:/ipcSdkRequirement}"',
    });
    const run = stack.resolve(manifest.Lifecycle.run.Script);
    expect(run).toMatch(/^\{work:path\}\/venv\/bin\/python -u \{artifacts:path\}\/[0-9a-f]{64}\.py$/);
    // the artifact is the program this package ships
    expect(JSON.stringify(stack.resolve(manifest.Artifacts[0].URI))).toContain(run.split('/').pop());
    expect(manifest.Artifacts).toHaveLength(1);
    expect(recipe.ComponentConfiguration.DefaultConfiguration.sdkRequirement).toBe('stream_manager>=1.1.1,<2');
    expect(recipe.ComponentConfiguration.DefaultConfiguration.ipcSdkRequirement).toBe('awsiotsdk>=1.15.0,<2');
  });

  test('the program reads the configuration key the recipe fills', () => {
    const program = fs.readFileSync(path.join(__dirname, '..', '..', 'resources', 'stream-provisioner', 'stream_provisioner.py'), 'utf-8');

    expect(program).toContain(`CONFIGURATION_KEY = "${StreamSet.CONFIGURATION_KEY}"`);
    expect(program).toContain('get_configuration_async(key_path=key_path)');
  });

  test('its recipe passes the GDK recipe schema and the stricter recipe checks', () => {
    const { stack, streams } = setup();
    const provisioner = new StreamProvisioner(stack, 'Streams', { streams });

    expect(checkRecipe(stack.resolve(provisioner.component.recipeJson))).toEqual([]);
  });

  test('a deployment adds Stream Manager and grants the exports and the artifact to the device role', () => {
    const { stack, role, streams, dataStream } = setup();
    const provisioner = new StreamProvisioner(stack, 'Streams', { streams });
    const deployment = new Deployment(stack, 'Deployment', {
      target: DeploymentTarget.fromThingGroupName(stack, 'fleet', { deviceRole: role }),
    });

    deployment.addComponent(provisioner);

    expect(deployment.components.map(c => c.componentName)).toEqual([provisioner.componentName, 'aws.greengrass.StreamManager']);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::GreengrassV2::Deployment', {
      Components: Match.objectLike({
        'aws.greengrass.StreamManager': { ComponentVersion: PublicComponent.streamManager().componentVersion },
      }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:DescribeStream'], Resource: stack.resolve(dataStream.streamArn) },
          Match.objectLike({ Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'] }),
          Match.objectLike({ Action: 's3:GetObject' }),
        ]),
      },
    });
  });

  test('fails when deployed to a target whose device role is unknown', () => {
    const { stack, streams } = setup();
    const provisioner = new StreamProvisioner(stack, 'Streams', { streams });
    const deployment = new Deployment(stack, 'Deployment', { target: DeploymentTarget.fromThingGroupName(stack, 'fleet') });

    expect(() => deployment.addComponent(provisioner)).toThrow(
      "StreamProvisioner 'Stack/Streams' is deployed to a target whose device role is unknown (deviceRole is undefined): its streams' exports cannot be granted and would stall on the devices, and the devices could not download the provisioner; deploy to a CoreDevice or fleet defined with this library, or pass deviceRole to the Deployment's target");
  });

  test('fails at construction when the set is invalid', () => {
    const { stack } = setup();
    expect(() => new StreamProvisioner(stack, 'Streams', {
      streams: [new StreamDefinition({ streamName: 'a' }), new StreamDefinition({ streamName: 'a' })],
    })).toThrow("stream name 'a' is defined twice in this set");
  });

  test('fails when two components of one deployment define a stream differently', () => {
    const { stack, role } = setup();
    const deployment = new Deployment(stack, 'Deployment', { target: DeploymentTarget.fromThingGroupName(stack, 'fleet', { deviceRole: role }) });
    deployment.addComponent(new StreamProvisioner(stack, 'A', { streams: [new StreamDefinition({ streamName: 'telemetry' })] }));
    const mine = PublicComponent.of('com.example.Collector', '1.0.0');
    const set = new StreamSet({ streams: [new StreamDefinition({ streamName: 'telemetry', maxSize: Size.mebibytes(64) })] });

    expect(() => deployment.addComponent(set.forComponent(mine))).toThrow(
      "stream 'telemetry' is defined differently by StreamProvisioner 'Stack/A' and component 'com.example.Collector', both deployed by 'Stack/Deployment'; "
      + "on the devices each would overwrite the other's definition: define the stream in one StreamSet or StreamProvisioner only, or give one of them another name");
  });

  test('components of one deployment may define the same stream identically, and other deployments differently', () => {
    const { stack, role } = setup();
    const target = (id: string) => DeploymentTarget.fromThingGroupName(stack, id, { deviceRole: role });
    const one = new Deployment(stack, 'One', { target: target('line-1') });
    const two = new Deployment(stack, 'Two', { target: target('line-2') });
    const a = new StreamProvisioner(stack, 'A', { streams: [new StreamDefinition({ streamName: 'telemetry' })] });
    const b = new StreamProvisioner(stack, 'B', { streams: [new StreamDefinition({ streamName: 'telemetry' })] });
    const c = new StreamProvisioner(stack, 'C', { streams: [new StreamDefinition({ streamName: 'telemetry', maxSize: Size.mebibytes(64) })] });

    one.addComponent(a);
    expect(() => one.addComponent(b)).not.toThrow();
    expect(() => two.addComponent(c)).not.toThrow();
  });

  test('a different stream set gives a different component version', () => {
    const a = setup();
    const b = setup();
    const one = new StreamProvisioner(a.stack, 'Streams', { streams: [new StreamDefinition({ streamName: 'x' })], componentName: 'com.example.S' });
    const two = new StreamProvisioner(b.stack, 'Streams', { streams: [new StreamDefinition({ streamName: 'y' })], componentName: 'com.example.S' });
    expect(one.component.recipeVersion).not.toEqual(two.component.recipeVersion);
  });
});

describe('StreamSet.forComponent', () => {
  test('grants the exports, adds Stream Manager, and keeps the component as it is', () => {
    const { stack, role, streams } = setup();
    const set = new StreamSet({ streams });
    const mine = new ComponentVersion(stack, 'Mine', {
      recipe: Recipe.of({
        componentName: 'com.example.Collector',
        defaultConfiguration: set.toConfiguration(),
        manifests: [{ platform: Platform.all(), lifecycle: { run: LifecycleStep.script('python3 -u {artifacts:path}/collector.py') } }],
      }),
    });
    const deployment = new Deployment(stack, 'Deployment', { target: DeploymentTarget.fromThingGroupName(stack, 'fleet', { deviceRole: role }) });

    deployment.addComponent(set.forComponent(mine), { configurationMerge: set.toConfiguration() });

    expect(deployment.components.map(c => `${c.componentName}`)).toEqual(['com.example.Collector', 'aws.greengrass.StreamManager']);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:DescribeStream'] })]) },
    });
    const merge = template.findResources('AWS::GreengrassV2::Deployment');
    const components = (Object.values(merge)[0] as any).Properties.Components;
    expect(JSON.stringify(components['com.example.Collector'])).toContain('upload-status');
  });

  test('fails when the device role is unknown', () => {
    const { stack, streams } = setup();
    const set = new StreamSet({ streams });
    const mine = PublicComponent.of('com.example.Prebuilt', '1.0.0');
    const deployment = new Deployment(stack, 'Deployment', { target: DeploymentTarget.fromThingGroupName(stack, 'fleet') });

    expect(() => deployment.addComponent(set.forComponent(mine))).toThrow(
      /^streams 'telemetry', 'files' export to the cloud but the devices' role is unknown \(deviceRole is undefined\)/);
  });
});
