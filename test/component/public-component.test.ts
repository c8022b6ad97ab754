import { App, Stack } from 'aws-cdk-lib';
import { PublicComponent } from '../../src';

describe('PublicComponent', () => {
  test.each([
    ['nucleus', PublicComponent.nucleus, 'aws.greengrass.Nucleus'],
    ['streamManager', PublicComponent.streamManager, 'aws.greengrass.StreamManager'],
    ['secretManager', PublicComponent.secretManager, 'aws.greengrass.SecretManager'],
    ['cli', PublicComponent.cli, 'aws.greengrass.Cli'],
  ])('%s resolves to the highest known version by default', (_n, factory, name) => {
    const c = factory();
    const known = PublicComponent.knownVersions(name);
    expect(c.componentName).toBe(name);
    expect(c.componentVersion).toBe(known[known.length - 1]);
  });

  test('a range resolves to the highest matching known version', () => {
    expect(PublicComponent.nucleus('~2.12.0').componentVersion).toBe('2.12.6');
    expect(PublicComponent.nucleus('>=2.5.0 <2.6.0').componentVersion).toBe('2.5.6');
  });

  test('an exact version is used as given, known or not', () => {
    expect(PublicComponent.logManager('2.3.99').componentVersion).toBe('2.3.99');
    expect(PublicComponent.of('aws.greengrass.Future', '1.0.0').componentVersion).toBe('1.0.0');
  });

  test('public components need nothing from a deployment', () => {
    expect(PublicComponent.tokenExchangeService('2.0.3').bindToDeployment(new Stack(new App(), 'S'), {})).toEqual({});
  });

  test.each([
    ['the range matches no known version', () => PublicComponent.nucleus('^9.0.0'),
      /^no known version of 'aws.greengrass.Nucleus' satisfies '\^9.0.0' \(known: 2.0.0, .*\): pass an exact version to use one released after this library$/],
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
