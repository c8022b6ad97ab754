import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  Deployment, DeploymentCompletion, DeploymentDeletion, DeploymentTarget, DeploymentWaiter, OfflineDevices, SuccessThreshold,
} from '../../../src';

function stack(): Stack {
  return new Stack(new App(), 'S', { env: { account: '111122223333', region: 'eu-west-1' } });
}

function deploy(s: Stack, completion?: DeploymentCompletion, target = DeploymentTarget.fromThingGroupName(s, 'fleet')) {
  return new Deployment(s, 'D', { target, deploymentName: 'sensors', completion });
}

function policyActions(template: Template): Array<{ Action: any; Resource: any }> {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.entries(policies).filter(([id]) => id.startsWith('GreengrassV2DeploymentCompletionProvider')).map(([, p]) => p).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('DeploymentCompletion', () => {
  test('waitFor adds a waiter with explicit thresholds next to the deployment', () => {
    const s = stack();
    deploy(s, DeploymentCompletion.waitFor({
      timeout: Duration.minutes(20),
      successThreshold: SuccessThreshold.percentage(95),
      offlineDevices: OfflineDevices.EXCLUDE,
      failingDevicesToName: 2,
    }));
    Template.fromStack(s).hasResourceProperties('Custom::GreengrassV2DeploymentCompletion', {
      DeploymentId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^D'), 'DeploymentId'] },
      TargetArn: Match.anyValue(),
      Mode: 'WAIT',
      TimeoutSeconds: '1200',
      Threshold: 'PERCENTAGE',
      ThresholdValue: '95',
      OfflineDevices: 'EXCLUDE',
      FailingDevicesToName: '2',
      OnDelete: 'CANCEL',
      EmptyDeploymentName: 'sensors-removed',
    });
  });

  test.each([
    [SuccessThreshold.all(), 'ALL', '100'],
    [SuccessThreshold.count(7), 'COUNT', '7'],
    [SuccessThreshold.percentage(99.5), 'PERCENTAGE', '99.5'],
  ])('renders the success threshold %#', (threshold, kind, value) => {
    const s = stack();
    deploy(s, DeploymentCompletion.waitFor({ successThreshold: threshold }));
    Template.fromStack(s).hasResourceProperties('Custom::GreengrassV2DeploymentCompletion', { Threshold: kind, ThresholdValue: value, TimeoutSeconds: '1800' });
  });

  test('one provider serves every waiter of a stack, polling every 30 s', () => {
    const s = stack();
    deploy(s, DeploymentCompletion.waitFor());
    new Deployment(s, 'D2', { target: DeploymentTarget.fromThingGroupName(s, 'other'), completion: DeploymentCompletion.waitFor() });
    const t = Template.fromStack(s);
    t.resourceCountIs('Custom::GreengrassV2DeploymentCompletion', 2);
    t.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    expect(JSON.stringify(t.findResources('AWS::StepFunctions::StateMachine'))).toMatch(/IntervalSeconds[^0-9]+30[^0-9]/);
  });

  test('grants exact ARNs: the deployment, the region\'s jobs, and cancel on delete', () => {
    const s = stack();
    deploy(s, DeploymentCompletion.waitFor());
    const statements = policyActions(Template.fromStack(s));
    const find = (action: string) => statements.find((st) => [].concat(st.Action).includes(action as never));
    expect(JSON.stringify(find('greengrass:GetDeployment')!.Resource)).toMatch(/arn:.*:greengrass:eu-west-1:111122223333:deployments:/);
    expect(JSON.stringify(find('greengrass:CancelDeployment')!.Resource)).toMatch(/:deployments:/);
    expect(JSON.stringify(find('iot:DescribeJob')!.Resource)).toContain(':iot:eu-west-1:111122223333:job/*');
    expect(find('greengrass:CreateDeployment')).toBeUndefined();
    // The framework's state-machine logging aside, nothing is granted on '*'.
    expect(statements.filter((st) => st.Resource === '*' && /^(iot|greengrass):/.test([].concat(st.Action)[0]))).toEqual([]);
  });

  test.each([DeploymentDeletion.CANCEL, DeploymentDeletion.REMOVE_COMPONENTS])('each handler gets only what it calls (%s)', (onDelete) => {
    const s = stack();
    deploy(s, DeploymentCompletion.waitFor({ onDelete }));
    const template = Template.fromStack(s);
    const actionsOf = (role: string) => Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith(`GreengrassV2DeploymentCompletionProvider${role}RoleDefaultPolicy`))
      .flatMap(([, p]: [string, any]) => p.Properties.PolicyDocument.Statement)
      .flatMap((st: any) => [].concat(st.Action));
    const deletion = onDelete === DeploymentDeletion.CANCEL
      // Every dependent action of CancelDeployment in the Service Authorization Reference.
      ? ['greengrass:CancelDeployment', 'iot:CancelJob', 'iot:DeleteThingShadow', 'iot:DescribeJob', 'iot:DescribeThing', 'iot:DescribeThingGroup',
        'iot:GetThingShadow', 'iot:UpdateJob', 'iot:UpdateThingShadow'] : ['greengrass:ListDeployments', 'greengrass:CreateDeployment', 'iot:CreateJob'];
    // onEvent: GetDeployment and the deletion choice.
    expect(actionsOf('OnEvent')).toEqual(expect.arrayContaining(['greengrass:GetDeployment', ...deletion]));
    expect(actionsOf('OnEvent')).not.toContain('iot:ListJobExecutionsForJob');
    expect(actionsOf('OnEvent')).not.toContain('iot:DescribeJobExecution');
    // isComplete: reads the job and its executions, nothing else.
    expect([...new Set(actionsOf('IsComplete'))].sort()).toEqual(['iot:DescribeJob', 'iot:DescribeJobExecution', 'iot:ListJobExecutionsForJob']);
  });

  test('for a single thing, DescribeJobExecution is granted on that thing only', () => {
    const s = stack();
    deploy(s, DeploymentCompletion.waitFor(), DeploymentTarget.fromThingArn('arn:aws:iot:eu-west-1:111122223333:thing/core-1'));
    const statements = policyActions(Template.fromStack(s));
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'iot:DescribeJobExecution', Resource: 'arn:aws:iot:eu-west-1:111122223333:thing/core-1' }));
  });

  test('LEAVE retains the deployment; REMOVE_COMPONENTS may create the empty deployment', () => {
    const s1 = stack();
    deploy(s1, DeploymentCompletion.noWait({ onDelete: DeploymentDeletion.LEAVE }));
    const t1 = Template.fromStack(s1);
    t1.hasResource('AWS::GreengrassV2::Deployment', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    t1.hasResourceProperties('Custom::GreengrassV2DeploymentCompletion', { Mode: 'NO_WAIT', OnDelete: 'LEAVE' });
    expect(policyActions(t1).find((st) => [].concat(st.Action).includes('greengrass:CancelDeployment' as never))).toBeUndefined();

    const s2 = stack();
    deploy(s2, DeploymentCompletion.waitFor({ onDelete: DeploymentDeletion.REMOVE_COMPONENTS }));
    const t2 = Template.fromStack(s2);
    t2.hasResource('AWS::GreengrassV2::Deployment', { DeletionPolicy: Match.absent() });
    expect(policyActions(t2)).toContainEqual(expect.objectContaining({ Action: ['greengrass:ListDeployments', 'greengrass:CreateDeployment'], Resource: '*' }));
  });

  test('a DeploymentWaiter can watch an imported deployment', () => {
    const s = stack();
    const waiter = new DeploymentWaiter(s, 'W', {
      deploymentId: 'abc-123',
      deploymentName: 'legacy',
      target: DeploymentTarget.fromThingGroupName(s, 'old-fleet'),
      completion: DeploymentCompletion.waitFor({ successThreshold: SuccessThreshold.count(3) }),
    });
    expect(s.resolve(waiter.succeededDevices)['Fn::GetAtt'][1]).toBe('SucceededDevices');
    Template.fromStack(s).hasResourceProperties('Custom::GreengrassV2DeploymentCompletion', { DeploymentId: 'abc-123', Threshold: 'COUNT', ThresholdValue: '3' });
  });

  test.each([
    [() => DeploymentCompletion.waitFor({ timeout: Duration.minutes(60) }),
      'completion timeout must be from 1 to 55 minutes, got 1 hour: CloudFormation fails a custom resource after one hour; for longer rollouts wait for a count of devices instead of all of them'],
    [() => DeploymentCompletion.waitFor({ timeout: Duration.seconds(30) }), 'completion timeout must be from 1 to 55 minutes, got 30 seconds'],
    [() => DeploymentCompletion.waitFor({ failingDevicesToName: 6 }), 'failingDevicesToName must be an integer from 0 to 5, got 6'],
    [() => SuccessThreshold.percentage(0), 'successThreshold percentage must be more than 0 and at most 100 with at most two decimals, got 0: for example SuccessThreshold.percentage(95)'],
    [() => SuccessThreshold.percentage(99.999), 'successThreshold percentage must be more than 0 and at most 100 with at most two decimals, got 99.999'],
    [() => SuccessThreshold.count(2.5), 'successThreshold count must be an integer of at least 1, got 2.5: for example SuccessThreshold.count(10)'],
  ])('fails when the options are invalid %#', (make, message) => {
    expect(make).toThrow(message);
  });
});
