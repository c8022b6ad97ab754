import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { claimThingName } from '../../src/private/thing-registry';

describe('claimThingName', () => {
  const env = { account: '111111111111', region: 'eu-west-1' };

  test('returns the construct that claimed the name first, in any stack of the app with the same account and region', () => {
    const app = new App();
    const a = new Construct(new Stack(app, 'A', { env }), 'Device');
    const b = new Construct(new Stack(app, 'B', { env }), 'Device');
    expect(claimThingName(a, 'gw-1')).toBeUndefined();
    expect(claimThingName(b, 'gw-1')).toBe(a);
    expect(claimThingName(b, 'gw-2')).toBeUndefined();
  });

  test('another account, region or app is another namespace', () => {
    const app = new App();
    const a = new Construct(new Stack(app, 'A', { env }), 'Device');
    expect(claimThingName(a, 'gw-1')).toBeUndefined();
    expect(claimThingName(new Construct(new Stack(app, 'B', { env: { ...env, region: 'us-east-1' } }), 'D'), 'gw-1')).toBeUndefined();
    expect(claimThingName(new Construct(new Stack(app, 'C', { env: { ...env, account: '222222222222' } }), 'D'), 'gw-1')).toBeUndefined();
    expect(claimThingName(new Construct(new Stack(new App(), 'A', { env }), 'Device'), 'gw-1')).toBeUndefined();
  });
});
