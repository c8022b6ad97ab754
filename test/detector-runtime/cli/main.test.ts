import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { loadDefinitionFiles } from '../../../src/detector-runtime/cli/load';
import { USAGE, main } from '../../../src/detector-runtime/cli/main';
import { THERMOSTAT, writeJsonFiles } from '../local-runtime';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('greengrass-detectors arguments', () => {
  test('--help prints the usage and exits 0', async () => {
    expect(await run('--help')).toEqual({ code: 0, out: USAGE, err: '' });
    expect(USAGE).toContain('POST /_simulator/advanceTime  {"seconds": <n>}');
  });

  test.each([
    [[], 'Usage: greengrass-detectors serve'],
    [['start'], 'unknown command \'start\'; the command is \'serve\''],
    [['serve', 'x.json'], '--port must be a TCP port from 0 to 65535, got nothing'],
    [['serve', '--port', '70000', 'x.json'], '--port must be a TCP port from 0 to 65535, got 70000'],
    [['serve', '--port', '0', '--clock', 'fast', 'x.json'], '--clock must be wall or manual, got fast'],
    [['serve', '--port', '0', '--max-requests-per-second', '0', 'x.json'], '--max-requests-per-second must be a number > 0, got 0'],
    [['serve', '--port', '0'], 'serve needs at least one file holding a detector model'],
    [['serve', '--port', '0', '--verbose', 'x.json'], 'Unknown option \'--verbose\''],
    [['serve', '--port', '', 'x.json'], '--port must be a TCP port from 0 to 65535, got \'\''],
    [['serve', '--port', '0x50', 'x.json'], '--port must be a TCP port from 0 to 65535, got 0x50'],
    [['serve', '--port', ' 8', 'x.json'], '--port must be a TCP port from 0 to 65535, got \' 8\''],
    [['serve', '--port', '8e3', 'x.json'], '--port must be a TCP port from 0 to 65535, got 8e3'],
  ])('fails with exit code 2: %j', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });

  test('fails with exit code 1 and one line naming a file that does not exist, or a folder', async () => {
    const missing = path.join(os.tmpdir(), 'no-such-detector-model.json');
    expect(await run('serve', '--port', '0', missing)).toEqual({
      code: 1, out: '', err: `greengrass-detectors: ${missing}: no such file; pass a JSON file holding a detector model or an input`,
    });
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'models-'));
    expect(await run('serve', '--port', '0', folder)).toEqual({
      code: 1, out: '', err: `greengrass-detectors: ${folder}: is a folder; pass a JSON file holding a detector model or an input`,
    });
  });

  test('fails with exit code 1 and one line naming the port when it is in use', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      expect(await run('serve', '--port', String(port), ...writeJsonFiles({ 'm.json': THERMOSTAT }))).toEqual({
        code: 1, out: '', err: `greengrass-detectors: port ${port} on 127.0.0.1 is in use; pick another --port (0 picks a free one)`,
      });
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  test('fails with exit code 1 naming a file that is not JSON', async () => {
    const [file] = writeJsonFiles({ 'a.json': {} });
    fs.writeFileSync(file, '{ nope');
    const result = await run('serve', '--port', '0', file);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(new RegExp(`^greengrass-detectors: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read it as JSON`));
  });
});

describe('the files serve reads', () => {
  const model = THERMOSTAT.detectorModel;
  const input = { inputName: 'TemperatureInput', inputDefinition: { attributes: [{ jsonPath: 'deviceId' }, { jsonPath: 'temperature' }] } };

  test('the fixtures\' { inputs, detectorModel } form', () => {
    const loaded = loadDefinitionFiles(writeJsonFiles({ 'm.json': THERMOSTAT }));
    expect(loaded.detectorModels.map((m) => m.detectorModelName)).toEqual(['Thermostat']);
    expect(loaded.inputs.map((i) => i.inputName)).toEqual(['TemperatureInput']);
  });

  test('a CreateDetectorModel request and a CreateInput request in separate files (any order)', () => {
    const loaded = loadDefinitionFiles(writeJsonFiles({ 'model.json': model, 'input.json': input }));
    expect(loaded.detectorModels.map((m) => m.detectorModelName)).toEqual(['Thermostat']);
    expect(loaded.inputs[0]._renderApi()).toEqual({ inputName: 'TemperatureInput', inputDefinition: { attributes: [{ jsonPath: 'deviceId' }, { jsonPath: 'temperature' }] } });
  });

  test('a CloudFormation template: its inputs and its detector model', () => {
    const definition = model.detectorModelDefinition;
    const template = {
      Resources: {
        In: { Type: 'AWS::IoTEvents::Input', Properties: { InputName: 'TemperatureInput', InputDefinition: { Attributes: [{ JsonPath: 'deviceId' }, { JsonPath: 'temperature' }] } } },
        Model: { Type: 'AWS::IoTEvents::DetectorModel', Properties: { DetectorModelName: 'FromTemplate', Key: 'deviceId', RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] }, DetectorModelDefinition: definition } },
      },
    };
    const loaded = loadDefinitionFiles(writeJsonFiles({ 'template.json': template }));
    expect(loaded.detectorModels.map((m) => m.detectorModelName)).toEqual(['FromTemplate']);
    expect(loaded.inputs.map((i) => i.inputName)).toEqual(['TemperatureInput']);
  });

  test('an array of definitions; the same input twice is kept once', () => {
    const loaded = loadDefinitionFiles(writeJsonFiles({ 'all.json': [input, model], 'again.json': input }));
    expect(loaded.inputs).toHaveLength(1);
    expect(loaded.detectorModels).toHaveLength(1);
  });

  test('fails when an input is given twice with different attributes', () => {
    const other = { inputName: 'TemperatureInput', attributes: ['deviceId'] };
    expect(() => loadDefinitionFiles(writeJsonFiles({ 'a.json': input, 'b.json': other })))
      .toThrow('input \'TemperatureInput\' is given twice with different attributes; give each input once');
  });

  test('fails when no file holds a detector model', () => {
    const files = writeJsonFiles({ 'input.json': input });
    expect(() => loadDefinitionFiles(files)).toThrow(`no detector model in ${files[0]}; pass at least one file holding a detector model`);
  });

  test('fails naming the file when the detector key is a near miss of the inputs\' attributes', () => {
    const [file] = writeJsonFiles({ 'typo.json': { ...THERMOSTAT, detectorModel: { ...model, key: 'deviceID' } } });
    expect(() => loadDefinitionFiles([file])).toThrow(`${file}: detector model 'Thermostat' key 'deviceID' is not an attribute, nor a path inside one, `
      + "of the input it reads (TemperatureInput: deviceId, temperature): did you mean 'deviceId'? every message would reach no detector");
  });

  test('serve exits 1 on that key, naming it', async () => {
    const [file] = writeJsonFiles({ 'typo.json': { ...THERMOSTAT, detectorModel: { ...model, key: 'deviceID' } } });
    const result = await run('serve', '--port', '0', file);
    expect(result.code).toBe(1);
    expect(result.err).toContain("key 'deviceID' is not an attribute, nor a path inside one, of the input it reads (TemperatureInput: deviceId, temperature): did you mean 'deviceId'?");
  });

  test('fails naming the file and the model\'s problem', () => {
    const broken = { ...model, detectorModelDefinition: { ...model.detectorModelDefinition, initialStateName: 'Nowhere' } };
    const [file] = writeJsonFiles({ 'broken.json': broken });
    expect(() => loadDefinitionFiles([file])).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*Nowhere`));
  });
});
