import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  AssociateServiceRoleToAccountCommand, DisassociateServiceRoleFromAccountCommand, GetServiceRoleForAccountCommand, GreengrassV2Client,
} from '@aws-sdk/client-greengrassv2';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../../src/custom-resources/service-role/service-role.lambda';
import { handlerLogs } from '../../handler-logs';
import { awsError, createEvent, deleteEvent, expectShortReason, failure, mockStack, noSleep, updateEvent } from '../events';

const gg = mockClient(GreengrassV2Client);
const cfn = mockClient(CloudFormationClient);
const ROLE = 'arn:aws:iam::111111111111:role/GreengrassServiceRole';
const OTHER = 'arn:aws:iam::111111111111:role/SomeoneElse';
const onEvent = createHandler(noSleep);
beforeEach(() => {
  gg.reset();
  cfn.reset();
  mockStack(cfn, 'Custom::Test');
});

const sent = () => gg.calls().map((c) => [c.args[0].constructor.name, c.args[0].input]);

test('create associates the role after throttling, honouring retryAfterSeconds', async () => {
  const sleeps: number[] = [];
  const handler = createHandler({ sleep: async (ms) => { sleeps.push(ms); }, random: () => 0 });
  gg.on(GetServiceRoleForAccountCommand).resolves({});
  gg.on(AssociateServiceRoleToAccountCommand)
    .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded', { retryAfterSeconds: 3 }))
    .resolves({ associatedAt: 'now' });
  const res = await handler(createEvent({ RoleArn: ROLE }));
  expect(res).toEqual({ PhysicalResourceId: ROLE, Data: { RoleArn: ROLE, PreviousRoleArn: '' } });
  expect(sleeps).toEqual([3000]);
  expect(sent()).toEqual([
    ['GetServiceRoleForAccountCommand', {}],
    ['AssociateServiceRoleToAccountCommand', { roleArn: ROLE }],
    ['AssociateServiceRoleToAccountCommand', { roleArn: ROLE }],
  ]);
});

test('a replayed create finds the role associated and sends nothing more', async () => {
  gg.on(GetServiceRoleForAccountCommand).resolves({ roleArn: ROLE });
  await onEvent(createEvent({ RoleArn: ROLE }));
  expect(gg.commandCalls(AssociateServiceRoleToAccountCommand)).toHaveLength(0);
});

test('fails with a short reason when throttling outlasts the retry budget', async () => {
  gg.on(GetServiceRoleForAccountCommand).resolves({});
  gg.on(AssociateServiceRoleToAccountCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
  const err = await failure(onEvent(createEvent({ RoleArn: ROLE })));
  expect(err.message).toBe('ThrottlingException: Rate exceeded');
  expect(gg.commandCalls(AssociateServiceRoleToAccountCommand)).toHaveLength(8);
  expectShortReason(err);
});

test('an update with unchanged properties sends nothing', async () => {
  const res = await onEvent(updateEvent({ RoleArn: ROLE }, { RoleArn: ROLE }, ROLE));
  expect(res).toEqual({ PhysicalResourceId: ROLE, Data: { RoleArn: ROLE, PreviousRoleArn: '' } });
  expect(gg.calls()).toHaveLength(0);
});

test('an update to another role associates it under a new physical id', async () => {
  gg.on(GetServiceRoleForAccountCommand).resolves({ roleArn: ROLE });
  gg.on(AssociateServiceRoleToAccountCommand).resolves({});
  const res = await onEvent(updateEvent({ RoleArn: OTHER }, { RoleArn: ROLE }, ROLE));
  expect(res.PhysicalResourceId).toBe(OTHER);
  expect(gg.commandCalls(AssociateServiceRoleToAccountCommand)[0].args[0].input).toEqual({ roleArn: OTHER });
});

test('delete disassociates when the associated role is still ours', async () => {
  gg.on(GetServiceRoleForAccountCommand).resolves({ roleArn: ROLE });
  gg.on(DisassociateServiceRoleFromAccountCommand).resolves({});
  await onEvent(deleteEvent({ RoleArn: ROLE }, ROLE));
  expect(sent()).toEqual([['GetServiceRoleForAccountCommand', {}], ['DisassociateServiceRoleFromAccountCommand', {}]]);
});

test.each([
  ['another role is associated', { roleArn: OTHER }],
  ['no role is associated', {}],
])('delete leaves the account alone when %s', async (_, current) => {
  gg.on(GetServiceRoleForAccountCommand).resolves(current);
  await onEvent(deleteEvent({ RoleArn: ROLE }, ROLE));
  expect(gg.commandCalls(DisassociateServiceRoleFromAccountCommand)).toHaveLength(0);
});

test('delete succeeds when the association is already gone (ResourceNotFound)', async () => {
  gg.on(GetServiceRoleForAccountCommand).rejects(awsError('ResourceNotFoundException'));
  await expect(onEvent(deleteEvent({ RoleArn: ROLE }, ROLE))).resolves.toEqual({ PhysicalResourceId: ROLE });
});

test('delete leaves the association when another association resource of the stack has the role (a moved or renamed construct)', async () => {
  gg.on(GetServiceRoleForAccountCommand).resolves({ roleArn: ROLE });
  mockStack(cfn, 'Custom::Test', [{ logicalId: 'Renamed', type: 'Custom::Test', physicalId: ROLE }]);
  await onEvent(deleteEvent({ RoleArn: ROLE }, `${ROLE}|${OTHER}`));
  expect(sent()).toEqual([['GetServiceRoleForAccountCommand', {}]]);
});

test('another association resource with another role does not keep the association', async () => {
  gg.on(GetServiceRoleForAccountCommand).resolves({ roleArn: ROLE });
  gg.on(DisassociateServiceRoleFromAccountCommand).resolves({});
  mockStack(cfn, 'Custom::Test', [{ logicalId: 'Other', type: 'Custom::Test', physicalId: `${OTHER}|${ROLE}` }]);
  await onEvent(deleteEvent({ RoleArn: ROLE }, ROLE));
  expect(sent()).toEqual([['GetServiceRoleForAccountCommand', {}], ['DisassociateServiceRoleFromAccountCommand', {}]]);
});

describe('an association made by someone else', () => {
  test('create fails naming the associated role and the opt-in, and associates nothing', async () => {
    gg.on(GetServiceRoleForAccountCommand).resolves({ roleArn: OTHER });
    const err = await failure(onEvent(createEvent({ RoleArn: ROLE })));
    expect(err.message).toBe(`the account already has the Greengrass service role ${OTHER} associated in this region: `
      + 'reuse it (GreengrassServiceRole({ role: iam.Role.fromRoleArn(...) })), or set replaceExistingAssociation: true to replace it (it is restored when this resource is deleted)');
    expect(sent()).toEqual([['GetServiceRoleForAccountCommand', {}]]);
  });

  test('an update that finds a foreign role associated fails too', async () => {
    gg.on(GetServiceRoleForAccountCommand).resolves({ roleArn: OTHER });
    await failure(onEvent(updateEvent({ RoleArn: ROLE, Extra: 'x' }, { RoleArn: ROLE }, ROLE)));
    expect(gg.commandCalls(AssociateServiceRoleToAccountCommand)).toHaveLength(0);
  });

  test('with ReplaceExisting the role is replaced and the previous one recorded in the physical id', async () => {
    gg.on(GetServiceRoleForAccountCommand).resolves({ roleArn: OTHER });
    gg.on(AssociateServiceRoleToAccountCommand).resolves({});
    const res = await onEvent(createEvent({ RoleArn: ROLE, ReplaceExisting: 'true' }));
    expect(res).toEqual({ PhysicalResourceId: `${ROLE}|${OTHER}`, Data: { RoleArn: ROLE, PreviousRoleArn: OTHER } });
    expect(sent()).toEqual([['GetServiceRoleForAccountCommand', {}], ['AssociateServiceRoleToAccountCommand', { roleArn: ROLE }]]);
  });

  test('delete restores the recorded previous role instead of disassociating', async () => {
    gg.on(GetServiceRoleForAccountCommand).resolves({ roleArn: ROLE });
    gg.on(AssociateServiceRoleToAccountCommand).resolves({});
    await onEvent(deleteEvent({ RoleArn: ROLE, ReplaceExisting: 'true' }, `${ROLE}|${OTHER}`));
    expect(sent()).toEqual([['GetServiceRoleForAccountCommand', {}], ['AssociateServiceRoleToAccountCommand', { roleArn: OTHER }]]);
  });

  test('delete disassociates, logging an error, when the previous role cannot be restored', async () => {
    gg.on(GetServiceRoleForAccountCommand).resolves({ roleArn: ROLE });
    gg.on(AssociateServiceRoleToAccountCommand).rejects(awsError('ValidationException', 'role does not exist'));
    gg.on(DisassociateServiceRoleFromAccountCommand).resolves({});
    await onEvent(deleteEvent({ RoleArn: ROLE }, `${ROLE}|${OTHER}`));
    expect(sent().map(([n]) => n)).toEqual(['GetServiceRoleForAccountCommand', 'AssociateServiceRoleToAccountCommand', 'DisassociateServiceRoleFromAccountCommand']);
    expect(handlerLogs('error').some((l) => l.line.includes(OTHER))).toBe(true);
  });

  test('an update to another role of ours keeps the recorded previous role', async () => {
    gg.on(GetServiceRoleForAccountCommand).resolves({ roleArn: ROLE });
    gg.on(AssociateServiceRoleToAccountCommand).resolves({});
    const res = await onEvent(updateEvent({ RoleArn: 'arn:aws:iam::111111111111:role/New' }, { RoleArn: ROLE }, `${ROLE}|${OTHER}`));
    expect(res.PhysicalResourceId).toBe(`arn:aws:iam::111111111111:role/New|${OTHER}`);
  });
});
