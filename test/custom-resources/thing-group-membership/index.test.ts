import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iot from 'aws-cdk-lib/aws-iot';
import { ThingGroupMembership } from '../../../src/custom-resources/thing-group-membership';

function stack() {
  return new Stack(new App(), 'Edge', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function synthError(s: Stack): string {
  try {
    Template.fromStack(s);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('ThingGroupMembership', () => {
  test('lists its things for the handler', () => {
    const s = stack();
    const m = new ThingGroupMembership(s, 'M', { thingGroupName: 'line-1', thingNames: ['a'] });
    m.addThing('b');
    m.addThing('a');
    Template.fromStack(s).hasResourceProperties('Custom::GreengrassV2ThingGroupMembership', { ThingGroupName: 'line-1', ThingNames: ['a', 'b'] });
  });

  test.each<[RemovalPolicy | undefined, string]>([
    [undefined, 'Delete'],
    [RemovalPolicy.DESTROY, 'Delete'],
    [RemovalPolicy.RETAIN, 'Retain'],
  ])('removalPolicy %s: removing it removes the things from the group, or leaves them (%s)', (removalPolicy, expected) => {
    const s = stack();
    new ThingGroupMembership(s, 'M', { thingGroupName: 'line-1', thingNames: ['a'], removalPolicy });
    Template.fromStack(s).hasResource('Custom::GreengrassV2ThingGroupMembership', { DeletionPolicy: expected, UpdateReplacePolicy: 'Delete' });
  });

  test('fails when removalPolicy is SNAPSHOT', () => {
    expect(() => new ThingGroupMembership(stack(), 'M', { thingGroupName: 'line-1', thingNames: ['a'], removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow('removalPolicy is snapshot: a thing group membership is either kept (RemovalPolicy.RETAIN) or deleted (RemovalPolicy.DESTROY, the default)');
  });

  test('fails when no thing is added, naming the group as written and addThing()', () => {
    const s = stack();
    new ThingGroupMembership(s, 'M', { thingGroupName: 'line-1' });
    expect(synthError(s)).toContain("ThingGroupMembership Edge/M of thing group 'line-1' has no thing: pass thingNames or call addThing()");
  });

  test('fails when no thing is added to a group named at deploy time, naming the group\'s construct instead of a token', () => {
    const s = stack();
    const group = new iot.CfnThingGroup(s, 'Group');
    new ThingGroupMembership(s, 'M', { thingGroupName: group.ref });
    const message = synthError(s);
    expect(message).toContain("ThingGroupMembership Edge/M of thing group of 'Edge/Group' (its name is known only at deploy time) has no thing: pass thingNames or call addThing()");
    expect(message).not.toContain('${Token[');
  });
});
