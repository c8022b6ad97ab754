import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetConnectivityInfoCommand, GreengrassV2Client, UpdateConnectivityInfoCommand } from '@aws-sdk/client-greengrassv2';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../../src/custom-resources/connectivity-info/connectivity-info.lambda';
import { awsError, createEvent, deleteEvent, mockStack, noSleep, updateEvent } from '../events';

const gg = mockClient(GreengrassV2Client);
const cfn = mockClient(CloudFormationClient);
const onEvent = createHandler(noSleep);
beforeEach(() => {
  gg.reset();
  cfn.reset();
  mockStack(cfn, 'Custom::Test');
});

const props = (host: string) => ({ ThingName: 'core-1', ConnectivityInfo: [{ Id: 'lan', HostAddress: host, PortNumber: '8883', Metadata: '' }] });
const api = (host: string) => [{ id: 'lan', hostAddress: host, portNumber: 8883 }];

test('create replaces the list, converting the port to a number', async () => {
  gg.on(GetConnectivityInfoCommand).resolves({ connectivityInfo: [] });
  gg.on(UpdateConnectivityInfoCommand).resolves({ version: '1' });
  expect(await onEvent(createEvent(props('10.0.0.5')))).toEqual({ PhysicalResourceId: 'core-1' });
  expect(gg.commandCalls(UpdateConnectivityInfoCommand)[0].args[0].input).toEqual({ thingName: 'core-1', connectivityInfo: api('10.0.0.5') });
});

test('a replayed create finds the list already set and sends no update', async () => {
  gg.on(GetConnectivityInfoCommand).resolves({ connectivityInfo: api('10.0.0.5') });
  await onEvent(createEvent(props('10.0.0.5')));
  expect(gg.commandCalls(UpdateConnectivityInfoCommand)).toHaveLength(0);
});

test('throttling on the update is retried', async () => {
  gg.on(GetConnectivityInfoCommand).resolves({});
  gg.on(UpdateConnectivityInfoCommand).rejectsOnce(awsError('ThrottlingException', 'slow', { retryAfterSeconds: 1 })).resolves({});
  await onEvent(createEvent(props('10.0.0.5')));
  expect(gg.commandCalls(UpdateConnectivityInfoCommand)).toHaveLength(2);
});

test('an update with unchanged properties sends nothing', async () => {
  await onEvent(updateEvent(props('a'), props('a'), 'core-1'));
  expect(gg.calls()).toHaveLength(0);
});

test('delete empties the list only when it is still ours', async () => {
  gg.on(GetConnectivityInfoCommand).resolves({ connectivityInfo: api('10.0.0.5') });
  gg.on(UpdateConnectivityInfoCommand).resolves({});
  await onEvent(deleteEvent(props('10.0.0.5'), 'core-1'));
  expect(gg.commandCalls(UpdateConnectivityInfoCommand)[0].args[0].input).toEqual({ thingName: 'core-1', connectivityInfo: [] });
});

test('delete leaves a list rewritten by the IP detector alone', async () => {
  gg.on(GetConnectivityInfoCommand).resolves({ connectivityInfo: api('192.168.1.9') });
  await onEvent(deleteEvent(props('10.0.0.5'), 'core-1'));
  expect(gg.commandCalls(UpdateConnectivityInfoCommand)).toHaveLength(0);
});

test('delete succeeds when the core device is gone (ResourceNotFound)', async () => {
  gg.on(GetConnectivityInfoCommand).rejects(awsError('ResourceNotFoundException'));
  await expect(onEvent(deleteEvent(props('a'), 'core-1'))).resolves.toEqual({ PhysicalResourceId: 'core-1' });
});

test('delete leaves the list when another resource of the stack now sets it (a moved or renamed construct)', async () => {
  gg.on(GetConnectivityInfoCommand).resolves({ connectivityInfo: api('10.0.0.5') });
  mockStack(cfn, 'Custom::Test', [{ logicalId: 'Renamed', type: 'Custom::Test', physicalId: 'core-1' }]);
  await onEvent(deleteEvent(props('10.0.0.5'), 'core-1'));
  expect(gg.commandCalls(UpdateConnectivityInfoCommand)).toHaveLength(0);
});

test('a resource of the same type for another core device, or one being deleted, does not keep the list', async () => {
  gg.on(GetConnectivityInfoCommand).resolves({ connectivityInfo: api('10.0.0.5') });
  gg.on(UpdateConnectivityInfoCommand).resolves({});
  mockStack(cfn, 'Custom::Test', [
    { logicalId: 'Other', type: 'Custom::Test', physicalId: 'core-2' },
    { logicalId: 'Gone', type: 'Custom::Test', physicalId: 'core-1', status: 'DELETE_IN_PROGRESS' },
    { logicalId: 'Failed', type: 'Custom::Test', physicalId: 'core-1', status: 'CREATE_FAILED' },
    { logicalId: 'NotOurs', type: 'Custom::Other', physicalId: 'core-1' },
  ]);
  await onEvent(deleteEvent(props('10.0.0.5'), 'core-1'));
  expect(gg.commandCalls(UpdateConnectivityInfoCommand).map((c) => c.args[0].input)).toEqual([{ thingName: 'core-1', connectivityInfo: [] }]);
});
