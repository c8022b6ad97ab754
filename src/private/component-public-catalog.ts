/**
 * Released versions of AWS-provided public components known to this library, from the changelogs of
 * the AWS IoT Greengrass V2 developer guide (component pages' changelog tables, release notes and the
 * document history; GitHub releases of the open-source components). The lists are not complete for
 * every component: a version requirement resolves to the highest version listed here, and an exact
 * version that is not listed is used as given, so newer releases are always usable.
 */
export const PUBLIC_COMPONENT_VERSIONS: Record<string, string[]> = {
  'aws.greengrass.Nucleus': [
    '2.0.0', '2.0.1', '2.0.2', '2.0.3', '2.0.4', '2.0.5', '2.1.0', '2.2.0', '2.3.0', '2.4.0',
    '2.5.0', '2.5.1', '2.5.2', '2.5.3', '2.5.4', '2.5.5', '2.5.6', '2.6.0', '2.7.0', '2.8.0', '2.8.1',
    '2.9.0', '2.9.1', '2.9.2', '2.9.3', '2.9.4', '2.9.5', '2.9.6', '2.10.0', '2.10.1', '2.10.2', '2.10.3',
    '2.11.0', '2.11.1', '2.11.2', '2.11.3', '2.12.0', '2.12.1', '2.12.2', '2.12.3', '2.12.4', '2.12.5', '2.12.6',
    '2.13.0', '2.14.0', '2.14.1', '2.14.2', '2.14.3', '2.15.0', '2.15.1', '2.16.0', '2.16.1',
  ],
  'aws.greengrass.Cli': [
    '2.11.1', '2.11.2', '2.11.3', '2.12.0', '2.12.1', '2.12.2', '2.12.3', '2.12.4', '2.12.5', '2.12.6',
    '2.16.0', '2.16.1',
  ],
  'aws.greengrass.StreamManager': ['2.0.7', '2.0.8', '2.0.9', '2.0.10', '2.0.11', '2.0.12', '2.0.13'],
  'aws.greengrass.SecretManager': ['2.0.9', '2.1.0', '2.1.1', '2.1.2', '2.1.3', '2.1.4', '2.1.5', '2.1.6', '2.1.7', '2.1.8'],
  'aws.greengrass.TokenExchangeService': ['2.0.3'],
  'aws.greengrass.LogManager': ['2.1.0', '2.1.1', '2.1.2', '2.1.3', '2.2.0', '2.2.1', '2.3.11'],
  'aws.greengrass.ShadowManager': ['2.0.0', '2.0.1', '2.0.2', '2.0.3', '2.0.4', '2.0.5', '2.3.12'],
  'aws.greengrass.clientdevices.Auth': ['2.0.0', '2.0.1', '2.0.2', '2.0.3', '2.0.4'],
  'aws.greengrass.clientdevices.mqtt.Moquette': ['2.0.0', '2.0.1', '2.0.2'],
  'aws.greengrass.clientdevices.mqtt.EMQX': ['1.0.0', '1.0.1', '1.1.0', '1.2.0', '1.2.1'],
  'aws.greengrass.clientdevices.mqtt.Bridge': ['2.0.0', '2.0.1', '2.1.0'],
  'aws.greengrass.clientdevices.IPDetector': ['2.0.0', '2.0.1', '2.0.2', '2.1.0', '2.1.1'],
  'aws.greengrass.DockerApplicationManager': ['2.0.0', '2.0.1', '2.0.2', '2.0.3', '2.0.4'],
};
