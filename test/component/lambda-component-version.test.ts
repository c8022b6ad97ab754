import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  LambdaComponentVersion, LambdaComponentVersionProps, LambdaEventSourceType, LambdaFilesystemPermission, LambdaIsolationMode,
  Platform, VersioningMode,
} from '../../src';

function setup() {
  const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
  const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'i.h', code: lambda.Code.fromInline('def h(e, c): pass') });
  return { stack, fn };
}

describe('LambdaComponentVersion', () => {
  test('fails when the same pinned Lambda component version is created twice in one stack, naming both paths', () => {
    const { stack, fn } = setup();
    const props = { function: fn.currentVersion, componentName: 'com.example.Lambda', componentVersion: '1.0.0', versioning: VersioningMode.PINNED };
    new LambdaComponentVersion(stack, 'One', props);
    expect(() => new LambdaComponentVersion(stack, 'Two', props)).toThrow(
      "component versions 'Stack/One' and 'Stack/Two' both create component 'com.example.Lambda' version '1.0.0' (the same pinned version) in account 123456789012, region eu-west-1");
  });

  test('a typed dependency requires the exact version of the component it names', () => {
    const { stack, fn } = setup();
    const lib = new LambdaComponentVersion(stack, 'Lib', { function: fn.currentVersion, componentName: 'com.example.Lib' });
    new LambdaComponentVersion(stack, 'L', { function: fn.currentVersion, componentName: 'com.example.Lambda', dependencies: { 'com.example.Lib': { component: lib } } });
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::ComponentVersion', {
      LambdaFunction: { ComponentName: 'com.example.Lambda', ComponentDependencies: { 'com.example.Lib': { VersionRequirement: lib.recipeVersion, DependencyType: 'HARD' } } },
    });
  });

  test('renders a typed lambdaFunction source', () => {
    const { stack, fn } = setup();
    const c = new LambdaComponentVersion(stack, 'L', {
      function: fn.currentVersion,
      componentName: 'com.example.Lambda',
      componentVersion: '1.0.0',
      versioning: VersioningMode.PINNED,
      platforms: [Platform.linux()],
      eventSources: [{ topic: 'sensors/+/temp', type: LambdaEventSourceType.IOT_CORE }, { topic: 'local/in', type: LambdaEventSourceType.PUB_SUB }],
      timeout: Duration.seconds(10),
      maxIdleTime: Duration.minutes(2),
      statusTimeout: Duration.seconds(30),
      maxQueueSize: 100,
      maxInstancesCount: 5,
      pinned: false,
      environment: { A: 'b' },
      containerMemory: Size.mebibytes(32),
      volumes: [{ sourcePath: '/data', destinationPath: '/data', permission: LambdaFilesystemPermission.READ_WRITE }],
      devices: [{ path: '/dev/video0' }],
    });
    expect(c.recipeVersion).toBe('1.0.0');
    Template.fromStack(stack).hasResourceProperties('AWS::GreengrassV2::ComponentVersion', {
      LambdaFunction: {
        LambdaArn: stack.resolve(fn.currentVersion.functionArn),
        ComponentName: 'com.example.Lambda',
        ComponentVersion: '1.0.0',
        ComponentPlatforms: [{ Attributes: { os: 'linux' } }],
        ComponentLambdaParameters: {
          EventSources: [{ Topic: 'sensors/+/temp', Type: 'IOT_CORE' }, { Topic: 'local/in', Type: 'PUB_SUB' }],
          TimeoutInSeconds: 10,
          MaxIdleTimeInSeconds: 120,
          StatusTimeoutInSeconds: 30,
          MaxQueueSize: 100,
          MaxInstancesCount: 5,
          Pinned: false,
          EnvironmentVariables: { A: 'b' },
          LinuxProcessParams: {
            IsolationMode: 'GreengrassContainer',
            ContainerParams: {
              MemorySizeInKB: 32768,
              Volumes: [{ SourcePath: '/data', DestinationPath: '/data', Permission: 'rw' }],
              Devices: [{ Path: '/dev/video0', Permission: 'ro' }],
            },
          },
        },
      },
    });
  });

  test('the content-hash version changes with the function version', () => {
    const version = (code: string) => {
      const stack = new Stack(new App(), 'S');
      const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'i.h', code: lambda.Code.fromInline(code) });
      return new LambdaComponentVersion(stack, 'L', { function: fn.currentVersion, componentName: 'com.example.L' }).recipeVersion;
    };
    expect(version('a')).toMatch(/^1\.0\.0-c[0-9a-f]{10}$/);
    expect(version('a')).toBe(version('a'));
    expect(version('a')).not.toBe(version('b'));
  });

  test.each<[string, (fn: lambda.Function, stack: Stack) => Partial<LambdaComponentVersionProps>, string]>([
    ['the function is $LATEST', (fn) => ({ function: fn.latestVersion }),
      "function version '$LATEST' is not a published version: Greengrass refuses $LATEST and aliases, pass fn.currentVersion or a lambda.Version"],
    ['the function ARN is an alias', (_fn, stack) => ({ function: lambda.Version.fromVersionArn(stack, 'V', 'arn:aws:lambda:eu-west-1:123456789012:function:f:live') }),
      "function version 'live' is not a published version: Greengrass refuses $LATEST and aliases, pass fn.currentVersion or a lambda.Version"],
    ['a PUB_SUB topic has a wildcard', () => ({ eventSources: [{ topic: 'a/#', type: LambdaEventSourceType.PUB_SUB }] }),
      "invalid Lambda component 'com.example.L': eventSources topic 'a/#' has an MQTT wildcard, which PUB_SUB event sources do not support: use LambdaEventSourceType.IOT_CORE or an exact topic"],
    ['container settings come without a container', () => ({ isolationMode: LambdaIsolationMode.NO_CONTAINER, containerMemory: Size.mebibytes(16) }),
      "invalid Lambda component 'com.example.L': containerMemory need a container but isolationMode is NO_CONTAINER: remove them or use LambdaIsolationMode.GREENGRASS_CONTAINER"],
    ['the timeout is not whole seconds', () => ({ timeout: Duration.millis(500) }),
      'timeout 500 millis must be a whole number of seconds of at least 1: pass for example Duration.seconds(60)'],
    ['maxQueueSize is 0', () => ({ maxQueueSize: 0 }), 'maxQueueSize 0 must be a whole number of at least 1: pass for example 1000, or leave it out for the Greengrass default'],
    ['maxInstancesCount is a fraction', () => ({ maxInstancesCount: 2.5 }),
      'maxInstancesCount 2.5 must be a whole number of at least 1: pass for example 100, or leave it out for the Greengrass default'],
    ['containerMemory is not whole kibibytes', () => ({ containerMemory: Size.bytes(1500) }),
      "invalid Lambda component 'com.example.L': containerMemory 1.46484375 KiB must be a whole number of kibibytes of at least 1: pass for example Size.mebibytes(16)"],
    ['a platform is not Linux', () => ({ platforms: [Platform.linux(), Platform.windows()] }),
      "invalid Lambda component 'com.example.L': platforms[1] has os 'windows', but Greengrass runs Lambda function components on Linux core devices only: use Platform.linux()"],
    ['the function is an alias (from a language without TypeScript types)', (fn) => ({ function: fn.addAlias('live') as any }),
      'function is an alias, not a function version: Greengrass refuses aliases, pass fn.currentVersion or a lambda.Version'],
    ['the name is reserved', () => ({ componentName: 'aws.greengrass.Mine' }),
      "invalid Lambda component 'aws.greengrass.Mine': componentName 'aws.greengrass.Mine' starts with 'aws.greengrass', which is reserved for AWS components: choose another prefix, for example 'com.example.'"],
  ])('fails when %s', (_n, change, message) => {
    const { stack, fn } = setup();
    expect(() => new LambdaComponentVersion(stack, 'L', { function: fn.currentVersion, componentName: 'com.example.L', ...change(fn, stack) })).toThrow(message);
  });

  test('a published version passes', () => {
    const { stack } = setup();
    const v = lambda.Version.fromVersionArn(stack, 'V', 'arn:aws:lambda:eu-west-1:123456789012:function:f:7');
    expect(() => new LambdaComponentVersion(stack, 'L', { function: v, componentName: 'com.example.L' })).not.toThrow();
  });
});
