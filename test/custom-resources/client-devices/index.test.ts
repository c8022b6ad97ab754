import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CoreDevice } from '../../../src/core-device';
import { ClientDeviceAssociation } from '../../../src/custom-resources/client-devices';

function stack() {
  return new Stack(new App(), 'Edge', { env: { account: '111111111111', region: 'eu-west-1' } });
}

describe('ClientDeviceAssociation', () => {
  test.each<[RemovalPolicy | undefined, string]>([
    [undefined, 'Delete'],
    [RemovalPolicy.RETAIN, 'Retain'],
  ])('removalPolicy %s: removing it disassociates the client devices, or leaves them associated (%s)', (removalPolicy, expected) => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1' });
    new ClientDeviceAssociation(s, 'Clients', { coreDevice: core, clientDeviceThingNames: ['sensor-1'], removalPolicy });
    Template.fromStack(s).hasResource('Custom::GreengrassV2ClientDeviceAssociation', { DeletionPolicy: expected, UpdateReplacePolicy: 'Delete' });
  });

  test('fails when removalPolicy is SNAPSHOT', () => {
    const s = stack();
    const core = new CoreDevice(s, 'Core', { thingName: 'core-1' });
    expect(() => new ClientDeviceAssociation(s, 'Clients', { coreDevice: core, clientDeviceThingNames: ['sensor-1'], removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow('removalPolicy is snapshot: a client-device association is either kept (RemovalPolicy.RETAIN) or deleted (RemovalPolicy.DESTROY, the default)');
  });
});
