import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHandler, PreProvisioningHookEvent, readAllowList } from '../../../src/core-device/private/allow-list-hook.lambda';

function hook(serials: string[], maxSerialNumberLength = 121) {
  const lines: string[] = [];
  let loads = 0;
  const handler = createHandler({ loadAllowList: () => { loads++; return serials; }, maxSerialNumberLength, log: (l) => lines.push(l) });
  return { handler, lines, loads: () => loads };
}

const request = (parameters?: Record<string, unknown>): PreProvisioningHookEvent => ({
  claimCertificateId: 'c'.repeat(64),
  certificateId: 'd'.repeat(64),
  certificatePem: '-----BEGIN CERTIFICATE-----\nMIIfake\n-----END CERTIFICATE-----',
  templateArn: 'arn:aws:iot:eu-west-1:111111111111:provisioningtemplate/line-2-devices',
  clientId: '221a6d10-9c7f-42f1-9153-e52e6fc869c1',
  parameters,
});

describe('built-in pre-provisioning hook', () => {
  test('allows a listed serial number and logs the decision without the certificate', async () => {
    const { handler, lines } = hook(['SN0001', 'SN0002']);
    await expect(handler(request({ SerialNumber: 'SN0002' }))).resolves.toEqual({ allowProvisioning: true });
    expect(lines.map((l) => JSON.parse(l))).toEqual([{
      level: 'info',
      handler: 'allow-list-hook',
      message: 'provisioning allowed',
      serialNumber: 'SN0002',
      clientId: '221a6d10-9c7f-42f1-9153-e52e6fc869c1',
      claimCertificateId: 'c'.repeat(64),
    }]);
    expect(lines.join('')).not.toContain('BEGIN CERTIFICATE');
  });

  test.each<[string, Record<string, unknown> | undefined, string]>([
    ['an unknown serial number', { SerialNumber: 'SN9999' }, 'serial number is not in the allow-list'],
    ['a serial number that differs in case', { SerialNumber: 'sn0001' }, 'serial number is not in the allow-list'],
    ['no parameters', undefined, 'template parameter SerialNumber is missing or not a string'],
    ['another parameter only', { ThingName: 'SN0001' }, 'template parameter SerialNumber is missing or not a string'],
    ['a number', { SerialNumber: 1 }, 'template parameter SerialNumber is missing or not a string'],
    ['an empty serial number', { SerialNumber: '' }, 'serial number is not 1 to 121 characters of [a-zA-Z0-9:_-]'],
    ['characters thing names refuse', { SerialNumber: 'SN0001/../x' }, 'serial number is not 1 to 121 characters of [a-zA-Z0-9:_-]'],
    ['a serial number too long for the prefix', { SerialNumber: 'x'.repeat(122) }, 'serial number is not 1 to 121 characters of [a-zA-Z0-9:_-]'],
  ])('refuses %s', async (_name, parameters, reason) => {
    const { handler, lines } = hook(['SN0001', 'x'.repeat(122)]);
    await expect(handler(request(parameters))).resolves.toEqual({ allowProvisioning: false });
    const logged = JSON.parse(lines[0]);
    expect(logged.message).toBe('provisioning refused');
    expect(logged.reason).toBe(reason);
  });

  test('reads the allow-list once per container', async () => {
    const { handler, loads } = hook(['SN0001']);
    await handler(request({ SerialNumber: 'SN0001' }));
    await handler(request({ SerialNumber: 'SN0002' }));
    expect(loads()).toBe(1);
  });

  test('readAllowList reads the JSON array of the layer, and fails on anything else', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allow-list-test-'));
    const file = path.join(dir, 'allowed-serial-numbers.json');
    fs.writeFileSync(file, JSON.stringify(['SN0001', 'SN0002']));
    expect(readAllowList(file)).toEqual(['SN0001', 'SN0002']);
    fs.writeFileSync(file, JSON.stringify({ SN0001: true }));
    expect(() => readAllowList(file)).toThrow(`${file} is not a JSON array of serial numbers`);
  });
});

describe('built-in pre-provisioning hook, as deployed', () => {
  test('the exported handler reads the list and the length limit from the environment the fleet sets', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allow-list-env-'));
    const file = path.join(dir, 'allowed-serial-numbers.json');
    fs.writeFileSync(file, JSON.stringify(['SN0001', 'SN00000002']));
    const saved = { ...process.env };
    process.env.ALLOW_LIST_PATH = file;
    process.env.MAX_SERIAL_NUMBER_LENGTH = '6';
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      let mod: typeof import('../../../src/core-device/private/allow-list-hook.lambda') | undefined;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => { mod = require('../../../src/core-device/private/allow-list-hook.lambda'); });
      await expect(mod!.handler(request({ SerialNumber: 'SN0001' }))).resolves.toEqual({ allowProvisioning: true });
      // Listed, but longer than the limit: refused.
      await expect(mod!.handler(request({ SerialNumber: 'SN00000002' }))).resolves.toEqual({ allowProvisioning: false });
    } finally {
      log.mockRestore();
      process.env = saved;
    }
  });
});
