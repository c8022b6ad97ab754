import { App, Stack } from 'aws-cdk-lib';
import * as semver from 'semver';
import { PublicComponent } from '../../src';
import { PUBLIC_COMPONENT_VERSIONS } from '../../src/component/private/component-public-catalog';

/** The highest catalogued version of `name` that satisfies `range`, computed independently of `PublicComponent.of`. */
function highestListed(name: string, range: string): string {
  const matching = PUBLIC_COMPONENT_VERSIONS[name].filter((v) => semver.satisfies(v, range));
  return matching.reduce((a, b) => (semver.gt(a, b) ? a : b));
}

const FACTORIES: Array<[string, (requirement?: string) => PublicComponent, string]> = [
  ['nucleus', PublicComponent.nucleus, 'aws.greengrass.Nucleus'],
  ['streamManager', PublicComponent.streamManager, 'aws.greengrass.StreamManager'],
  ['tokenExchangeService', PublicComponent.tokenExchangeService, 'aws.greengrass.TokenExchangeService'],
  ['secretManager', PublicComponent.secretManager, 'aws.greengrass.SecretManager'],
  ['logManager', PublicComponent.logManager, 'aws.greengrass.LogManager'],
  ['shadowManager', PublicComponent.shadowManager, 'aws.greengrass.ShadowManager'],
  ['cli', PublicComponent.cli, 'aws.greengrass.Cli'],
  ['dockerApplicationManager', PublicComponent.dockerApplicationManager, 'aws.greengrass.DockerApplicationManager'],
  ['clientDeviceAuth', PublicComponent.clientDeviceAuth, 'aws.greengrass.clientdevices.Auth'],
  ['moquetteBroker', PublicComponent.moquetteBroker, 'aws.greengrass.clientdevices.mqtt.Moquette'],
  ['emqxBroker', PublicComponent.emqxBroker, 'aws.greengrass.clientdevices.mqtt.EMQX'],
  ['mqttBridge', PublicComponent.mqttBridge, 'aws.greengrass.clientdevices.mqtt.Bridge'],
  ['ipDetector', PublicComponent.ipDetector, 'aws.greengrass.clientdevices.IPDetector'],
  ['systemsManagerAgent', PublicComponent.systemsManagerAgent, 'aws.greengrass.SystemsManagerAgent'],
  ['secureTunneling', PublicComponent.secureTunneling, 'aws.greengrass.SecureTunneling'],
];

describe('PublicComponent', () => {
  test.each(FACTORIES)('%s names its component and resolves to the highest catalogued version by default', (_n, factory, name) => {
    const c = factory();
    expect(c.componentName).toBe(name);
    expect(c.componentVersion).toBe(highestListed(name, '*'));
  });

  test.each(FACTORIES)('the catalog of %s is non-empty, valid semver, without duplicates', (_n, _factory, name) => {
    const listed = PUBLIC_COMPONENT_VERSIONS[name];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((v) => semver.valid(v) !== v)).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });

  test('every catalogued component has a factory', () => {
    expect(Object.keys(PUBLIC_COMPONENT_VERSIONS).sort()).toEqual(FACTORIES.map(([, , name]) => name).sort());
  });

  test.each([
    ['streamManager', '^2.1.0', PublicComponent.streamManager, 'aws.greengrass.StreamManager'],
    ['streamManager', '~2.0.0', PublicComponent.streamManager, 'aws.greengrass.StreamManager'],
    ['nucleus', '~2.12.0', PublicComponent.nucleus, 'aws.greengrass.Nucleus'],
    ['nucleus', '>=2.5.0 <2.6.0', PublicComponent.nucleus, 'aws.greengrass.Nucleus'],
    ['logManager', '~2.2.0', PublicComponent.logManager, 'aws.greengrass.LogManager'],
    ['secretManager', '~2.0.0', PublicComponent.secretManager, 'aws.greengrass.SecretManager'],
    ['shadowManager', '~2.2.0', PublicComponent.shadowManager, 'aws.greengrass.ShadowManager'],
    ['clientDeviceAuth', '~2.2.0', PublicComponent.clientDeviceAuth, 'aws.greengrass.clientdevices.Auth'],
    ['emqxBroker', '^1.0.0', PublicComponent.emqxBroker, 'aws.greengrass.clientdevices.mqtt.EMQX'],
    ['secureTunneling', '~1.0.0', PublicComponent.secureTunneling, 'aws.greengrass.SecureTunneling'],
  ])('%s(%s) resolves to the highest catalogued version in the range', (_n, range, factory, name) => {
    const resolved = factory(range).componentVersion;
    expect(resolved).toBe(highestListed(name, range));
    expect(semver.satisfies(resolved, range)).toBe(true);
  });

  test('streamManager(^2.1.0) resolves to the highest catalogued 2.x, past the 2.1 line', () => {
    const resolved = PublicComponent.streamManager('^2.1.0').componentVersion;
    expect(resolved).toBe(highestListed('aws.greengrass.StreamManager', '2.x'));
    expect(semver.gt(resolved, '2.1.99')).toBe(true);
  });

  test('a range above the 2.0 line never resolves to 2.0.x', () => {
    expect(semver.gte(PublicComponent.streamManager('^2.1.0').componentVersion, '2.1.0')).toBe(true);
    expect(PublicComponent.streamManager('~2.0.0').componentVersion).toMatch(/^2\.0\./);
  });

  test.each([
    ['aws.greengrass.Nucleus', '2.5.1'],
    ['aws.greengrass.clientdevices.Auth', '2.3.0'],
  ])('%s %s, no longer available, is not catalogued', (name, version) => {
    expect(PublicComponent.knownVersions(name)).not.toContain(version);
  });

  test('known versions are sorted lowest first', () => {
    const known = PublicComponent.knownVersions('aws.greengrass.Nucleus');
    expect(known).toEqual([...known].sort(semver.compare));
    expect(known[0]).toBe(PUBLIC_COMPONENT_VERSIONS['aws.greengrass.Nucleus'].reduce((a, b) => (semver.lt(a, b) ? a : b)));
  });

  test('an exact version is used as given, known or not', () => {
    expect(PublicComponent.logManager('2.3.99').componentVersion).toBe('2.3.99');
    expect(PublicComponent.streamManager('2.2.1').componentVersion).toBe('2.2.1');
    expect(PublicComponent.of('aws.greengrass.Future', '1.0.0').componentVersion).toBe('1.0.0');
  });

  test('public components need nothing from a deployment', () => {
    expect(PublicComponent.tokenExchangeService('2.0.3').bindToDeployment(new Stack(new App(), 'S'), {})).toEqual({});
  });

  test.each([
    ['the range matches no known version', () => PublicComponent.nucleus('^9.0.0'),
      /^no known version of 'aws.greengrass.Nucleus' satisfies '\^9.0.0' \(known: 2.0.3, .*\): pass an exact version to use one released after this library$/],
    ['the requirement is not a range', () => PublicComponent.nucleus('latest'),
      /^version requirement 'latest' of public component 'aws.greengrass.Nucleus' is not a semver range: use an exact version such as '2.1.0' or a range such as '\^2.1.0'$/],
    ['no version of the component is known and a range is given', () => PublicComponent.of('aws.greengrass.Future', '^1.0.0'),
      /^the library knows no released version of 'aws.greengrass.Future': pass an exact version, for example PublicComponent.of\('aws.greengrass.Future', '2.0.0'\)$/],
    ['the name is invalid', () => PublicComponent.of('aws greengrass'),
      /^public component name 'aws greengrass' is invalid/],
  ])('fails when %s', (_n, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('public component names', () => {
  test.each([':', '@', '^', '['])("fails when the name has '%s'", (c) => {
    expect(() => PublicComponent.of(`aws.greengrass${c}Custom`, '1.0.0')).toThrow(/public component name .* is invalid/);
  });
});
