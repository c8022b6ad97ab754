import * as fs from 'fs';
import {
  ALLOW_LIST_FILE_NAME, HOOK_ENV_ALLOW_LIST_PATH, HOOK_ENV_MAX_SERIAL_LENGTH, SERIAL_NUMBER_PARAMETER, THING_NAME_CHARS,
} from './fleet-provisioning-api';

/**
 * The request AWS IoT sends a pre-provisioning hook (payload version 2020-04-01).
 * @see https://docs.aws.amazon.com/iot/latest/developerguide/pre-provisioning-hook.html
 */
export interface PreProvisioningHookEvent {
  readonly claimCertificateId?: string;
  readonly certificateId?: string;
  readonly certificatePem?: string;
  readonly templateArn?: string;
  readonly clientId?: string;
  readonly parameters?: Record<string, unknown>;
}

/** The answer: `allowProvisioning` false stops the registration. */
export interface PreProvisioningHookResponse {
  readonly allowProvisioning: boolean;
}

export interface AllowListHookDeps {
  /** The allowed serial numbers. */
  readonly loadAllowList: () => readonly string[];
  /** Longest serial number that still makes a valid thing name with the fleet's prefix. */
  readonly maxSerialNumberLength: number;
  /** Where decisions are logged (one JSON line each). */
  readonly log?: (line: string) => void;
}

/**
 * The built-in pre-provisioning hook: allows a registration only when the `SerialNumber` template
 * parameter is a string of thing-name characters, not longer than the fleet allows, and in the
 * allow-list; every other request (no parameter, another type, an unknown serial) is refused. The
 * decision is logged with the serial number, client id and claim certificate id (no certificate).
 */
export function createHandler(deps: AllowListHookDeps) {
  let allowed: ReadonlySet<string> | undefined;
  const log = deps.log ?? ((line: string) => console.log(line));
  return async (event: PreProvisioningHookEvent): Promise<PreProvisioningHookResponse> => {
    allowed ??= new Set(deps.loadAllowList());
    const serial = event.parameters?.[SERIAL_NUMBER_PARAMETER];
    let reason: string | undefined;
    if (typeof serial !== 'string') {
      reason = `template parameter ${SERIAL_NUMBER_PARAMETER} is missing or not a string`;
    } else if (serial.length === 0 || serial.length > deps.maxSerialNumberLength || !THING_NAME_CHARS.test(serial)) {
      reason = `serial number is not 1 to ${deps.maxSerialNumberLength} characters of [a-zA-Z0-9:_-]`;
    } else if (!allowed.has(serial)) {
      reason = 'serial number is not in the allow-list';
    }
    log(JSON.stringify({
      level: 'info',
      handler: 'allow-list-hook',
      message: reason ? 'provisioning refused' : 'provisioning allowed',
      ...(reason ? { reason } : {}),
      serialNumber: typeof serial === 'string' ? serial.slice(0, 256) : undefined,
      clientId: event.clientId,
      claimCertificateId: event.claimCertificateId,
    }));
    return { allowProvisioning: reason === undefined };
  };
}

/** Reads the allow-list file (a JSON array of strings) that the fleet's Lambda layer holds. */
export function readAllowList(file: string): string[] {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed) || parsed.some((s) => typeof s !== 'string')) {
    throw new Error(`${file} is not a JSON array of serial numbers`);
  }
  return parsed as string[];
}

export const handler = createHandler({
  loadAllowList: () => readAllowList(process.env[HOOK_ENV_ALLOW_LIST_PATH] ?? `/opt/${ALLOW_LIST_FILE_NAME}`),
  maxSerialNumberLength: Number(process.env[HOOK_ENV_MAX_SERIAL_LENGTH] ?? '128'),
});
