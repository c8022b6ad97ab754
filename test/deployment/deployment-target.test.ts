import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import { DeploymentTarget, DeploymentTargetType } from '../../src';

function envStack(region = 'eu-west-1'): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region } });
}

describe('DeploymentTarget', () => {
  test.each([
    ['fromThingName', 'thing', DeploymentTargetType.THING],
    ['fromThingGroupName', 'thinggroup', DeploymentTargetType.THING_GROUP],
  ] as const)('%s builds the ARN in the stack account and region', (factory, resource, type) => {
    const stack = envStack();
    const target = DeploymentTarget[factory](stack, 'Fleet_1:a-b');
    expect(stack.resolve(target.targetArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iot:eu-west-1:123456789012:${resource}/Fleet_1:a-b`]],
    });
    expect(target.targetType).toBe(type);
    expect(target.targetName).toBe('Fleet_1:a-b');
  });

  test('names are partition-aware in environment-agnostic stacks', () => {
    const stack = new Stack(new App(), 'Stack');
    const target = DeploymentTarget.fromThingGroupName(stack, 'Fleet');
    expect(stack.resolve(target.targetArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iot:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':thinggroup/Fleet']],
    });
  });

  test('names use the literal partition of the region when partition literals are enabled', () => {
    const app = new App({ context: { '@aws-cdk/core:enablePartitionLiterals': true } });
    const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'cn-north-1' } });
    expect(stack.resolve(DeploymentTarget.fromThingName(stack, 'Core').targetArn)).toEqual('arn:aws-cn:iot:cn-north-1:123456789012:thing/Core');
  });

  test.each([
    ['fromThing', (stack: Stack) => DeploymentTarget.fromThing(new iot.CfnThing(stack, 'T', { thingName: 'Core' })), 'thing'],
    ['fromThingGroup', (stack: Stack) => DeploymentTarget.fromThingGroup(new iot.CfnThingGroup(stack, 'T', {})), 'thinggroup'],
  ] as const)('%s references the construct, so the deployment depends on it', (_name, make, resource) => {
    const stack = envStack('us-east-1');
    const target = make(stack);
    expect(stack.resolve(target.targetArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iot:us-east-1:123456789012:${resource}/`, { Ref: 'T' }]],
    });
    expect(stack.resolve(target.targetName)).toEqual({ Ref: 'T' });
  });

  test.each([
    ['fromThingArn', 'arn:aws:iot:us-east-1:123456789012:thing/Core', DeploymentTargetType.THING, 'Core'],
    ['fromThingGroupArn', 'arn:aws-us-gov:iot:us-gov-west-1:123456789012:thinggroup/Fleet', DeploymentTargetType.THING_GROUP, 'Fleet'],
  ] as const)('%s keeps the ARN', (factory, arn, type, name) => {
    const target = DeploymentTarget[factory](arn);
    expect([target.targetArn, target.targetType, target.targetName]).toEqual([arn, type, name]);
  });

  test('ARN factories accept tokens and take the name from them', () => {
    const stack = envStack();
    const group = new iot.CfnThingGroup(stack, 'G', {});
    const target = DeploymentTarget.fromThingGroupArn(group.attrArn);
    expect(target.targetArn).toBe(group.attrArn);
    expect(stack.resolve(target.targetName)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': ['G', 'Arn'] }] }] }] }] });
  });

  test('every factory carries the device role', () => {
    const stack = envStack();
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
    const targets = [
      DeploymentTarget.fromThing(new iot.CfnThing(stack, 'T'), { deviceRole: role }),
      DeploymentTarget.fromThingName(stack, 'Core', { deviceRole: role }),
      DeploymentTarget.fromThingArn('arn:aws:iot:eu-west-1:123456789012:thing/Core', { deviceRole: role }),
      DeploymentTarget.fromThingGroup(new iot.CfnThingGroup(stack, 'G'), { deviceRole: role }),
      DeploymentTarget.fromThingGroupName(stack, 'Fleet', { deviceRole: role }),
      DeploymentTarget.fromThingGroupArn('arn:aws:iot:eu-west-1:123456789012:thinggroup/Fleet', { deviceRole: role }),
    ];
    expect(targets.map((t) => t.deviceRole)).toEqual(targets.map(() => role));
    expect(DeploymentTarget.fromThingGroupName(stack, 'Other').deviceRole).toBeUndefined();
  });

  test.each(['', 'has space', 'a/b', 'x'.repeat(129), 'ünïcode'])('fails when a thing name is %p', (name) => {
    const stack = envStack();
    expect(() => DeploymentTarget.fromThingName(stack, name)).toThrow(
      `thingName must be 1 to 128 characters of a-z, A-Z, 0-9, ':', '_' and '-', got '${name}': use the name exactly as IoT shows it`);
    expect(() => DeploymentTarget.fromThingGroupName(stack, name)).toThrow(
      `thingGroupName must be 1 to 128 characters of a-z, A-Z, 0-9, ':', '_' and '-', got '${name}': use the name exactly as IoT shows it`);
  });

  test('accepts a 128-character name', () => {
    expect(DeploymentTarget.fromThingGroupName(envStack(), 'x'.repeat(128)).targetName).toHaveLength(128);
  });

  test.each([
    ['fromThingArn', 'arn:aws:iot:us-east-1:123456789012:thinggroup/Fleet',
      "thingArn must look like arn:<partition>:iot:<region>:<account>:thing/<name>, got 'arn:aws:iot:us-east-1:123456789012:thinggroup/Fleet': this is a thing group ARN, use DeploymentTarget.fromThingGroupArn"],
    ['fromThingGroupArn', 'arn:aws:iot:us-east-1:123456789012:thing/Core',
      "thingGroupArn must look like arn:<partition>:iot:<region>:<account>:thinggroup/<name>, got 'arn:aws:iot:us-east-1:123456789012:thing/Core': this is a thing ARN, use DeploymentTarget.fromThingArn"],
    ['fromThingGroupArn', 'Fleet',
      "thingGroupArn must look like arn:<partition>:iot:<region>:<account>:thinggroup/<name>, got 'Fleet': copy the ARN from the IoT console or API"],
    ['fromThingArn', 'arn:aws:greengrass:us-east-1:123456789012:thing/Core',
      "thingArn must look like arn:<partition>:iot:<region>:<account>:thing/<name>, got 'arn:aws:greengrass:us-east-1:123456789012:thing/Core': copy the ARN from the IoT console or API"],
  ] as const)('fails when %s gets %p', (factory, arn, message) => {
    expect(() => DeploymentTarget[factory](arn)).toThrow(message);
  });
});

