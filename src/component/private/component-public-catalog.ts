/**
 * Released versions of AWS-provided public components known to this library.
 *
 * Sources, newest dated 2026-07-08 (release notes of AWS IoT Greengrass Core v2.18.0):
 * - [changelog] the "Changelog" tables of the component pages of the AWS IoT Greengrass V2 developer guide, as
 *   published in the `awsdocs/aws-iot-greengrass-v2-developer-guide` repository (`doc_source/*-component.md`, last
 *   snapshot: nucleus 2.9.5, spring 2023);
 * - [release notes] the developer guide's "Release: AWS IoT Greengrass Core vX software update" pages (2023-2026);
 * - [history] the developer guide's document history ("<component> vX released" entries, up to 2026-04-16);
 * - [page] a note on the component's page in the developer guide;
 * - [github] the GitHub releases of the component's open-source repository (`aws-greengrass/*`);
 * - [deployment] a public CloudFormation/CDK deployment pinned to that version.
 * Patch versions released between two sources may be missing here. A version requirement resolves to the
 * highest version listed; any version released after 2026-07-08, or missing here, is used by giving it exactly
 * (`PublicComponent.of(name, '2.19.0')`): an exact version is never checked against this list.
 * Versions the developer guide marks as no longer available are left out (noted next to their component).
 */
export const PUBLIC_COMPONENT_VERSIONS: Record<string, string[]> = {
  // [changelog] 2.0.3-2.9.5 (2.5.1 is no longer available); [release notes] 2.10.2, 2.10.3, 2.11.2, 2.11.3,
  // 2.12.4, 2.12.5, 2.13.0, 2.15.0, 2.17.0, 2.18.0; [history] 2.15.1, 2.16.0, 2.16.1; [github] the CLI releases
  // "for Greengrass nucleus version" 2.11.1, 2.12.0-2.12.3; earlier catalog: 2.9.6, 2.10.0, 2.10.1, 2.11.0, 2.12.6,
  // 2.14.0-2.14.3.
  'aws.greengrass.Nucleus': [
    '2.0.3', '2.0.4', '2.0.5', '2.1.0', '2.2.0', '2.3.0', '2.4.0',
    '2.5.0', '2.5.2', '2.5.3', '2.5.4', '2.5.5', '2.5.6', '2.6.0', '2.7.0', '2.8.0', '2.8.1',
    '2.9.0', '2.9.1', '2.9.2', '2.9.3', '2.9.4', '2.9.5', '2.9.6', '2.10.0', '2.10.1', '2.10.2', '2.10.3',
    '2.11.0', '2.11.1', '2.11.2', '2.11.3', '2.12.0', '2.12.1', '2.12.2', '2.12.3', '2.12.4', '2.12.5', '2.12.6',
    '2.13.0', '2.14.0', '2.14.1', '2.14.2', '2.14.3', '2.15.0', '2.15.1', '2.16.0', '2.16.1', '2.17.0', '2.18.0',
  ],
  // [changelog] 2.0.3-2.9.5; [github] 2.11.1-2.12.6; [history] 2.16.0, 2.16.1, 2.17.0.
  'aws.greengrass.Cli': [
    '2.0.3', '2.0.4', '2.0.5', '2.1.0', '2.2.0', '2.3.0', '2.4.0',
    '2.5.0', '2.5.1', '2.5.2', '2.5.3', '2.5.4', '2.5.5', '2.5.6', '2.6.0', '2.7.0', '2.8.0', '2.8.1',
    '2.9.0', '2.9.1', '2.9.2', '2.9.3', '2.9.4', '2.9.5',
    '2.11.1', '2.11.2', '2.11.3', '2.12.0', '2.12.1', '2.12.2', '2.12.3', '2.12.4', '2.12.5', '2.12.6',
    '2.16.0', '2.16.1', '2.17.0',
  ],
  // [changelog] 2.0.7-2.1.3; [deployment] 2.1.12; [history] 2.3.0 (2026-04-16). The component page lists a
  // 2.2.x line whose patch versions no source here shows: give them exactly.
  'aws.greengrass.StreamManager': [
    '2.0.7', '2.0.8', '2.0.9', '2.0.10', '2.0.11', '2.0.12', '2.0.13', '2.0.14', '2.0.15',
    '2.1.0', '2.1.1', '2.1.2', '2.1.3', '2.1.12', '2.3.0',
  ],
  // [changelog] 2.0.4-2.1.4; [github] 2.1.5-2.1.8.
  'aws.greengrass.SecretManager': [
    '2.0.4', '2.0.5', '2.0.6', '2.0.7', '2.0.8', '2.0.9',
    '2.1.0', '2.1.1', '2.1.2', '2.1.3', '2.1.4', '2.1.5', '2.1.6', '2.1.7', '2.1.8',
  ],
  // [changelog] 2.0.3 (the only version).
  'aws.greengrass.TokenExchangeService': ['2.0.3'],
  // [changelog] 2.1.0-2.3.1 (the 2.0.x line has no listed patch versions); [page] 2.3.5; [history] 2.3.11.
  'aws.greengrass.LogManager': [
    '2.1.0', '2.1.1', '2.1.2', '2.1.3',
    '2.2.0', '2.2.1', '2.2.2', '2.2.3', '2.2.4', '2.2.5', '2.2.6', '2.2.7', '2.2.8',
    '2.3.0', '2.3.1', '2.3.5', '2.3.11',
  ],
  // [changelog] 2.0.0-2.3.1; [history] 2.3.12.
  'aws.greengrass.ShadowManager': [
    '2.0.0', '2.0.1', '2.0.2', '2.0.3', '2.0.4', '2.0.5', '2.0.6', '2.1.0', '2.1.1',
    '2.2.0', '2.2.1', '2.2.2', '2.2.3', '2.2.4', '2.3.0', '2.3.1', '2.3.12',
  ],
  // [changelog] 2.0.0-2.3.2 (2.3.0 is no longer available).
  'aws.greengrass.clientdevices.Auth': [
    '2.0.0', '2.0.1', '2.0.2', '2.0.3', '2.0.4', '2.1.0', '2.2.0', '2.2.1', '2.2.2', '2.2.3', '2.3.1', '2.3.2',
  ],
  // [changelog] 2.0.0-2.3.1.
  'aws.greengrass.clientdevices.mqtt.Moquette': ['2.0.0', '2.0.1', '2.0.2', '2.1.0', '2.2.0', '2.3.0', '2.3.1'],
  // [changelog] 1.0.0-1.2.1.
  'aws.greengrass.clientdevices.mqtt.EMQX': ['1.0.0', '1.0.1', '1.1.0', '1.2.0', '1.2.1'],
  // [changelog] 2.0.0-2.2.4.
  'aws.greengrass.clientdevices.mqtt.Bridge': [
    '2.0.0', '2.0.1', '2.1.0', '2.1.1', '2.2.0', '2.2.1', '2.2.2', '2.2.3', '2.2.4',
  ],
  // [changelog] 2.0.0-2.1.5. The component page lists a 2.2.x line whose patch versions no source here shows.
  'aws.greengrass.clientdevices.IPDetector': [
    '2.0.0', '2.0.1', '2.0.2', '2.1.0', '2.1.1', '2.1.2', '2.1.3', '2.1.4', '2.1.5',
  ],
  // [changelog] 2.0.0-2.0.8.
  'aws.greengrass.DockerApplicationManager': [
    '2.0.0', '2.0.1', '2.0.2', '2.0.3', '2.0.4', '2.0.5', '2.0.6', '2.0.7', '2.0.8',
  ],
  // [changelog] 1.0.0.
  'aws.greengrass.SystemsManagerAgent': ['1.0.0'],
  // [changelog] 1.0.0-1.0.13; [history] 1.1.3 (2025-05-16).
  'aws.greengrass.SecureTunneling': [
    '1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4', '1.0.5', '1.0.6', '1.0.7', '1.0.8', '1.0.9',
    '1.0.10', '1.0.11', '1.0.12', '1.0.13', '1.1.3',
  ],
};
