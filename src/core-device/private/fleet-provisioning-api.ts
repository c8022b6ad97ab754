/**
 * Names shared by the fleet-provisioning construct, its renderers and the built-in
 * pre-provisioning hook (one place, as `api.ts` does for the custom resources).
 */

/** The template parameter each device passes in its plugin configuration (`templateParameters`). */
export const SERIAL_NUMBER_PARAMETER = 'SerialNumber';

/** The parameter AWS IoT fills with the id of the certificate it created for the device. */
export const CERTIFICATE_ID_PARAMETER = 'AWS::IoT::Certificate::Id';

/** Characters AWS IoT allows in a thing name (CreateThing `thingName` pattern). */
export const THING_NAME_CHARS = /^[a-zA-Z0-9:_-]+$/;

/** Longest thing name AWS IoT accepts. */
export const THING_NAME_MAX_LENGTH = 128;

/** The payload version of pre-provisioning hooks (the only one AWS IoT documents). */
export const HOOK_PAYLOAD_VERSION = '2020-04-01';

/** File of the built-in hook's allow-list, in its Lambda layer (mounted under `/opt`). */
export const ALLOW_LIST_FILE_NAME = 'allowed-serial-numbers.json';

/** Environment variables of the built-in hook. */
export const HOOK_ENV_ALLOW_LIST_PATH = 'ALLOW_LIST_PATH';
export const HOOK_ENV_MAX_SERIAL_LENGTH = 'MAX_SERIAL_NUMBER_LENGTH';

/** The device-side placeholder the device replaces with its serial number before installing. */
export const SERIAL_NUMBER_PLACEHOLDER = 'REPLACE_WITH_SERIAL_NUMBER';
