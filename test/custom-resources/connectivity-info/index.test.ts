import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CoreDevice } from '../../../src/core-device';
import { ConnectivityInfo } from '../../../src/custom-resources/connectivity-info';

function stack() {
  return new Stack(new App(), 'Edge', { env: { account: '111111111111', region: 'eu-west-1' } });
}

describe('ConnectivityInfo', () => {
  test.each<[RemovalPolicy | undefined, string]>([
    [undefined, 'Delete'],
    [RemovalPolicy.RETAIN, 'Retain'],
  ])('removalPolicy %s: removing it empties the list, or leaves it (%s)', (removalPolicy, expected) => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1' });
    new ConnectivityInfo(s, 'Connectivity', { coreDevice: core, endpoints: [{ hostAddress: '10.0.0.5' }], removalPolicy });
    Template.fromStack(s).hasResource('Custom::GreengrassV2ConnectivityInfo', { DeletionPolicy: expected, UpdateReplacePolicy: 'Delete' });
  });

  test('fails when removalPolicy is SNAPSHOT', () => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1' });
    expect(() => new ConnectivityInfo(s, 'Connectivity', { coreDevice: core, endpoints: [{ hostAddress: '10.0.0.5' }], removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow('removalPolicy is snapshot: connectivity information is either kept (RemovalPolicy.RETAIN) or deleted (RemovalPolicy.DESTROY, the default)');
  });
});
