import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  BatchAssociateClientDeviceWithCoreDeviceCommand, BatchDisassociateClientDeviceFromCoreDeviceCommand, GreengrassV2Client,
} from '@aws-sdk/client-greengrassv2';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../../src/custom-resources/client-devices/client-devices.lambda';
import { awsError, createEvent, deleteEvent, expectShortReason, failure, mockStack, noSleep, updateEvent } from '../events';

const gg = mockClient(GreengrassV2Client);
const cfn = mockClient(CloudFormationClient);
const onEvent = createHandler(noSleep);
beforeEach(() => {
  gg.reset();
  cfn.reset();
  mockStack(cfn, 'Custom::Test');
});

const CORE = 'core-1';
const names = (n: number, prefix = 'sensor') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const props = (things: string[], core = CORE) => ({ CoreDeviceThingName: core, ClientDeviceThingNames: things });
const entriesOf = (c: any) => c.args[0].input.entries.map((e: { thingName: string }) => e.thingName);

test('create associates in chunks of at most 100', async () => {
  gg.on(BatchAssociateClientDeviceWithCoreDeviceCommand).resolves({ errorEntries: [] });
  const res = await onEvent(createEvent(props(names(250))));
  expect(res).toEqual({ PhysicalResourceId: CORE });
  const calls = gg.commandCalls(BatchAssociateClientDeviceWithCoreDeviceCommand);
  expect(calls.map((c) => c.args[0].input.entries!.length)).toEqual([100, 100, 50]);
  expect(calls[0].args[0].input.coreDeviceThingName).toBe(CORE);
  expect(calls.flatMap(entriesOf)).toEqual(names(250));
});

test('partial batch failure: only the failed, retryable entries are sent again', async () => {
  gg.on(BatchAssociateClientDeviceWithCoreDeviceCommand)
    .resolvesOnce({ errorEntries: [{ thingName: 'sensor-1', code: 'ThrottlingException', message: 'slow down' }] })
    .resolves({ errorEntries: [] });
  await onEvent(createEvent(props(names(3))));
  const calls = gg.commandCalls(BatchAssociateClientDeviceWithCoreDeviceCommand);
  expect(calls.map(entriesOf)).toEqual([['sensor-0', 'sensor-1', 'sensor-2'], ['sensor-1']]);
});

test('fails when entries fail with non-retryable codes, reporting them without retrying them', async () => {
  gg.on(BatchAssociateClientDeviceWithCoreDeviceCommand)
    .resolvesOnce({
      errorEntries: [
        { thingName: 'sensor-0', code: 'ResourceNotFoundException', message: 'no such thing' },
        { thingName: 'sensor-2', code: 'InternalServerException', message: 'oops' },
      ],
    })
    .resolves({ errorEntries: [] });
  const err = await failure(onEvent(createEvent(props(names(3)))));
  expect(err.message).toBe('1 of 3 client devices failed to associate with core device core-1: sensor-0 (ResourceNotFoundException: no such thing)');
  expect(gg.commandCalls(BatchAssociateClientDeviceWithCoreDeviceCommand).map(entriesOf)).toEqual([['sensor-0', 'sensor-1', 'sensor-2'], ['sensor-2']]);
  expectShortReason(err);
});

test('a failed create disassociates the devices it associated (no Delete follows a failed Create)', async () => {
  gg.on(BatchAssociateClientDeviceWithCoreDeviceCommand).resolves({
    errorEntries: [{ thingName: 'sensor-1', code: 'ValidationException', message: 'bad thing' }],
  });
  gg.on(BatchDisassociateClientDeviceFromCoreDeviceCommand).resolves({});
  const err = await failure(onEvent(createEvent(props(names(3)))));
  expect(err.message).toBe('1 of 3 client devices failed to associate with core device core-1: sensor-1 (ValidationException: bad thing)');
  expect(gg.commandCalls(BatchDisassociateClientDeviceFromCoreDeviceCommand).map((c) => c.args[0].input)).toEqual([
    { coreDeviceThingName: CORE, entries: [{ thingName: 'sensor-0' }, { thingName: 'sensor-2' }] },
  ]);
});

test('a create failing as a whole tries to disassociate every device it asked for (a failed cleanup is only logged) and reports the original error', async () => {
  gg.on(BatchAssociateClientDeviceWithCoreDeviceCommand)
    .resolvesOnce({})
    .rejects(awsError('AccessDeniedException', 'no'));
  gg.on(BatchDisassociateClientDeviceFromCoreDeviceCommand).rejects(awsError('AccessDeniedException', 'no either'));
  const err = await failure(onEvent(createEvent(props(names(150)))));
  expect(err.message).toBe('AccessDeniedException: no');
  expect(gg.commandCalls(BatchDisassociateClientDeviceFromCoreDeviceCommand).map((c) => c.args[0].input.entries!.length)).toEqual([100]);
});

test('fails with a short reason when retryable entries keep failing', async () => {
  gg.on(BatchAssociateClientDeviceWithCoreDeviceCommand).callsFake((input) => ({
    errorEntries: input.entries.map((e: { thingName: string }) => ({ thingName: e.thingName, code: 'ThrottlingException', message: 'm'.repeat(500) })),
  }));
  const err = await failure(onEvent(createEvent(props(names(150)))));
  expect(err.message.startsWith('150 of 150 client devices failed to associate with core device core-1: sensor-0 (ThrottlingException: mmm')).toBe(true);
  expect(gg.commandCalls(BatchAssociateClientDeviceWithCoreDeviceCommand)).toHaveLength(16); // 8 attempts x 2 chunks
  expectShortReason(err);
});

test('a throttled batch call is retried as a whole', async () => {
  gg.on(BatchAssociateClientDeviceWithCoreDeviceCommand)
    .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded', { retryAfterSeconds: 1 }))
    .resolves({});
  await onEvent(createEvent(props(['a'])));
  expect(gg.commandCalls(BatchAssociateClientDeviceWithCoreDeviceCommand)).toHaveLength(2);
});

test('an update associates added and disassociates removed devices', async () => {
  gg.on(BatchAssociateClientDeviceWithCoreDeviceCommand).resolves({});
  gg.on(BatchDisassociateClientDeviceFromCoreDeviceCommand).resolves({});
  const res = await onEvent(updateEvent(props(['a', 'c']), props(['a', 'b']), CORE));
  expect(res).toEqual({ PhysicalResourceId: CORE });
  expect(gg.commandCalls(BatchAssociateClientDeviceWithCoreDeviceCommand).map(entriesOf)).toEqual([['c']]);
  expect(gg.commandCalls(BatchDisassociateClientDeviceFromCoreDeviceCommand).map(entriesOf)).toEqual([['b']]);
});

test('a rollback update restores the previous list', async () => {
  gg.on(BatchAssociateClientDeviceWithCoreDeviceCommand).resolves({});
  gg.on(BatchDisassociateClientDeviceFromCoreDeviceCommand).resolves({});
  // The failed update went from [a, b] to [a, c]; the rollback sends the old properties back.
  await onEvent(updateEvent(props(['a', 'b']), props(['a', 'c']), CORE, 'req-rollback'));
  expect(gg.commandCalls(BatchAssociateClientDeviceWithCoreDeviceCommand).map(entriesOf)).toEqual([['b']]);
  expect(gg.commandCalls(BatchDisassociateClientDeviceFromCoreDeviceCommand).map(entriesOf)).toEqual([['c']]);
});

test('an update to another core device associates everything there under a new physical id', async () => {
  gg.on(BatchAssociateClientDeviceWithCoreDeviceCommand).resolves({});
  const res = await onEvent(updateEvent(props(['a'], 'core-2'), props(['a']), CORE));
  expect(res).toEqual({ PhysicalResourceId: 'core-2' });
  expect(gg.commandCalls(BatchAssociateClientDeviceWithCoreDeviceCommand)[0].args[0].input).toEqual({ coreDeviceThingName: 'core-2', entries: [{ thingName: 'a' }] });
  expect(gg.commandCalls(BatchDisassociateClientDeviceFromCoreDeviceCommand)).toHaveLength(0);
});

test('an update with unchanged properties sends nothing', async () => {
  await onEvent(updateEvent(props(['a']), props(['a']), CORE));
  expect(gg.calls()).toHaveLength(0);
});

test('a replayed create sends the same idempotent association', async () => {
  gg.on(BatchAssociateClientDeviceWithCoreDeviceCommand).resolves({});
  const event = createEvent(props(['a']));
  expect(await onEvent(event)).toEqual(await onEvent(event));
  expect(gg.commandCalls(BatchAssociateClientDeviceWithCoreDeviceCommand).map((c) => c.args[0].input)).toEqual([
    { coreDeviceThingName: CORE, entries: [{ thingName: 'a' }] },
    { coreDeviceThingName: CORE, entries: [{ thingName: 'a' }] },
  ]);
});

test('delete treats devices already gone as disassociated', async () => {
  gg.on(BatchDisassociateClientDeviceFromCoreDeviceCommand).resolves({
    errorEntries: [{ thingName: 'a', code: 'ResourceNotFoundException', message: 'gone' }],
  });
  await expect(onEvent(deleteEvent(props(['a', 'b']), CORE))).resolves.toEqual({ PhysicalResourceId: CORE });
  expect(gg.commandCalls(BatchDisassociateClientDeviceFromCoreDeviceCommand)).toHaveLength(1);
});

test('delete succeeds when the core device is gone (ResourceNotFound)', async () => {
  gg.on(BatchDisassociateClientDeviceFromCoreDeviceCommand).rejects(awsError('ResourceNotFoundException'));
  await expect(onEvent(deleteEvent(props(['a']), CORE))).resolves.toEqual({ PhysicalResourceId: CORE });
});

test('fails with a short reason on an oversized error message', async () => {
  gg.on(BatchAssociateClientDeviceWithCoreDeviceCommand).rejects(awsError('ValidationException', 'v'.repeat(100_000)));
  const err = await failure(onEvent(createEvent(props(['a']))));
  expect(err.message.startsWith('ValidationException: vvv')).toBe(true);
  expectShortReason(err);
});

describe('a moved or renamed association (CloudFormation creates the new resource, then deletes the old one)', () => {
  test('the old resource\'s delete disassociates only the devices the new one does not list', async () => {
    gg.on(BatchDisassociateClientDeviceFromCoreDeviceCommand).resolves({ errorEntries: [] });
    mockStack(cfn, 'Custom::Test', [
      { logicalId: 'Renamed', type: 'Custom::Test', physicalId: CORE, properties: { CoreDeviceThingName: CORE, ClientDeviceThingNames: ['sensor-0', { Ref: 'Sensor1' }] } },
      { logicalId: 'Sensor1', type: 'AWS::IoT::Thing', physicalId: 'sensor-1' },
      { logicalId: 'OtherCore', type: 'Custom::Test', physicalId: 'core-2', properties: { ClientDeviceThingNames: ['sensor-2'] } },
    ]);
    await onEvent(deleteEvent(props(names(3)), CORE));
    expect(gg.commandCalls(BatchDisassociateClientDeviceFromCoreDeviceCommand).map((c) => c.args[0].input)).toEqual([
      { coreDeviceThingName: CORE, entries: [{ thingName: 'sensor-2' }] },
    ]);
  });

  test('leaves every device when the other association lists one it cannot resolve', async () => {
    mockStack(cfn, 'Custom::Test', [{ logicalId: 'Renamed', type: 'Custom::Test', physicalId: CORE, properties: { ClientDeviceThingNames: { 'Fn::Split': [',', 'a,b'] } } }]);
    await onEvent(deleteEvent(props(names(2)), CORE));
    expect(gg.commandCalls(BatchDisassociateClientDeviceFromCoreDeviceCommand)).toHaveLength(0);
  });
});
