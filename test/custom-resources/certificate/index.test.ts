import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lib from '../../../src';
import { GeneratedCertificate, GeneratedCertificateProps } from '../../../src';

function stack() {
  return new Stack(new App(), 'Edge', { env: { account: '111111111111', region: 'eu-west-1' } });
}

describe('GeneratedCertificate', () => {
  test('is exported from the package root with its props, as the README documents; its module helpers are not', () => {
    expect(lib.GeneratedCertificate).toBe(GeneratedCertificate);
    expect(Object.keys(lib)).not.toContain('identityRemovalPolicy');
    expect(Object.keys(lib)).not.toContain('deviceKeysKey');
  });

  test('a certificate attached to no thing: common name, secret prefix, retained by default', () => {
    const s = stack();
    const cert = new GeneratedCertificate(s, 'Claim', { secretNameBase: 'line-2-claim', commonName: 'line-2-claim' });
    const t = Template.fromStack(s);
    t.hasResource('Custom::GreengrassV2GeneratedCertificate', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        CommonName: 'line-2-claim',
        ThingName: Match.absent(),
        SecretNamePrefix: 'greengrass/line-2-claim/certificate-',
        Rotation: '0',
        RemovalPolicy: 'retain',
        KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GreengrassV2DeviceKeysKey'), 'Arn'] },
      },
    });
    expect(cert.removalPolicy).toBe(RemovalPolicy.RETAIN);
    const [certificateId] = Object.keys(t.findResources('Custom::GreengrassV2GeneratedCertificate'));
    expect(s.resolve(cert.certificateArn)).toEqual({ 'Fn::GetAtt': [certificateId, 'CertificateArn'] });
  });

  test('RETAIN and DESTROY use the same provider and logical id; only DESTROY depends on the destroy policy', () => {
    const tokens = (removalPolicy: RemovalPolicy) => {
      const s = stack();
      new GeneratedCertificate(s, 'Claim', { secretNameBase: 'c', commonName: 'c', removalPolicy });
      return Template.fromStack(s).findResources('Custom::GreengrassV2GeneratedCertificate');
    };
    const kept = tokens(RemovalPolicy.RETAIN);
    const destroyed = tokens(RemovalPolicy.DESTROY);
    expect(Object.keys(destroyed)).toEqual(Object.keys(kept));
    const [id] = Object.keys(kept);
    expect(destroyed[id].Properties.ServiceToken).toEqual(kept[id].Properties.ServiceToken);
    expect(kept[id].DependsOn).toBeUndefined();
    expect(destroyed[id].DependsOn).toEqual([expect.stringMatching(/^GreengrassV2CertificateProviderDestroyPolicy/)]);
  });

  test.each<[string, GeneratedCertificateProps, string]>([
    ['secretNameBase is missing', { commonName: 'c' },
      "secretNameBase is missing: a certificate attached to no thing (no thingName) needs it to name its secret, for example secretNameBase: 'line-2-claim'"],
    ['commonName is missing', { secretNameBase: 'c' },
      "commonName is missing: a certificate attached to no thing (no thingName) needs it for its subject, for example commonName: 'line-2-claim'"],
    ['secretNameBase has a slash', { secretNameBase: 'a/b', commonName: 'c' },
      "secretNameBase 'a/b' is invalid: it names the secret greengrass/<secretNameBase>/certificate-r<rotation>; use 1-128 characters of [A-Za-z0-9:_+=.@-]"],
    ['commonName is longer than 64 characters', { secretNameBase: 'c', commonName: 'x'.repeat(65) },
      'commonName is 65 characters: an X.509 subject\'s common name has 1 to 64'],
    ['keyRecoveryWindow is set without DESTROY', { secretNameBase: 'c', commonName: 'c', keyRecoveryWindow: Duration.days(7) },
      'keyRecoveryWindow is set but removalPolicy is RETAIN: the key secret is never deleted; set removalPolicy: RemovalPolicy.DESTROY or remove keyRecoveryWindow'],
  ])('fails when %s', (_, props, message) => {
    expect(() => new GeneratedCertificate(stack(), 'Claim', props)).toThrow(message);
  });
});
