import { CloudFormationClient, GetTemplateCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { claimsOf, cloudFormationStackReader, isLive, otherOwners } from '../../src/private/stack-claims';
import { STACK_ID, deleteEvent, mockStack, noSleep } from '../custom-resources/events';

const cfn = mockClient(CloudFormationClient);
beforeEach(() => cfn.reset());

const event = { ...deleteEvent({ Things: ['a'] }, 'group-1'), ResourceType: 'Custom::Membership' };
const reader = () => cloudFormationStackReader(noSleep);
const things = (p: Record<string, unknown>, resolve: (v: unknown) => string | undefined) => (p.Things as unknown[]).map(resolve);

test.each([
  ['CREATE_COMPLETE', true], ['UPDATE_COMPLETE', true], ['UPDATE_IN_PROGRESS', true], ['IMPORT_COMPLETE', true], ['UPDATE_ROLLBACK_COMPLETE', true],
  ['DELETE_IN_PROGRESS', false], ['DELETE_COMPLETE', false], ['DELETE_FAILED', false], ['CREATE_FAILED', false], ['CREATE_IN_PROGRESS', false],
])('a resource in %s is live: %s', (status, live) => {
  expect(isLive(status)).toBe(live);
});

test('the other owners: same type, same physical id, live, another logical id; every page is read', async () => {
  mockStack(cfn, 'Custom::Membership', [
    { logicalId: 'Renamed', type: 'Custom::Membership', physicalId: 'group-1' },
    { logicalId: 'OtherGroup', type: 'Custom::Membership', physicalId: 'group-2' },
    { logicalId: 'OtherType', type: 'Custom::Other', physicalId: 'group-1' },
    { logicalId: 'Deleting', type: 'Custom::Membership', physicalId: 'group-1', status: 'DELETE_IN_PROGRESS' },
  ]);
  const owners = await otherOwners(event, reader());
  expect(owners.map((o) => o.LogicalResourceId)).toEqual(['Renamed']);
  expect(cfn.commandCalls(ListStackResourcesCommand).map((c) => c.args[0].input)).toEqual([
    { StackName: STACK_ID, NextToken: undefined }, { StackName: STACK_ID, NextToken: 'page-2' },
  ]);
});

test('claims are resolved from the template: literals, Ref to a resource or a pseudo parameter, Fn::Join', async () => {
  mockStack(cfn, 'Custom::Membership', [
    {
      logicalId: 'Renamed',
      type: 'Custom::Membership',
      physicalId: 'group-1',
      properties: { Things: ['literal', { Ref: 'Thing' }, { 'Fn::Join': ['-', [{ Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, 'x']] }, { Ref: 'AWS::StackName' }] },
    },
    { logicalId: 'Thing', type: 'AWS::IoT::Thing', physicalId: 'thing-from-ref' },
  ]);
  const owners = await otherOwners(event, reader());
  expect(await claimsOf(event, reader(), owners, things)).toEqual(new Set(['literal', 'thing-from-ref', 'eu-west-1-111111111111-x', 'Edge']));
  expect(cfn.commandCalls(GetTemplateCommand).map((c) => c.args[0].input)).toEqual([{ StackName: STACK_ID, TemplateStage: 'Processed' }]);
});

test.each([
  ['an attribute', { 'Fn::GetAtt': ['Thing', 'Arn'] }],
  ['a parameter', { Ref: 'ThingNameParameter' }],
  ['a join with an attribute', { 'Fn::Join': ['', ['a', { 'Fn::GetAtt': ['X', 'Y'] }]] }],
])('a claim that cannot be resolved (%s) makes the claims unknown', async (_name, value) => {
  mockStack(cfn, 'Custom::Membership', [{ logicalId: 'Renamed', type: 'Custom::Membership', physicalId: 'group-1', properties: { Things: ['a', value] } }]);
  const owners = await otherOwners(event, reader());
  expect(await claimsOf(event, reader(), owners, things)).toBeUndefined();
});

test('with no other owner, nothing is claimed and the template is not read', async () => {
  mockStack(cfn, 'Custom::Membership');
  const owners = await otherOwners(event, reader());
  expect(await claimsOf(event, reader(), owners, things)).toEqual(new Set());
  expect(cfn.commandCalls(GetTemplateCommand)).toHaveLength(0);
});

test('a template that is not JSON makes the claims unknown', async () => {
  mockStack(cfn, 'Custom::Membership', [{ logicalId: 'Renamed', type: 'Custom::Membership', physicalId: 'group-1' }]);
  cfn.on(GetTemplateCommand).resolves({ TemplateBody: 'Resources:\n  Renamed: {}\n' });
  const owners = await otherOwners(event, reader());
  expect(await claimsOf(event, reader(), owners, things)).toBeUndefined();
});
