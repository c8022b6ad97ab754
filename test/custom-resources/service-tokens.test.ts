import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CoreDevice, CoreDeviceCertificate, CoreDeviceFleet, PreProvisioningHook, ProvisionedCoreDeviceFleet } from '../../src/core-device';
import { GreengrassServiceRole } from '../../src/custom-resources/service-role';

/**
 * CloudFormation refuses to change a custom resource's ServiceToken ("Modifying service token is not
 * allowed"): a prop a user may change later must change neither the provider a custom resource uses
 * nor its logical id.
 */

interface Variant {
  readonly removalPolicy?: RemovalPolicy;
  readonly keyRecoveryWindow?: Duration;
  readonly rotation?: number;
  readonly replaceExistingAssociation?: boolean;
}

/** The same app, with the props users change later set from `v`. */
function app(v: Variant): Record<string, Record<string, unknown>> {
  const a = new App();
  const edge = new Stack(a, 'Edge', { env: { account: '111111111111', region: 'eu-west-1' } });
  const claims = new Stack(a, 'Claims', { env: { account: '111111111111', region: 'eu-west-1' } });
  const { removalPolicy, keyRecoveryWindow } = v;
  new CoreDevice(edge, 'Gateway', {
    thingName: 'gw-1',
    certificate: CoreDeviceCertificate.generated({ rotation: v.rotation }),
    clientDeviceThingNames: ['sensor-1'],
    connectivityInfo: [{ hostAddress: '10.0.0.5' }],
    thingGroupNames: ['line-1'],
    removeCoreDeviceOnDelete: true,
    removalPolicy,
    keyRecoveryWindow,
  });
  const fleet = new CoreDeviceFleet(edge, 'Fleet', { thingGroupName: 'line-2', thingNames: ['gw-2'], removalPolicy, keyRecoveryWindow });
  fleet.addCoreDevice('gw-3', { certificate: CoreDeviceCertificate.generated({ rotation: v.rotation }) });
  new GreengrassServiceRole(edge, 'ServiceRole', { replaceExistingAssociation: v.replaceExistingAssociation });
  new ProvisionedCoreDeviceFleet(claims, 'Line3', {
    thingGroupName: 'line-3',
    preProvisioningHook: PreProvisioningHook.allowSerialNumbers(['SN-1']),
    removalPolicy,
  });
  const tokens: Record<string, Record<string, unknown>> = {};
  for (const stack of [edge, claims]) {
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
    tokens[stack.stackName] = Object.fromEntries(Object.entries(resources)
      .filter(([, r]) => r.Properties?.ServiceToken !== undefined)
      .map(([id, r]) => [id, r.Properties.ServiceToken]));
  }
  return tokens;
}

describe('custom resources keep their logical id and ServiceToken when props change', () => {
  test('an app with every kind of core-device custom resource has some of each', () => {
    const tokens = app({});
    expect(Object.keys(tokens.Edge).length).toBeGreaterThanOrEqual(9);
    expect(Object.keys(tokens.Claims).length).toBeGreaterThanOrEqual(2);
  });

  test.each<[string, Variant, Variant]>([
    ['removalPolicy RETAIN -> DESTROY', { removalPolicy: RemovalPolicy.RETAIN }, { removalPolicy: RemovalPolicy.DESTROY, keyRecoveryWindow: Duration.days(7) }],
    ['removalPolicy DESTROY -> RETAIN (the default)', { removalPolicy: RemovalPolicy.DESTROY }, {}],
    ['rotation 0 -> 1', { rotation: 0 }, { rotation: 1 }],
    ['rotation 1 -> 2 with DESTROY', { rotation: 1, removalPolicy: RemovalPolicy.DESTROY }, { rotation: 2, removalPolicy: RemovalPolicy.DESTROY }],
    ['replaceExistingAssociation off -> on', {}, { replaceExistingAssociation: true }],
  ])('%s', (_, before, after) => {
    const a = app(before);
    const b = app(after);
    expect(b).toEqual(a);
  });
});
