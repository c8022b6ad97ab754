import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DeleteCoreDeviceCommand, GreengrassV2Client } from '@aws-sdk/client-greengrassv2';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../../src/custom-resources/core-device-cleanup/core-device-cleanup.lambda';
import { awsError, createEvent, deleteEvent, mockStack, noSleep, updateEvent } from '../events';

const gg = mockClient(GreengrassV2Client);
const cfn = mockClient(CloudFormationClient);
const onEvent = createHandler(noSleep);
beforeEach(() => {
  gg.reset();
  cfn.reset();
  mockStack(cfn, 'Custom::Test');
});

const props = { CoreDeviceThingName: 'core-1' };

test('create and update send nothing', async () => {
  expect(await onEvent(createEvent(props))).toEqual({ PhysicalResourceId: 'core-1' });
  expect(await onEvent(updateEvent(props, props, 'core-1'))).toEqual({ PhysicalResourceId: 'core-1' });
  expect(gg.calls()).toHaveLength(0);
});

test('delete removes the core device, retrying a conflict', async () => {
  gg.on(DeleteCoreDeviceCommand).rejectsOnce(awsError('ConflictException', 'deployment in progress')).resolves({});
  await onEvent(deleteEvent(props, 'core-1'));
  expect(gg.commandCalls(DeleteCoreDeviceCommand).map((c) => c.args[0].input)).toEqual([
    { coreDeviceThingName: 'core-1' }, { coreDeviceThingName: 'core-1' },
  ]);
});

test('delete succeeds when the core device is already gone (ResourceNotFound)', async () => {
  gg.on(DeleteCoreDeviceCommand).rejects(awsError('ResourceNotFoundException'));
  await expect(onEvent(deleteEvent(props, 'core-1'))).resolves.toEqual({ PhysicalResourceId: 'core-1' });
});

test('delete leaves the core device when another cleanup resource of the stack covers it (a moved or renamed construct)', async () => {
  mockStack(cfn, 'Custom::Test', [{ logicalId: 'Renamed', type: 'Custom::Test', physicalId: 'core-1', status: 'UPDATE_COMPLETE' }]);
  await onEvent(deleteEvent(props, 'core-1'));
  expect(gg.commandCalls(DeleteCoreDeviceCommand)).toHaveLength(0);
});
