import { App, CfnParameter, CfnResource, Duration, Size, Stack, Tags, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CfnDeployment } from 'aws-cdk-lib/aws-greengrassv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FakeComponent, TokenComponent } from './component-doubles';
import {
  AbortCriterion, AbortFailureType, Artifact, ComponentDeploymentOptions, ComponentUpdatePolicy, ComponentVersion, CoreDevice, CoreDeviceFleet,
  Deployment,
  DeploymentProps, DeploymentTarget, FailureHandling, IDeploymentTarget, LifecycleStep, Platform, PublicComponent,
  RateIncreaseCriteria, Recipe, RecipeOptions, Rollout, DependencyType, VersioningMode,
} from '../../src';

const ACCOUNT = '123456789012';

function makeStack(app = new App(), id = 'Stack', region = 'eu-west-1'): Stack {
  return new Stack(app, id, { env: { account: ACCOUNT, region } });
}

function fleet(stack: Stack, name = 'Fleet'): DeploymentTarget {
  return DeploymentTarget.fromThingGroupName(stack, name);
}

function deviceRole(stack: Stack, id = 'DeviceRole'): iam.Role {
  return new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
}

function deploy(props: Partial<DeploymentProps> = {}): { stack: Stack; deployment: Deployment } {
  const stack = makeStack();
  const deployment = new Deployment(stack, 'Deployment', { target: fleet(stack), ...props });
  return { stack, deployment };
}

describe('Deployment', () => {
  test('creates an AWS::GreengrassV2::Deployment at id Resource targeting the thing group', () => {
    const { stack, deployment } = deploy({ deploymentName: 'fleet-deployment' });
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', {
      TargetArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iot:eu-west-1:${ACCOUNT}:thinggroup/Fleet`]] },
      DeploymentName: 'fleet-deployment',
      Components: Match.absent(),
      DeploymentPolicies: Match.absent(),
      IotJobConfiguration: Match.absent(),
    });
    expect(deployment.node.defaultChild).toBe(deployment.node.findChild('Resource'));
    const logicalId = stack.resolve((deployment.node.defaultChild as CfnDeployment).logicalId);
    expect(Template.fromStack(stack).findResources('AWS::GreengrassV2::Deployment')).toHaveProperty([logicalId]);
    expect(stack.resolve(deployment.deploymentId)).toEqual({ 'Fn::GetAtt': [logicalId, 'DeploymentId'] });
  });

  test('derives a deployment name from the construct path by default', () => {
    const { stack, deployment } = deploy();
    expect(deployment.deploymentName).toMatch(/^Stack-Deployment-[A-F0-9]{8}$/);
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', { DeploymentName: deployment.deploymentName });
  });

  test.each(['a', 'x'.repeat(256)])('accepts a deployment name of %#', (deploymentName) => {
    expect(deploy({ deploymentName }).deployment.deploymentName).toBe(deploymentName);
  });

  test.each(['', 'x'.repeat(257)])('fails when the deployment name has %p.length characters', (deploymentName) => {
    expect(() => deploy({ deploymentName })).toThrow(
      `deploymentName must be 1 to 256 characters, got ${deploymentName.length}: shorten it or leave it out for a generated name`);
  });

  test('fromDeploymentId imports a deployment', () => {
    const stack = makeStack();
    const imported = Deployment.fromDeploymentId(stack, 'Imported', 'abcd-1234');
    expect(imported.deploymentId).toBe('abcd-1234');
    expect(Deployment.isDeployment(imported)).toBe(false);
    expect(Deployment.isDeployment(deploy().deployment)).toBe(true);
  });

  test('targets a thing from a CfnThing and references it', () => {
    const stack = makeStack();
    const thing = new iot.CfnThing(stack, 'Core', { thingName: 'core-1' });
    new Deployment(stack, 'Deployment', { target: DeploymentTarget.fromThing(thing) });
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', {
      TargetArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iot:eu-west-1:${ACCOUNT}:thing/`, { Ref: 'Core' }]] },
    });
  });

  test('fails when a target of another implementation has a malformed ARN', () => {
    const stack = makeStack();
    const target: IDeploymentTarget = { targetArn: 'arn:aws:iot:eu-west-1:123456789012:policy/x' };
    expect(() => new Deployment(stack, 'Deployment', { target })).toThrow(
      "target: targetArn must be an IoT thing or thing group ARN (arn:<partition>:iot:<region>:<account>:thing/<name> or ...:thinggroup/<name>), got 'arn:aws:iot:eu-west-1:123456789012:policy/x': build the target with DeploymentTarget.fromThingGroupName(), fromThingName() or their ARN variants");
  });
});

describe('components', () => {
  test('renders name, version, configuration update and run-with', () => {
    const { stack, deployment } = deploy({ components: [new FakeComponent('com.example.Plain', '1.0.0')] });
    deployment.addComponent(new FakeComponent('com.example.Configured', '2.3.4'), {
      configurationMerge: { interval: 10, nested: { topic: 'sensors/#' }, list: [1, 'two'] },
      configurationReset: ['', '/nested/old', '/a~1b/c~0d'],
      runWith: {
        posixUser: 'ggc_user:ggc_group',
        windowsUser: 'ggc_windows',
        systemResourceLimits: { memory: Size.mebibytes(512), cpus: 0.5 },
      },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', {
      Components: {
        'com.example.Plain': { ComponentVersion: '1.0.0' },
        'com.example.Configured': {
          ComponentVersion: '2.3.4',
          ConfigurationUpdate: {
            Merge: '{"interval":10,"nested":{"topic":"sensors/#"},"list":[1,"two"]}',
            Reset: ['', '/nested/old', '/a~1b/c~0d'],
          },
          RunWith: {
            PosixUser: 'ggc_user:ggc_group',
            WindowsUser: 'ggc_windows',
            SystemResourceLimits: { Memory: 524288, Cpus: 0.5 },
          },
        },
      },
    });
    expect(deployment.components.map((c) => c.componentName)).toEqual(['com.example.Plain', 'com.example.Configured']);
  });

  test.each([
    [{ configurationMerge: { a: 1 } }, { ConfigurationUpdate: { Merge: '{"a":1}' } }],
    [{ configurationReset: ['/a'] }, { ConfigurationUpdate: { Reset: ['/a'] } }],
    [{ configurationReset: [] }, { ConfigurationUpdate: Match.absent() }],
    [{ runWith: { posixUser: '1000' } }, { RunWith: { PosixUser: '1000' } }],
    [{ runWith: { systemResourceLimits: { cpus: 2 } } }, { RunWith: { SystemResourceLimits: { Cpus: 2 } } }],
    [{ runWith: { systemResourceLimits: { memory: Size.kibibytes(1) } } }, { RunWith: { SystemResourceLimits: { Memory: 1 } } }],
    [{ runWith: {} }, { RunWith: Match.absent() }],
  ] as Array<[ComponentDeploymentOptions, object]>)('renders options %j', (options, expected) => {
    const { stack, deployment } = deploy();
    deployment.addComponent(new FakeComponent('com.example.C', '1.0.0'), options);
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', {
      Components: { 'com.example.C': { ComponentVersion: '1.0.0', ...expected } },
    });
  });

  test('renders tokens inside the merged configuration', () => {
    const { stack, deployment } = deploy();
    const bucket = new CfnParameter(stack, 'Bucket');
    deployment.addComponent(new FakeComponent('com.example.C', '1.0.0'), {
      configurationMerge: { region: stack.region, bucket: bucket.valueAsString },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', {
      Components: {
        'com.example.C': {
          ConfigurationUpdate: { Merge: { 'Fn::Join': ['', ['{"region":"eu-west-1","bucket":"', { Ref: 'Bucket' }, '"}']] } },
        },
      },
    });
  });

  test('references a component version defined in the app through Fn::GetAtt', () => {
    const stack = makeStack();
    const component = new TokenComponent(stack, 'Sensor', 'com.example.Sensor');
    new Deployment(stack, 'Deployment', { target: fleet(stack), deviceRole: deviceRole(stack), components: [component] });
    const logicalId = stack.resolve(component.resource.logicalId);
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', {
      Components: { 'com.example.Sensor': { ComponentVersion: { 'Fn::GetAtt': [logicalId, 'ComponentVersion'] } } },
    });
  });

  test('binds each component once with the device role and adds what it brings along', () => {
    const stack = makeStack();
    const role = deviceRole(stack);
    const streamManager = new FakeComponent('aws.greengrass.StreamManager', '2.1.0');
    const a = new FakeComponent('com.example.A', '1.0.0', [streamManager]);
    const b = new FakeComponent('com.example.B', '1.0.0', [streamManager, a]);
    const deployment = new Deployment(stack, 'Deployment', { target: fleet(stack), deviceRole: role, components: [a, b] });
    deployment.addComponent(a);
    expect([a.binds.length, b.binds.length, streamManager.binds.length]).toEqual([1, 1, 1]);
    expect(a.binds[0]).toEqual({ scope: deployment, options: { deviceRole: role } });
    expect(deployment.components).toEqual([a, streamManager, b]);
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', {
      Components: {
        'com.example.A': { ComponentVersion: '1.0.0' },
        'com.example.B': { ComponentVersion: '1.0.0' },
        'aws.greengrass.StreamManager': { ComponentVersion: '2.1.0' },
      },
    });
  });

  test('grants through the device role a component binds to', () => {
    const stack = makeStack();
    const role = deviceRole(stack);
    new Deployment(stack, 'Deployment', { target: fleet(stack), deviceRole: role, components: [new TokenComponent(stack, 'C', 'com.example.C')] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.resolve((role.node.defaultChild as iam.CfnRole).logicalId) }],
      PolicyDocument: { Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::artifacts-bucket/com.example.C/*' }] },
    });
  });

  test('prefers the target device role and warns when the deployment names another', () => {
    const stack = makeStack();
    const targetRole = deviceRole(stack, 'TargetRole');
    const component = new FakeComponent('com.example.C', '1.0.0');
    const deployment = new Deployment(stack, 'Deployment', {
      target: DeploymentTarget.fromThingGroupName(stack, 'Fleet', { deviceRole: targetRole }),
      deviceRole: deviceRole(stack, 'Other'),
      components: [component],
    });
    expect(deployment.deviceRole).toBe(targetRole);
    expect(component.binds[0].options.deviceRole).toBe(targetRole);
    Annotations.fromStack(stack).hasWarning('/Stack/Deployment', Match.stringLikeRegexp('deviceRole is ignored because the target has its own device role'));
  });

  test('binds with no device role when neither the target nor the deployment knows one', () => {
    const component = new FakeComponent('com.example.C', '1.0.0');
    deploy({ components: [component] });
    expect(component.binds[0].options).toEqual({ deviceRole: undefined });
  });

  test('takes options given after the component was brought along by another', () => {
    const { stack, deployment } = deploy();
    const dep = new FakeComponent('com.example.Dep', '1.0.0');
    deployment.addComponent(new FakeComponent('com.example.Main', '1.0.0', [dep]));
    deployment.addComponent(new FakeComponent('com.example.Dep', '1.0.0'), { configurationMerge: { x: 1 } });
    expect(dep.binds).toHaveLength(1);
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', {
      Components: { 'com.example.Dep': { ComponentVersion: '1.0.0', ConfigurationUpdate: { Merge: '{"x":1}' } } },
    });
  });

  test('fails when two versions of one component are added', () => {
    const { deployment } = deploy({ components: [new FakeComponent('aws.greengrass.StreamManager', '2.1.0')] });
    expect(() => deployment.addComponent(new FakeComponent('com.example.A', '1.0.0', [new FakeComponent('aws.greengrass.StreamManager', '2.2.0')]))).toThrow(
      "addComponent: the deployment already includes 'aws.greengrass.StreamManager' version '2.1.0', got version '2.2.0': a deployment installs one version of each component; add only one of them (components also bring their dependencies along, such as aws.greengrass.StreamManager)");
  });

  test('fails when a component is added twice with options', () => {
    const { deployment } = deploy();
    deployment.addComponent(new FakeComponent('com.example.C', '1.0.0'), { configurationMerge: { a: 1 } });
    expect(() => deployment.addComponent(new FakeComponent('com.example.C', '1.0.0'), { configurationMerge: { b: 1 } })).toThrow(
      "addComponent: 'com.example.C' was already added with options: pass all its configuration and run-with options in one addComponent call");
  });

  test('fails when the component name is a token', () => {
    const { deployment } = deploy();
    const name = Token.asString({ Ref: 'Name' });
    expect(() => deployment.addComponent(new FakeComponent(name, '1.0.0'))).toThrow(
      `addComponent: componentName must be known at synth time, got a token (${name}): Greengrass keys a deployment's components by name; import the component with its name (for example ComponentVersion.fromComponentVersionAttributes)`);
  });

  test.each([
    ['a', "addComponent 'com.example.C': configurationReset must hold JSON pointers, got 'a': a JSON pointer is '' (the whole configuration) or starts with '/', for example '/a'"],
    ['nested.key', "addComponent 'com.example.C': configurationReset must hold JSON pointers, got 'nested.key': a JSON pointer is '' (the whole configuration) or starts with '/', for example '/nested/key'"],
    ['/a~2b', "addComponent 'com.example.C': configurationReset must hold JSON pointers, got '/a~2b': in a JSON pointer '~' must be written '~0' and '/' inside a key '~1'"],
    ['/a~', "addComponent 'com.example.C': configurationReset must hold JSON pointers, got '/a~': in a JSON pointer '~' must be written '~0' and '/' inside a key '~1'"],
    ['/' + 'x'.repeat(256), `addComponent 'com.example.C': configurationReset entries must be at most 256 characters, got 257 characters in '/${'x'.repeat(39)}...': reset a parent node instead`],
  ])('fails when a reset pointer is %p', (pointer, message) => {
    const { deployment } = deploy();
    expect(() => deployment.addComponent(new FakeComponent('com.example.C', '1.0.0'), { configurationReset: [pointer] })).toThrow(message);
  });

  test.each(['', '/', '/a', '/a/0/b', '/~0~1', '/' + 'x'.repeat(255)])('accepts the reset pointer %p', (pointer) => {
    const { deployment } = deploy();
    expect(() => deployment.addComponent(new FakeComponent('com.example.C', '1.0.0'), { configurationReset: [pointer] })).not.toThrow();
  });

  test.each([
    [{ configurationMerge: [1, 2] as any }, "addComponent 'com.example.C': configurationMerge must be an object of configuration keys, got [1,2]: for example { interval: 10 }"],
    [{ configurationMerge: 'a=1' as any }, "addComponent 'com.example.C': configurationMerge must be an object of configuration keys, got \"a=1\": for example { interval: 10 }"],
    [{ configurationMerge: { blob: 'x'.repeat(10485760) } }, "addComponent 'com.example.C': configurationMerge must render to at most 10485760 characters of JSON, got 10485771: deliver large data as an artifact instead"],
    [{ runWith: { posixUser: '' } }, "addComponent 'com.example.C': runWith.posixUser must be 'user' or 'user:group', got '': for example 'ggc_user:ggc_group'"],
    [{ runWith: { posixUser: 'a:b:c' } }, "addComponent 'com.example.C': runWith.posixUser must be 'user' or 'user:group', got 'a:b:c': for example 'ggc_user:ggc_group'"],
    [{ runWith: { posixUser: 'user:' } }, "addComponent 'com.example.C': runWith.posixUser must be 'user' or 'user:group', got 'user:': for example 'ggc_user:ggc_group'"],
    [{ runWith: { windowsUser: ' ' } }, "addComponent 'com.example.C': runWith.windowsUser must be a Windows user name, got ' ': leave it out to use the user configured on the nucleus"],
    [{ runWith: { systemResourceLimits: { cpus: 0 } } }, "addComponent 'com.example.C': runWith.systemResourceLimits.cpus must be more than 0, got 0: it is a number of CPU cores, for example 0.5 for half a core"],
    [{ runWith: { systemResourceLimits: { cpus: -1 } } }, "addComponent 'com.example.C': runWith.systemResourceLimits.cpus must be more than 0, got -1: it is a number of CPU cores, for example 0.5 for half a core"],
    [{ runWith: { systemResourceLimits: { memory: Size.bytes(1536) } } }, "addComponent 'com.example.C': runWith.systemResourceLimits.memory must be a whole number of kibibytes, at least 1 KiB, got 1536 bytes: for example Size.mebibytes(512)"],
    [{ runWith: { systemResourceLimits: { memory: Size.bytes(0) } } }, "addComponent 'com.example.C': runWith.systemResourceLimits.memory must be a whole number of kibibytes, at least 1 KiB, got 0 bytes: for example Size.mebibytes(512)"],
  ] as Array<[ComponentDeploymentOptions, string]>)('fails when options are %j', (options, message) => {
    const { deployment } = deploy();
    expect(() => deployment.addComponent(new FakeComponent('com.example.C', '1.0.0'), options)).toThrow(message);
  });

  test('accepts the largest merge and skips checks for tokens', () => {
    const { deployment } = deploy();
    expect(() => deployment.addComponent(new FakeComponent('com.example.Big', '1.0.0'), { configurationMerge: { b: 'x'.repeat(10485760 - 8) } })).not.toThrow();
    expect(() => deployment.addComponent(new FakeComponent('com.example.Tokens', '1.0.0'), {
      configurationReset: [Token.asString({ Ref: 'Pointer' })],
      runWith: { posixUser: Token.asString({ Ref: 'User' }), systemResourceLimits: { cpus: Token.asNumber({ Ref: 'Cpus' }), memory: Size.kibibytes(Token.asNumber({ Ref: 'Mem' })) } },
    })).not.toThrow();
  });

  test('renders token values as they are', () => {
    const { stack, deployment } = deploy();
    const mem = new CfnParameter(stack, 'Mem', { type: 'Number' });
    const cpus = new CfnParameter(stack, 'Cpus', { type: 'Number' });
    deployment.addComponent(new FakeComponent('com.example.C', '1.0.0'), {
      runWith: { systemResourceLimits: { memory: Size.kibibytes(mem.valueAsNumber), cpus: cpus.valueAsNumber } },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', {
      Components: { 'com.example.C': { RunWith: { SystemResourceLimits: { Memory: { Ref: 'Mem' }, Cpus: { Ref: 'Cpus' } } } } },
    });
  });

  test('fails when a token memory is not written in kibibytes', () => {
    const { deployment } = deploy();
    expect(() => deployment.addComponent(new FakeComponent('com.example.C', '1.0.0'), {
      runWith: { systemResourceLimits: { memory: Size.mebibytes(Token.asNumber({ Ref: 'Mem' })) } },
    })).toThrow("addComponent 'com.example.C': runWith.systemResourceLimits.memory comes from a token, so it must be written as Size.kibibytes(...), got a token written in another unit: the service takes kibibytes");
  });
});

describe('deployment policies', () => {
  test.each([
    [{ failureHandling: FailureHandling.ROLLBACK }, { FailureHandlingPolicy: 'ROLLBACK' }],
    [{ failureHandling: FailureHandling.DO_NOTHING }, { FailureHandlingPolicy: 'DO_NOTHING' }],
    [{ componentUpdatePolicy: ComponentUpdatePolicy.notifyComponents() }, { ComponentUpdatePolicy: { Action: 'NOTIFY_COMPONENTS' } }],
    [{ componentUpdatePolicy: ComponentUpdatePolicy.notifyComponents(Duration.minutes(2)) }, { ComponentUpdatePolicy: { Action: 'NOTIFY_COMPONENTS', TimeoutInSeconds: 120 } }],
    [{ componentUpdatePolicy: ComponentUpdatePolicy.skipNotifyComponents() }, { ComponentUpdatePolicy: { Action: 'SKIP_NOTIFY_COMPONENTS', TimeoutInSeconds: Match.absent() } }],
    [{ configurationValidationTimeout: Duration.seconds(45) }, { ConfigurationValidationPolicy: { TimeoutInSeconds: 45 } }],
    [{ configurationValidationTimeout: Duration.seconds(1) }, { ConfigurationValidationPolicy: { TimeoutInSeconds: 1 } }],
  ] as Array<[Partial<DeploymentProps>, object]>)('renders %j', (props, expected) => {
    const { stack } = deploy(props);
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', { DeploymentPolicies: expected });
  });

  test.each([
    [Duration.seconds(0), 'configurationValidationTimeout must be from 1 to 2147483647 seconds, got 0 seconds: choose a duration in that range'],
    [Duration.millis(2500), 'configurationValidationTimeout must be a whole number of seconds, got 2.5 seconds: use Duration.seconds(3) or another whole number of seconds'],
    [Duration.seconds(2147483648), 'configurationValidationTimeout must be from 1 to 2147483647 seconds, got 2147483648 seconds: choose a duration in that range'],
  ])('fails when configurationValidationTimeout is %s', (configurationValidationTimeout, message) => {
    expect(() => deploy({ configurationValidationTimeout })).toThrow(message);
  });
});

describe('IoT job configuration', () => {
  test('renders rollout, abort criteria and in-progress timeout', () => {
    const rollout = Rollout.exponential({
      baseRatePerMinute: 5,
      incrementFactor: 2.5,
      rateIncreaseCriteria: RateIncreaseCriteria.succeededThings(20),
      maximumPerMinute: 100,
    });
    const abortCriteria = [
      AbortCriterion.of({ failureType: AbortFailureType.FAILED, thresholdPercentage: 10.5, minNumberOfExecutedThings: 10 }),
      AbortCriterion.of({ failureType: AbortFailureType.TIMED_OUT, thresholdPercentage: 25, minNumberOfExecutedThings: 5 }),
    ];
    const { stack, deployment } = deploy({ rollout, abortCriteria, inProgressTimeout: Duration.hours(2) });
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', {
      IotJobConfiguration: {
        JobExecutionsRolloutConfig: {
          ExponentialRate: { BaseRatePerMinute: 5, IncrementFactor: 2.5, RateIncreaseCriteria: { NumberOfSucceededThings: 20 } },
          MaximumPerMinute: 100,
        },
        AbortConfig: {
          CriteriaList: [
            { Action: 'CANCEL', FailureType: 'FAILED', ThresholdPercentage: 10.5, MinNumberOfExecutedThings: 10 },
            { Action: 'CANCEL', FailureType: 'TIMED_OUT', ThresholdPercentage: 25, MinNumberOfExecutedThings: 5 },
          ],
        },
        TimeoutConfig: { InProgressTimeoutInMinutes: 120 },
      },
    });
    // What a rollout simulator reads back.
    expect(deployment.rollout).toBe(rollout);
    expect(deployment.abortCriteria).toEqual(abortCriteria);
    expect(deployment.inProgressTimeout?.toMinutes()).toBe(120);
    expect(deployment.target.targetArn).toContain(':thinggroup/Fleet');
  });

  test.each([
    [{ rollout: Rollout.exponential({ baseRatePerMinute: 1, incrementFactor: 1.1, rateIncreaseCriteria: RateIncreaseCriteria.notifiedThings(1) }) },
      {
        JobExecutionsRolloutConfig: {
          ExponentialRate: { BaseRatePerMinute: 1, IncrementFactor: 1.1, RateIncreaseCriteria: { NumberOfNotifiedThings: 1 } },
          MaximumPerMinute: Match.absent(),
        },
      }],
    [{ rollout: Rollout.maximumRate(50) }, { JobExecutionsRolloutConfig: { ExponentialRate: Match.absent(), MaximumPerMinute: 50 } }],
    [{ abortCriteria: [AbortCriterion.of({ failureType: AbortFailureType.ALL, thresholdPercentage: 100, minNumberOfExecutedThings: 1 })] },
      { AbortConfig: { CriteriaList: [{ Action: 'CANCEL', FailureType: 'ALL', ThresholdPercentage: 100, MinNumberOfExecutedThings: 1 }] }, JobExecutionsRolloutConfig: Match.absent() }],
    [{ inProgressTimeout: Duration.minutes(1) }, { TimeoutConfig: { InProgressTimeoutInMinutes: 1 } }],
    [{ inProgressTimeout: Duration.days(7) }, { TimeoutConfig: { InProgressTimeoutInMinutes: 10080 } }],
  ] as Array<[Partial<DeploymentProps>, object]>)('renders %#', (props, expected) => {
    const { stack } = deploy(props);
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', { IotJobConfiguration: expected });
  });

  test('omits the abort configuration for an empty list', () => {
    const { stack } = deploy({ abortCriteria: [] });
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', { IotJobConfiguration: Match.absent() });
  });

  test.each([
    [Duration.seconds(59), 'inProgressTimeout must be a whole number of minutes, got 0.9833333333333333 minutes: use Duration.minutes(1) or another whole number of minutes'],
    [Duration.seconds(90), 'inProgressTimeout must be a whole number of minutes, got 1.5 minutes: use Duration.minutes(2) or another whole number of minutes'],
    [Duration.minutes(0), 'inProgressTimeout must be from 1 to 10080 minutes, got 0 minutes: choose a duration in that range'],
    [Duration.minutes(10081), 'inProgressTimeout must be from 1 to 10080 minutes, got 10081 minutes: choose a duration in that range'],
  ])('fails when inProgressTimeout is %s', (inProgressTimeout, message) => {
    expect(() => deploy({ inProgressTimeout })).toThrow(message);
  });

  test('renders token durations written in the unit of the property', () => {
    const stack = makeStack();
    const minutes = new CfnParameter(stack, 'Minutes', { type: 'Number' });
    const seconds = new CfnParameter(stack, 'Seconds', { type: 'Number' });
    new Deployment(stack, 'Deployment', {
      target: fleet(stack),
      inProgressTimeout: Duration.minutes(minutes.valueAsNumber),
      configurationValidationTimeout: Duration.seconds(seconds.valueAsNumber),
      componentUpdatePolicy: ComponentUpdatePolicy.notifyComponents(Duration.seconds(seconds.valueAsNumber)),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', {
      IotJobConfiguration: { TimeoutConfig: { InProgressTimeoutInMinutes: { Ref: 'Minutes' } } },
      DeploymentPolicies: {
        ConfigurationValidationPolicy: { TimeoutInSeconds: { Ref: 'Seconds' } },
        ComponentUpdatePolicy: { TimeoutInSeconds: { Ref: 'Seconds' } },
      },
    });
  });

  test.each([
    [{ inProgressTimeout: Duration.hours(Token.asNumber({ Ref: 'T' })) },
      'inProgressTimeout comes from a token, so it must be written as Duration.minutes(...), got a token written in another unit: write it in minutes'],
    [{ configurationValidationTimeout: Duration.minutes(Token.asNumber({ Ref: 'T' })) },
      'configurationValidationTimeout comes from a token, so it must be written as Duration.seconds(...), got a token written in another unit: write it in seconds'],
  ] as Array<[Partial<DeploymentProps>, string]>)('fails when a token duration is in another unit (%#)', (props, message) => {
    expect(() => deploy(props)).toThrow(message);
  });
});

describe('tags', () => {
  test('pass through, with Tags.of', () => {
    const { stack, deployment } = deploy({ tags: { team: 'edge', stage: 'prod' } });
    Tags.of(deployment).add('cost-center', '42');
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::Deployment', {
      Tags: { 'team': 'edge', 'stage': 'prod', 'cost-center': '42' },
    });
  });

  test.each([
    [Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, 'v'])), 'tags may hold at most 200 tags, got 201: remove some'],
    [{ ['k'.repeat(129)]: 'v' }, `tags: keys must be 1 to 128 characters, got '${'k'.repeat(129)}' (129 characters): shorten the key`],
    [{ '': 'v' }, "tags: keys must be 1 to 128 characters, got '' (0 characters): shorten the key"],
    [{ k: 'v'.repeat(257) }, "tags: values must be at most 256 characters, got 257 characters for tag 'k': shorten the value"],
  ])('fails when tags are %#', (tags, message) => {
    expect(() => deploy({ tags })).toThrow(message);
  });

  test('accepts 200 tags with the longest keys and values', () => {
    const tags = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`${i}`.padEnd(128, 'k'), 'v'.repeat(256)]));
    expect(() => deploy({ tags })).not.toThrow();
  });
});

describe('one deployment per target', () => {
  const conflict = (first: string, second: string, what: string) =>
    `deployments '${first}' and '${second}' both target ${what}: Greengrass keeps one deployment per thing or thing group, so the later one would replace the other. Use one Deployment for that target and add every component to it (addComponent), or target different thing groups`;

  test('fails for two deployments to one thing group name in a stack', () => {
    const stack = makeStack();
    new Deployment(stack, 'First', { target: fleet(stack) });
    expect(() => new Deployment(stack, 'Second', { target: fleet(stack) })).toThrow(conflict('Stack/First', 'Stack/Second', "thing group 'Fleet'"));
  });

  test('fails across stacks of one app', () => {
    const app = new App();
    const a = makeStack(app, 'A');
    const b = makeStack(app, 'B');
    new Deployment(a, 'First', { target: DeploymentTarget.fromThingGroupArn(`arn:aws:iot:eu-west-1:${ACCOUNT}:thinggroup/Fleet`) });
    expect(() => new Deployment(b, 'Second', { target: fleet(b) })).toThrow(conflict('A/First', 'B/Second', "thing group 'Fleet'"));
  });

  test('fails for a CfnThingGroup and its name', () => {
    const stack = makeStack();
    const group = new iot.CfnThingGroup(stack, 'Group', { thingGroupName: 'Fleet' });
    new Deployment(stack, 'First', { target: DeploymentTarget.fromThingGroup(group) });
    expect(() => new Deployment(stack, 'Second', { target: fleet(stack) })).toThrow(conflict('Stack/First', 'Stack/Second', "thing group 'Fleet'"));
  });

  test('fails for two targets built from the same unnamed CfnThing', () => {
    const stack = makeStack();
    const thing = new iot.CfnThing(stack, 'Core');
    new Deployment(stack, 'First', { target: DeploymentTarget.fromThing(thing) });
    expect(() => new Deployment(stack, 'Second', { target: DeploymentTarget.fromThing(thing) })).toThrow(conflict('Stack/First', 'Stack/Second', "thing of 'Stack/Core' (its name is generated at deploy time)"));
  });

  test('fails for two ARNs of one thing, naming it', () => {
    const app = new App();
    const arn = `arn:aws:iot:eu-west-1:${ACCOUNT}:thing/core-1`;
    new Deployment(makeStack(app, 'A'), 'First', { target: DeploymentTarget.fromThingArn(arn) });
    expect(() => new Deployment(makeStack(app, 'B'), 'Second', { target: { targetArn: arn } })).toThrow(conflict('A/First', 'B/Second', "thing 'core-1'"));
  });

  test('fails for targets of another implementation sharing a token ARN', () => {
    const stack = makeStack();
    const group = new iot.CfnThingGroup(stack, 'Group');
    new Deployment(stack, 'First', { target: { targetArn: group.attrArn } });
    expect(() => new Deployment(stack, 'Second', { target: { targetArn: group.attrArn } })).toThrow(conflict('Stack/First', 'Stack/Second', "target of 'Stack/Group' (its ARN is known at deploy time)"));
  });

  // every target kind yields one key wherever the name is known at synth
  test.each([
    ['a CoreDevice and its thing name', "thing 'gw-7'",
      (s: Stack) => new CoreDevice(s, 'Gw7', { thingName: 'gw-7' }), (s: Stack) => DeploymentTarget.fromThingName(s, 'gw-7')],
    ['a thing name and a CoreDevice', "thing 'gw-7'",
      (s: Stack) => DeploymentTarget.fromThingName(s, 'gw-7'), (s: Stack) => new CoreDevice(s, 'Gw7', { thingName: 'gw-7' })],
    ['a CoreDevice and its thing ARN', "thing 'gw-7'",
      (s: Stack) => new CoreDevice(s, 'Gw7', { thingName: 'gw-7' }), (_s: Stack) => DeploymentTarget.fromThingArn(`arn:aws:iot:eu-west-1:${ACCOUNT}:thing/gw-7`)],
    ['a CoreDeviceFleet and its thing group name', "thing group 'line-1'",
      (s: Stack) => new CoreDeviceFleet(s, 'Line1', { thingGroupName: 'line-1' }), (s: Stack) => DeploymentTarget.fromThingGroupName(s, 'line-1')],
    ['a CoreDeviceFleet and its thing group construct', "thing group 'line-1'",
      (s: Stack) => new CoreDeviceFleet(s, 'Line1', { thingGroupName: 'line-1' }), (s: Stack) => DeploymentTarget.fromThingGroup((s.node.findChild('Line1') as CoreDeviceFleet).thingGroup)],
    ['a CoreDeviceFleet and its thing group ARN', "thing group 'line-1'",
      (s: Stack) => new CoreDeviceFleet(s, 'Line1', { thingGroupName: 'line-1' }), (_s: Stack) => DeploymentTarget.fromThingGroupArn(`arn:aws:iot:eu-west-1:${ACCOUNT}:thinggroup/line-1`)],
    ['an unnamed CoreDeviceFleet and its thing group construct', "thing group of 'Stack/Line1/ThingGroup' (its name is generated at deploy time)",
      (s: Stack) => new CoreDeviceFleet(s, 'Line1'), (s: Stack) => DeploymentTarget.fromThingGroup((s.node.findChild('Line1') as CoreDeviceFleet).thingGroup)],
    ['a CoreDevice with a generated name and its thing construct', "thing 'StackGw7",
      (s: Stack) => new CoreDevice(s, 'Gw7'), (s: Stack) => DeploymentTarget.fromThing((s.node.findChild('Gw7') as CoreDevice).node.findChild('Thing') as iot.CfnThing)],
  ])('fails for %s, naming it', (_what, label, first, second) => {
    const stack = makeStack();
    new Deployment(stack, 'First', { target: first(stack) });
    expect(() => new Deployment(stack, 'Second', { target: second(stack) })).toThrow(`both target ${label}`);
  });

  test('accepts a CoreDevice and a CoreDeviceFleet of the same name (a thing and a thing group)', () => {
    const stack = makeStack();
    new Deployment(stack, 'First', { target: new CoreDevice(stack, 'Gw', { thingName: 'line-1' }) });
    expect(() => new Deployment(stack, 'Second', { target: new CoreDeviceFleet(stack, 'Line', { thingGroupName: 'line-1' }) })).not.toThrow();
  });

  test.each([
    ['thing and thing group of one name', (s: Stack) => DeploymentTarget.fromThingName(s, 'Fleet'), (s: Stack) => fleet(s)],
    ['names differing in case', (s: Stack) => fleet(s, 'Fleet'), (s: Stack) => fleet(s, 'fleet')],
    ['two unnamed thing groups', (s: Stack) => DeploymentTarget.fromThingGroup(new iot.CfnThingGroup(s, 'G1')), (s: Stack) => DeploymentTarget.fromThingGroup(new iot.CfnThingGroup(s, 'G2'))],
    ['one name in two regions', (s: Stack) => fleet(s), (_s: Stack) => DeploymentTarget.fromThingGroupArn(`arn:aws:iot:us-east-1:${ACCOUNT}:thinggroup/Fleet`)],
  ])('accepts %s', (_what, first, second) => {
    const stack = makeStack();
    new Deployment(stack, 'First', { target: first(stack) });
    expect(() => new Deployment(stack, 'Second', { target: second(stack) })).not.toThrow();
  });

  test('accepts the same target in two apps', () => {
    const one = makeStack(new App());
    const two = makeStack(new App());
    new Deployment(one, 'Deployment', { target: fleet(one) });
    expect(() => new Deployment(two, 'Deployment', { target: fleet(two) })).not.toThrow();
  });
});

describe('with ComponentVersion and PublicComponent', () => {
  function helloRecipe(artifacts: Artifact[] = []): Recipe {
    return Recipe.of({
      componentName: 'com.example.Hello',
      componentVersion: '1.0.0',
      manifests: [{ platform: Platform.linux(), lifecycle: { run: LifecycleStep.script('echo hello') }, artifacts }],
    });
  }

  test('references the component version through Fn::GetAtt and grants its artifact to the device role', () => {
    const stack = makeStack();
    const role = deviceRole(stack);
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'artifact-bucket');
    const hello = new ComponentVersion(stack, 'Hello', { recipe: helloRecipe([Artifact.fromBucket(bucket, 'hello/app.py')]) });
    new Deployment(stack, 'Deployment', {
      target: fleet(stack),
      deviceRole: role,
      components: [hello, PublicComponent.of('aws.greengrass.Nucleus', '2.14.0')],
    });
    const template = Template.fromStack(stack);
    const componentId = stack.resolve((hello.node.defaultChild as CfnResource).logicalId);
    template.hasResourceProperties('AWS::GreengrassV2::Deployment', {
      Components: {
        'com.example.Hello': { ComponentVersion: { 'Fn::GetAtt': [componentId, 'ComponentVersion'] } },
        'aws.greengrass.Nucleus': { ComponentVersion: '2.14.0' },
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.resolve((role.node.defaultChild as iam.CfnRole).logicalId) }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 's3:GetObject',
          Resource: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':s3:::artifact-bucket/hello/app.py')])] }),
        })]),
      },
    });
  });

  test('adding one ComponentVersion twice binds it once', () => {
    const stack = makeStack();
    const hello = new ComponentVersion(stack, 'Hello', { recipe: helloRecipe() });
    const deployment = new Deployment(stack, 'Deployment', { target: fleet(stack), components: [hello] });
    deployment.addComponent(hello, { configurationMerge: { greeting: 'hi' } });
    expect(deployment.components).toEqual([hello]);
  });

  test('fails when the devices must download artifacts and no device role is known', () => {
    const stack = makeStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'artifact-bucket');
    const hello = new ComponentVersion(stack, 'Hello', { recipe: helloRecipe([Artifact.fromBucket(bucket, 'hello/app.py')]) });
    expect(() => new Deployment(stack, 'Deployment', { target: fleet(stack), components: [hello] })).toThrow(/knows no device role: pass `deviceRole` to the Deployment/);
  });
});

describe('dependencies the deployment cannot resolve', () => {
  const app = (name: string, dependencies: Record<string, any>, extra: Partial<RecipeOptions> = {}) => Recipe.of({
    componentName: name,
    componentVersion: '1.0.0',
    dependencies,
    manifests: [{ platform: Platform.linux(), lifecycle: { run: LifecycleStep.script('echo') } }],
    ...extra,
  });
  const synthErrors = (stack: Stack) => {
    try {
      App.of(stack)!.synth();
      return [];
    } catch (e) {
      return [(e as Error).message];
    }
  };

  test('fails when the pinned nucleus is outside a component\'s nucleus range, naming both components, the range and the version', () => {
    const stack = makeStack();
    const c = new ComponentVersion(stack, 'App', { recipe: app('com.example.App', { 'aws.greengrass.Nucleus': { versionRequirement: '>=2.0.3 <2.1.0', dependencyType: DependencyType.SOFT } }), versioning: VersioningMode.PINNED });
    new Deployment(stack, 'Deployment', { target: fleet(stack), components: [PublicComponent.nucleus('2.5.0'), c] });
    expect(synthErrors(stack)).toEqual([expect.stringContaining(
      "component 'com.example.App' version '1.0.0' requires 'aws.greengrass.Nucleus' '>=2.0.3 <2.1.0', but deployment 'Stack/Deployment' installs 'aws.greengrass.Nucleus' version '2.5.0': every device would fail to resolve the dependency. Change the requirement to include '2.5.0' or deploy a version it includes")]);
  });

  test('fails when a range requires a library component whose content-hash version is a prerelease', () => {
    const stack = makeStack();
    const lib = new ComponentVersion(stack, 'Lib', { recipe: app('com.example.Lib', {}) });
    const c = new ComponentVersion(stack, 'App', { recipe: app('com.example.App', { 'com.example.Lib': { versionRequirement: '^1.0.0' } }) });
    new Deployment(stack, 'Deployment', { target: fleet(stack), components: [c, lib] });
    expect(synthErrors(stack)).toEqual([expect.stringMatching(
      /component 'com\.example\.App' version '1\.0\.0-c[0-9a-f]{10}' requires 'com\.example\.Lib' '\^1\.0\.0', but deployment 'Stack\/Deployment' installs 'com\.example\.Lib' version '1\.0\.0-c[0-9a-f]{10}': every device would fail to resolve the dependency \('1\.0\.0-c[0-9a-f]{10}' is a content-hash version: a prerelease/)]);
  });

  test('fails when a library component outside the deployment has no version the range includes', () => {
    const stack = makeStack();
    new ComponentVersion(stack, 'Lib', { recipe: app('com.example.Lib', {}) });
    const c = new ComponentVersion(stack, 'App', { recipe: app('com.example.App', { 'com.example.Lib': { versionRequirement: '^1.0.0' } }) });
    new Deployment(stack, 'Deployment', { target: fleet(stack), components: [c] });
    expect(synthErrors(stack)).toEqual([expect.stringMatching(/requires 'com\.example\.Lib' '\^1\.0\.0', but the only version of 'com\.example\.Lib' this app creates in this account and region is '1\.0\.0-c[0-9a-f]{10}'/)]);
  });

  test('accepts requirements the deployment satisfies, and dependencies the library does not know', () => {
    const stack = makeStack();
    const c = new ComponentVersion(stack, 'App', {
      recipe: app('com.example.App', { 'aws.greengrass.Nucleus': { versionRequirement: '>=2.0.3 <3.0.0' }, 'aws.greengrass.TokenExchangeService': { versionRequirement: '^2.0.0' }, 'com.other.Thing': { versionRequirement: '^1.0.0' } }),
    });
    new Deployment(stack, 'Deployment', { target: fleet(stack), components: [PublicComponent.nucleus('2.5.0'), c] });
    expect(synthErrors(stack)).toEqual([]);
  });

  test('a typed dependency on a library component pins its exact version and grants its artifacts, though the deployment does not include it', () => {
    const stack = makeStack();
    const role = deviceRole(stack);
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'lib-bucket');
    const lib = new ComponentVersion(stack, 'Lib', {
      recipe: app('com.example.Lib', {}, { manifests: [{ platform: Platform.linux(), artifacts: [Artifact.fromBucket(bucket, 'lib/lib.zip')] }] }),
    });
    const c = new ComponentVersion(stack, 'App', { recipe: app('com.example.App', { 'com.example.Lib': { component: lib } }) });
    expect(c.recipeJson.ComponentDependencies).toEqual({ 'com.example.Lib': { VersionRequirement: lib.recipeVersion, DependencyType: 'HARD' } });
    new Deployment(stack, 'Deployment', { target: fleet(stack), deviceRole: role, components: [c] });
    expect(synthErrors(stack)).toEqual([]);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject', Resource: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':s3:::lib-bucket/lib/lib.zip'])] }) })]) },
    });
    const deployment = Object.entries(template.findResources('AWS::GreengrassV2::Deployment'))[0][1] as any;
    expect(deployment.DependsOn).toEqual(expect.arrayContaining([stack.resolve((lib.node.defaultChild as CfnResource).logicalId)]));
    expect(Object.keys(deployment.Properties.Components)).toEqual(['com.example.App']);
  });

  test('a library component reached by name only is granted too', () => {
    const stack = makeStack();
    const role = deviceRole(stack);
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'lib-bucket');
    new ComponentVersion(stack, 'Lib', {
      recipe: app('com.example.Lib', {}, { manifests: [{ platform: Platform.linux(), artifacts: [Artifact.fromBucket(bucket, 'lib/lib.zip')] }] }),
      versioning: VersioningMode.PINNED,
    });
    const c = new ComponentVersion(stack, 'App', { recipe: app('com.example.App', { 'com.example.Lib': { versionRequirement: '^1.0.0' } }) });
    new Deployment(stack, 'Deployment', { target: fleet(stack), deviceRole: role, components: [c] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject' })]) },
    });
  });

  test.each([
    ['keyed by another name', (lib: ComponentVersion) => ({ 'com.example.Other': { component: lib } }), "dependencies.com.example.Other.component is 'com.example.Lib': key the dependency by the component's name, 'com.example.Lib'"],
    ['with a range that excludes its version', (lib: ComponentVersion) => ({ 'com.example.Lib': { component: lib, versionRequirement: '^1.0.0' } }), "dependencies.com.example.Lib.versionRequirement '^1.0.0' does not include the component's version '1.0.0-c"],
  ])('fails for a typed dependency %s', (_what, deps, message) => {
    const stack = makeStack();
    const lib = new ComponentVersion(stack, 'Lib', { recipe: app('com.example.Lib', {}) });
    expect(() => app('com.example.App', deps(lib))).toThrow(message);
  });

  test('errors print versions known at synth, not deploy-time values', () => {
    const stack = makeStack();
    const a = new ComponentVersion(stack, 'A', { recipe: app('com.example.Hello', {}), versioning: VersioningMode.PINNED });
    const b = new ComponentVersion(stack, 'B', { recipe: app('com.example.Hello', {}, { componentVersion: '1.1.0' }), versioning: VersioningMode.PINNED });
    const deployment = new Deployment(stack, 'Deployment', { target: fleet(stack), components: [a] });
    expect(() => deployment.addComponent(b)).toThrow("addComponent: the deployment already includes 'com.example.Hello' version '1.0.0', got version '1.1.0'");
  });

  test('the same version by construct and by attributes is one component', () => {
    const stack = makeStack();
    const a = new ComponentVersion(stack, 'A', { recipe: app('com.example.Hello', {}), versioning: VersioningMode.PINNED });
    const imported = ComponentVersion.fromComponentVersionAttributes(stack, 'I', { componentName: 'com.example.Hello', componentVersion: '1.0.0' });
    const deployment = new Deployment(stack, 'Deployment', { target: fleet(stack), components: [a] });
    expect(() => deployment.addComponent(imported)).not.toThrow();
  });
});
