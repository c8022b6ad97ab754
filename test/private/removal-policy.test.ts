import { App, CustomResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { applyOnDeletion, keptOrDeleted } from '../../src/private/removal-policy';

describe('keptOrDeleted', () => {
  test.each<[RemovalPolicy | undefined, RemovalPolicy, RemovalPolicy]>([
    [undefined, RemovalPolicy.RETAIN, RemovalPolicy.RETAIN],
    [undefined, RemovalPolicy.DESTROY, RemovalPolicy.DESTROY],
    [RemovalPolicy.DESTROY, RemovalPolicy.RETAIN, RemovalPolicy.DESTROY],
    [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.RETAIN],
  ])('%s with default %s is %s', (policy, fallback, expected) => {
    expect(keptOrDeleted('removalPolicy', policy, fallback, 'x')).toBe(expected);
  });

  test.each([RemovalPolicy.SNAPSHOT, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE])('fails when it is %s, naming the prop, the value and the default', (policy) => {
    expect(() => keptOrDeleted('removalPolicy', policy, RemovalPolicy.DESTROY, 'a membership'))
      .toThrow(`removalPolicy is ${policy}: a membership is either kept (RemovalPolicy.RETAIN) or deleted (RemovalPolicy.DESTROY, the default)`);
  });
});

describe('applyOnDeletion', () => {
  test.each<[RemovalPolicy, string]>([[RemovalPolicy.RETAIN, 'Retain'], [RemovalPolicy.DESTROY, 'Delete']])('%s sets the DeletionPolicy only: a replacement still deletes the old one', (policy, expected) => {
    const stack = new Stack(new App(), 'S');
    applyOnDeletion(new CustomResource(stack, 'R', { serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:f' }), policy);
    const [resource] = Object.values(Template.fromStack(stack).toJSON().Resources) as any[];
    expect(resource.DeletionPolicy).toBe(expected);
    expect(resource.UpdateReplacePolicy ?? 'Delete').toBe('Delete');
  });
});
