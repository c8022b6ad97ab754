import {
  CancelDeploymentCommand, CreateDeploymentCommand, GetDeploymentCommand, GreengrassV2Client, ListDeploymentsCommand,
} from '@aws-sdk/client-greengrassv2';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler as createIsCompleteHandler } from '../../../src/deployment/completion/completion-is-complete.lambda';
import { createHandler } from '../../../src/deployment/completion/completion-on-event.lambda';
import { handlerLogs } from '../../handler-logs';

const gg = mockClient(GreengrassV2Client);
const handler = createHandler({ sleep: async () => {}, now: () => 1_700_000_000_000 });

const props = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:x',
  DeploymentId: 'dep-1',
  TargetArn: 'arn:aws:iot:eu-west-1:111122223333:thinggroup/fleet',
  Mode: 'WAIT',
  TimeoutSeconds: '1800',
  Threshold: 'ALL',
  ThresholdValue: '100',
  OfflineDevices: 'WAIT',
  FailingDevicesToName: '3',
  OnDelete: 'CANCEL',
  EmptyDeploymentName: 'sensors-removed',
};
const base = { StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/S/1', RequestId: 'r-1', LogicalResourceId: 'Completion' };

beforeEach(() => {
  gg.reset();
});

describe('onEvent', () => {
  test('create reads the IoT job behind the deployment and starts the clock', async () => {
    gg.on(GetDeploymentCommand).resolves({ deploymentId: 'dep-1', iotJobId: 'job-1', iotJobArn: 'arn:aws:iot:eu-west-1:111122223333:job/job-1' });
    const res = await handler({ ...base, RequestType: 'Create', ResourceProperties: props });
    expect(gg.commandCalls(GetDeploymentCommand).map((c) => c.args[0].input)).toEqual([{ deploymentId: 'dep-1' }]);
    expect(res).toEqual({
      PhysicalResourceId: 'dep-1',
      Data: { IotJobId: 'job-1', IotJobArn: 'arn:aws:iot:eu-west-1:111122223333:job/job-1', StartedAt: '1700000000000', SucceededDevices: '' },
    });
  });

  test('backs off on throttling, honouring retryAfterSeconds', async () => {
    const sleeps: number[] = [];
    const h = createHandler({ sleep: async (ms) => { sleeps.push(ms); }, random: () => 0 });
    gg.on(GetDeploymentCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException', retryAfterSeconds: 4 }))
      .resolves({ iotJobId: 'job-1' });
    await h({ ...base, RequestType: 'Create', ResourceProperties: props });
    expect(sleeps).toEqual([4000]);
    expect(gg.commandCalls(GetDeploymentCommand)).toHaveLength(2);
  });

  test('an update that changes nothing calls nothing; NO_WAIT does not read the job; both still give SucceededDevices for Fn::GetAtt', async () => {
    const same = await handler({ ...base, RequestType: 'Update', PhysicalResourceId: 'dep-1', ResourceProperties: props, OldResourceProperties: { ...props, ServiceToken: 'other' } });
    expect(same).toEqual({ PhysicalResourceId: 'dep-1', Data: { SucceededDevices: '' } });
    const noWait = await handler({ ...base, RequestType: 'Create', ResourceProperties: { ...props, Mode: 'NO_WAIT' } });
    expect(noWait).toEqual({ PhysicalResourceId: 'dep-1', Data: { SucceededDevices: '' } });
    expect(gg.calls()).toHaveLength(0);
  });

  test('a replaced deployment gets a new physical id, so CloudFormation deletes the old one', async () => {
    gg.on(GetDeploymentCommand).resolves({ iotJobId: 'job-2' });
    const res = await handler({
      ...base, RequestType: 'Update', PhysicalResourceId: 'dep-1', ResourceProperties: { ...props, DeploymentId: 'dep-2' }, OldResourceProperties: props,
    });
    expect(res.PhysicalResourceId).toBe('dep-2');
  });

  test('a rollback to a superseded deployment does not wait for it, so the rollback cannot fail', async () => {
    // The failed update created dep-2, which superseded dep-1; the rollback updates the wait back to dep-1.
    gg.on(GetDeploymentCommand).resolves({ deploymentId: 'dep-1', deploymentStatus: 'INACTIVE', iotJobId: 'job-1' });
    const res = await handler({
      ...base, RequestType: 'Update', PhysicalResourceId: 'dep-2', ResourceProperties: props, OldResourceProperties: { ...props, DeploymentId: 'dep-2' },
    });
    expect(res).toEqual({ PhysicalResourceId: 'dep-1', Data: { SucceededDevices: '' } });
    expect(gg.commandCalls(GetDeploymentCommand).map((c) => c.args[0].input)).toEqual([{ deploymentId: 'dep-1' }]);
    // Without the job's ID, isComplete completes at once.
    const isComplete = createIsCompleteHandler({ sleep: async () => {} });
    await expect(isComplete({ ...base, RequestType: 'Update', PhysicalResourceId: 'dep-1', ResourceProperties: props, Data: res.Data }))
      .resolves.toEqual({ IsComplete: true });
  });

  test('fails with a short reason when the deployment has no job', async () => {
    gg.on(GetDeploymentCommand).resolves({ deploymentStatus: 'FAILED' });
    await expect(handler({ ...base, RequestType: 'Create', ResourceProperties: props }))
      .rejects.toThrow('deployment dep-1 has no IoT job (status FAILED): it was not rolled out');
  });
});

describe('onEvent delete', () => {
  const del = (overrides: Record<string, string>) => handler({
    ...base, RequestType: 'Delete', PhysicalResourceId: 'dep-1', ResourceProperties: { ...props, ...overrides },
  });

  test('CANCEL cancels the deployment', async () => {
    gg.on(CancelDeploymentCommand).resolves({ message: 'canceled' });
    await expect(del({})).resolves.toEqual({ PhysicalResourceId: 'dep-1' });
    expect(gg.commandCalls(CancelDeploymentCommand).map((c) => c.args[0].input)).toEqual([{ deploymentId: 'dep-1' }]);
  });

  const sent = () => gg.calls().map((c) => [c.args[0].constructor.name, c.args[0].input]);

  test.each([
    ['CANCEL', [['CancelDeploymentCommand', { deploymentId: 'dep-1' }]]],
    ['LEAVE', []],
    ['REMOVE_COMPONENTS', [
      ['ListDeploymentsCommand', { targetArn: props.TargetArn, historyFilter: 'LATEST_ONLY', maxResults: 1 }],
      ['CreateDeploymentCommand', { targetArn: props.TargetArn, deploymentName: 'sensors-removed', components: {}, clientToken: expect.stringMatching(/^[0-9a-f]{32}$/) }],
    ]],
  ])('%s sends exactly these commands', async (mode, commands) => {
    gg.on(ListDeploymentsCommand).resolves({ deployments: [{ deploymentId: 'dep-1' }] });
    gg.on(CreateDeploymentCommand).resolves({ deploymentId: 'dep-empty' });
    gg.on(CancelDeploymentCommand).resolves({});
    await expect(del({ OnDelete: mode })).resolves.toEqual({ PhysicalResourceId: 'dep-1' });
    expect(sent()).toEqual(commands);
  });

  test('CANCEL retries a throttled cancel', async () => {
    gg.on(CancelDeploymentCommand).rejectsOnce(Object.assign(new Error('slow'), { name: 'ThrottlingException' })).resolves({});
    await expect(del({})).resolves.toEqual({ PhysicalResourceId: 'dep-1' });
    expect(gg.commandCalls(CancelDeploymentCommand)).toHaveLength(2);
  });

  test.each([
    ['ListDeployments is denied', () => gg.on(ListDeploymentsCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }))],
    ['CreateDeployment fails', () => {
      gg.on(ListDeploymentsCommand).resolves({ deployments: [{ deploymentId: 'dep-1' }] });
      gg.on(CreateDeploymentCommand).rejects(Object.assign(new Error('bad'), { name: 'ValidationException' }));
    }],
    ['the target is gone', () => gg.on(ListDeploymentsCommand).rejects(Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' }))],
    ['Greengrass keeps throttling', () => gg.on(ListDeploymentsCommand).rejects(Object.assign(new Error('slow'), { name: 'ThrottlingException' }))],
  ])('REMOVE_COMPONENTS never blocks deletion when %s', async (_why, arrange) => {
    arrange();
    await expect(del({ OnDelete: 'REMOVE_COMPONENTS' })).resolves.toEqual({ PhysicalResourceId: 'dep-1' });
  });

  test('delete never blocks on properties it cannot read (an older version of the resource)', async () => {
    await expect(handler({ ...base, RequestType: 'Delete', PhysicalResourceId: 'dep-1', ResourceProperties: { DeploymentId: 'dep-1' } }))
      .resolves.toEqual({ PhysicalResourceId: 'dep-1' });
    expect(gg.calls()).toHaveLength(0);
  });

  test.each(['ConflictException', 'ResourceNotFoundException', 'AccessDeniedException'])('CANCEL never blocks deletion (%s)', async (name) => {
    gg.on(CancelDeploymentCommand).rejects(Object.assign(new Error('no'), { name }));
    await expect(del({})).resolves.toEqual({ PhysicalResourceId: 'dep-1' });
  });

  test('a failed cancel is logged at error level with the deployment and its IoT job id', async () => {
    gg.on(CancelDeploymentCommand).rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));
    gg.on(GetDeploymentCommand).resolves({ deploymentId: 'dep-1', iotJobId: 'job-123' });
    await expect(del({})).resolves.toEqual({ PhysicalResourceId: 'dep-1' });
    const entry = handlerLogs('error').map((l) => l.entry).find((l) => l.message.startsWith('cancel failed'));
    expect(entry).toMatchObject({ level: 'error', deploymentId: 'dep-1', iotJobId: 'job-123', error: 'AccessDeniedException' });
  });

  test.each(['ConflictException', 'ResourceNotFoundException'])('a deployment that cannot be canceled any more (%s) is not an error', async (name) => {
    gg.on(CancelDeploymentCommand).rejects(Object.assign(new Error('no'), { name }));
    await del({});
    expect(handlerLogs('error')).toEqual([]);
    expect(gg.commandCalls(GetDeploymentCommand)).toHaveLength(0);
  });

  test('LEAVE calls nothing', async () => {
    await del({ OnDelete: 'LEAVE' });
    expect(gg.calls()).toHaveLength(0);
  });

  test('REMOVE_COMPONENTS deploys an empty configuration to the target, idempotently', async () => {
    gg.on(ListDeploymentsCommand).resolves({ deployments: [{ deploymentId: 'dep-1' }] });
    gg.on(CreateDeploymentCommand).resolves({ deploymentId: 'dep-empty' });
    await del({ OnDelete: 'REMOVE_COMPONENTS' });
    await del({ OnDelete: 'REMOVE_COMPONENTS' });
    expect(gg.commandCalls(ListDeploymentsCommand)[0].args[0].input).toEqual({
      targetArn: 'arn:aws:iot:eu-west-1:111122223333:thinggroup/fleet', historyFilter: 'LATEST_ONLY', maxResults: 1,
    });
    const creates = gg.commandCalls(CreateDeploymentCommand).map((c) => c.args[0].input);
    expect(creates).toHaveLength(2);
    expect(creates[0]).toEqual({
      targetArn: 'arn:aws:iot:eu-west-1:111122223333:thinggroup/fleet',
      deploymentName: 'sensors-removed',
      components: {},
      clientToken: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    // The same request replayed sends the same client token: Greengrass creates one deployment.
    expect(creates[1].clientToken).toBe(creates[0].clientToken);
  });

  test('REMOVE_COMPONENTS leaves the target alone when a newer deployment replaced this one', async () => {
    gg.on(ListDeploymentsCommand).resolves({ deployments: [{ deploymentId: 'dep-2' }] });
    await del({ OnDelete: 'REMOVE_COMPONENTS' });
    expect(gg.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });
});
