import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import { lineOverheatDetector as exampleDetector, lineTelemetryInput as exampleInput } from '../../examples/line-telemetry-detector';
import { DetectorDiagram, DetectorModelDefinition, InputDefinition } from '../../src';

// The README's detector examples must run as a user of the npm package writes them: the "Detector models"
// snippets (a migrated model, the typed model saved as line-telemetry-detector.ts, the jest test that imports it)
// and the "Detector runtime" stack that imports the same module are extracted, type-checked against the
// package's entry point (as 'cdk-greengrass-v2'), then run.
const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
/** Where the snippets are placed (never written: the compiler host serves them), so that node_modules resolves. */
const DIR = path.join(ROOT, 'test', 'fidelity', 'readme-snippets');

function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

const blocks = (text: string, lang: string) => [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

/** The snippets, by the file a user saves them as. */
function snippets(): Record<string, string> {
  const models = blocks(section('Detector models'), 'ts');
  const pick = (from: string[], what: string, test: (b: string) => boolean) => {
    const found = from.filter(test);
    if (found.length !== 1) throw new Error(`README: expected one snippet that ${what}, found ${found.length}`);
    return found[0];
  };
  const files = {
    'migrated.ts': pick(models, 'reads motor.json with fromJson', (b) => b.includes("readFileSync('motor.json'")),
    'line-telemetry-detector.ts': pick(models, 'exports lineOverheatDetector', (b) => b.includes('export function lineOverheatDetector')),
    'line-telemetry-detector.test.ts': pick(models, 'is a jest test', (b) => /^test\(/m.test(b)),
    'runtime-stack.ts': pick(blocks(section('Detector runtime'), 'ts'), 'deploys the model', (b) => b.includes('new DetectorModel(')),
  };
  // Every snippet of "Detector models" is one of these: a new one must be added here.
  expect(models.length).toBe(3);
  return files;
}

/** Type-checks the snippets as files of one directory, 'cdk-greengrass-v2' being the package's entry point. */
function typeErrors(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['jest', 'node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    paths: { 'cdk-greengrass-v2': [path.join(ROOT, 'src', 'index.ts')] },
  };
  const host = ts.createCompilerHost(options);
  const virtual = new Map(Object.entries(files).map(([name, text]) => [path.join(DIR, name), text]));
  const { getSourceFile, fileExists, readFile, directoryExists } = host;
  host.directoryExists = (d) => d === DIR || (directoryExists?.call(host, d) ?? true);
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, v, onError, create) => (virtual.has(f)
    ? ts.createSourceFile(f, virtual.get(f)!, v, true)
    : getSourceFile.call(host, f, v, onError, create));
  const program = ts.createProgram([...virtual.keys()], options, host);
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && virtual.has(d.file.fileName))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${path.basename(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

/** Runs a snippet as a CommonJS module; `modules` answers its imports first. */
function run(source: string, modules: Record<string, unknown>, globals: Record<string, unknown> = {}): any {
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  const js = ts.transpileModule(source, { compilerOptions }).outputText;
  const mod = { exports: {} as any };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const req = (id: string) => (id in modules ? modules[id] : require(id));
  new Function('require', 'module', 'exports', ...Object.keys(globals), js)(req, mod, mod.exports, ...Object.values(globals));
  return mod.exports;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require('../../src');

describe('README: detector examples', () => {
  const files = snippets();

  test('they type-check as a user of the package writes them', () => {
    expect(typeErrors(files)).toEqual([]);
  }, 120_000);

  test('the migrated model reads the files the AWS CLI wrote', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-detectors-'));
    fs.writeFileSync(path.join(dir, 'pressure-input.json'), JSON.stringify(DESCRIBE_INPUT));
    fs.writeFileSync(path.join(dir, 'motor.json'), JSON.stringify(DESCRIBE_DETECTOR_MODEL));
    const inDir = { ...fs, readFileSync: (file: string, ...rest: any[]) => (fs.readFileSync as any)(path.resolve(dir, file), ...rest) };
    const out = run(`${files['migrated.ts']}\nmodule.exports = { pressure, motor };\n`, { 'cdk-greengrass-v2': pkg, 'fs': inDir });
    expect(out.pressure).toBeInstanceOf(InputDefinition);
    expect(out.motor).toBeInstanceOf(DetectorModelDefinition);
    const { detectorModelConfiguration, detectorModelDefinition } = DESCRIBE_DETECTOR_MODEL.detectorModel;
    expect(out.motor.toJson()).toEqual({ ...detectorModelConfiguration, detectorModelDefinition });
  });

  test('the typed model is the example app\'s, and the README\'s diagram is its diagram', () => {
    const typed = run(files['line-telemetry-detector.ts'], { 'cdk-greengrass-v2': pkg });
    expect(typed.lineTelemetryInput.toJson()).toEqual(exampleInput.toJson());
    expect(typed.lineOverheatDetector().toJson()).toEqual(exampleDetector().toJson());
    const [mermaid] = blocks(section('Detector models'), 'mermaid');
    expect(mermaid).toBe(DetectorDiagram.renderMermaid(typed.lineOverheatDetector(), { showEvents: false }));
  });

  test('the jest test passes against the typed model', () => {
    const typed = run(files['line-telemetry-detector.ts'], { 'cdk-greengrass-v2': pkg });
    const tests: Array<[string, () => void]> = [];
    run(files['line-telemetry-detector.test.ts'], { 'cdk-greengrass-v2': pkg, './line-telemetry-detector': typed }, {
      test: (name: string, fn: () => void) => tests.push([name, fn]),
      expect,
    });
    expect(tests.map(([name]) => name)).toEqual(['three hot readings raise one alert; a silent sensor goes Silent']);
    tests[0][1]();
  });

  test('the runtime stack synthesizes the model, its input and its feeders', () => {
    const typed = run(files['line-telemetry-detector.ts'], { 'cdk-greengrass-v2': pkg });
    const { stack } = run(`${files['runtime-stack.ts']}\nmodule.exports = { stack };\n`, { 'cdk-greengrass-v2': pkg, './line-telemetry-detector': typed });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::GreengrassV2DetectorModel', { DetectorModelName: 'line-1-overheat' });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [stack.getLogicalId(stack.node.findChild('Telemetry').node.defaultChild), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IoT::TopicRule', { TopicRulePayload: { Sql: "SELECT *, topic(3) AS deviceId FROM 'factory/line-1/+/readings'" } });
  }, 60_000);
});

/** `aws iotevents describe-input --input-name PressureInput`. */
const DESCRIBE_INPUT = {
  input: {
    inputConfiguration: { inputName: 'PressureInput', inputArn: 'arn:aws:iotevents:eu-west-1:123456789012:input/PressureInput', status: 'ACTIVE' },
    inputDefinition: { attributes: [{ jsonPath: 'sensorData.pressure' }, { jsonPath: 'motorid' }] },
  },
};

/** `aws iotevents describe-detector-model --detector-model-name motorDetectorModel`. */
const DESCRIBE_DETECTOR_MODEL = {
  detectorModel: {
    detectorModelConfiguration: { detectorModelName: 'motorDetectorModel', key: 'motorid', evaluationMethod: 'BATCH' },
    detectorModelDefinition: {
      initialStateName: 'Normal',
      states: [
        {
          stateName: 'Normal',
          onInput: { transitionEvents: [{ eventName: 'Overpressurized', condition: '$input.PressureInput.sensorData.pressure > 70', actions: [], nextState: 'Dangerous' }] },
        },
        {
          stateName: 'Dangerous',
          onInput: { transitionEvents: [{ eventName: 'BackToNormal', condition: '$input.PressureInput.sensorData.pressure <= 70', actions: [], nextState: 'Normal' }] },
        },
      ],
    },
  },
};
