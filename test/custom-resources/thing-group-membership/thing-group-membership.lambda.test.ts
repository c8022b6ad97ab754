import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { AddThingToThingGroupCommand, IoTClient, RemoveThingFromThingGroupCommand } from '@aws-sdk/client-iot';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../../src/custom-resources/thing-group-membership/thing-group-membership.lambda';
import { awsError, createEvent, deleteEvent, expectShortReason, failure, mockStack, noSleep, updateEvent } from '../events';

const iot = mockClient(IoTClient);
const cfn = mockClient(CloudFormationClient);
const onEvent = createHandler(noSleep);
beforeEach(() => {
  iot.reset();
  cfn.reset();
  mockStack(cfn, 'Custom::Test');
});

const props = (things: string[], group = 'fleet') => ({ ThingGroupName: group, ThingNames: things });

test('create adds every thing, retrying IoT throttling', async () => {
  iot.on(AddThingToThingGroupCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves({});
  expect(await onEvent(createEvent(props(['a', 'b'])))).toEqual({ PhysicalResourceId: 'fleet' });
  expect(iot.commandCalls(AddThingToThingGroupCommand).map((c) => c.args[0].input)).toEqual([
    { thingGroupName: 'fleet', thingName: 'a' },
    { thingGroupName: 'fleet', thingName: 'a' },
    { thingGroupName: 'fleet', thingName: 'b' },
  ]);
});

test('an update adds new things and removes dropped ones', async () => {
  iot.on(AddThingToThingGroupCommand).resolves({});
  iot.on(RemoveThingFromThingGroupCommand).resolves({});
  await onEvent(updateEvent(props(['a', 'c']), props(['a', 'b']), 'fleet'));
  expect(iot.commandCalls(AddThingToThingGroupCommand).map((c) => c.args[0].input.thingName)).toEqual(['c']);
  expect(iot.commandCalls(RemoveThingFromThingGroupCommand).map((c) => c.args[0].input.thingName)).toEqual(['b']);
});

test('an update with unchanged properties sends nothing', async () => {
  await onEvent(updateEvent(props(['a']), props(['a']), 'fleet'));
  expect(iot.calls()).toHaveLength(0);
});

test('delete succeeds when the thing or group is already gone (ResourceNotFound)', async () => {
  iot.on(RemoveThingFromThingGroupCommand).rejects(awsError('ResourceNotFoundException'));
  await expect(onEvent(deleteEvent(props(['a', 'b']), 'fleet'))).resolves.toEqual({ PhysicalResourceId: 'fleet' });
  expect(iot.commandCalls(RemoveThingFromThingGroupCommand)).toHaveLength(2);
});

test('fails with a short reason when a non-retryable error occurs', async () => {
  iot.on(AddThingToThingGroupCommand).rejects(awsError('InvalidRequestException', 'bad\n'.repeat(10_000)));
  const err = await failure(onEvent(createEvent(props(['a']))));
  expect(iot.commandCalls(AddThingToThingGroupCommand)).toHaveLength(1);
  expectShortReason(err);
});

test('a failed create removes the things it added (no Delete follows a failed Create) and reports the error', async () => {
  iot.on(AddThingToThingGroupCommand, { thingName: 'a' }).resolves({});
  iot.on(AddThingToThingGroupCommand, { thingName: 'b' }).rejects(awsError('ResourceNotFoundException', 'thing b does not exist'));
  iot.on(RemoveThingFromThingGroupCommand).resolves({});
  const err = await failure(onEvent(createEvent(props(['a', 'b', 'c']))));
  expect(err.message).toBe('ResourceNotFoundException: thing b does not exist');
  expect(iot.commandCalls(AddThingToThingGroupCommand).map((c) => c.args[0].input.thingName)).toEqual(['a', 'b']);
  expect(iot.commandCalls(RemoveThingFromThingGroupCommand).map((c) => c.args[0].input)).toEqual([{ thingGroupName: 'fleet', thingName: 'a' }]);
});

describe('a moved or renamed membership (CloudFormation creates the new resource, then deletes the old one)', () => {
  test('the old resource\'s delete leaves the things the new one lists, and removes the others', async () => {
    iot.on(RemoveThingFromThingGroupCommand).resolves({});
    mockStack(cfn, 'Custom::Test', [
      { logicalId: 'Renamed', type: 'Custom::Test', physicalId: 'fleet', properties: { ThingGroupName: { Ref: 'Group' }, ThingNames: [{ Ref: 'ThingA' }, 'b'] } },
      { logicalId: 'ThingA', type: 'AWS::IoT::Thing', physicalId: 'a' },
      // a membership of another group, and one being deleted, claim nothing here
      { logicalId: 'Other', type: 'Custom::Test', physicalId: 'other-group', properties: { ThingGroupName: 'other-group', ThingNames: ['c'] } },
      { logicalId: 'Gone', type: 'Custom::Test', physicalId: 'fleet', status: 'DELETE_COMPLETE', properties: { ThingGroupName: 'fleet', ThingNames: ['c'] } },
    ]);
    await onEvent(deleteEvent(props(['a', 'b', 'c']), 'fleet'));
    expect(iot.commandCalls(RemoveThingFromThingGroupCommand).map((c) => c.args[0].input)).toEqual([{ thingGroupName: 'fleet', thingName: 'c' }]);
  });

  test('a rollback that deletes the new resource leaves what the old one (still live) lists', async () => {
    mockStack(cfn, 'Custom::Test', [{ logicalId: 'Old', type: 'Custom::Test', physicalId: 'fleet', status: 'UPDATE_COMPLETE', properties: { ThingNames: ['a'] } }]);
    await onEvent(deleteEvent(props(['a']), 'fleet'));
    expect(iot.commandCalls(RemoveThingFromThingGroupCommand)).toHaveLength(0);
  });

  test('leaves every thing when the other membership lists a thing it cannot resolve', async () => {
    mockStack(cfn, 'Custom::Test', [{ logicalId: 'Renamed', type: 'Custom::Test', physicalId: 'fleet', properties: { ThingNames: [{ 'Fn::GetAtt': ['X', 'Name'] }] } }]);
    await onEvent(deleteEvent(props(['a']), 'fleet'));
    expect(iot.commandCalls(RemoveThingFromThingGroupCommand)).toHaveLength(0);
  });
});
