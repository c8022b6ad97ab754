import { AddThingToThingGroupCommand, IoTClient, RemoveThingFromThingGroupCommand } from '@aws-sdk/client-iot';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../../src/custom-resources/thing-group-membership/thing-group-membership.lambda';
import { awsError, createEvent, deleteEvent, expectShortReason, failure, noSleep, updateEvent } from '../events';

const iot = mockClient(IoTClient);
const onEvent = createHandler(noSleep);
beforeEach(() => iot.reset());

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
