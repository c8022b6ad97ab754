import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// The README's opening example must keep working: it is extracted, compiled and run here.
const README = path.join(__dirname, '..', '..', 'README.md');

function quickstart(): string {
  const text = fs.readFileSync(README, 'utf8');
  const match = /## In 25 lines[\s\S]*?```ts\n([\s\S]*?)```/.exec(text);
  if (!match) throw new Error('README has no "In 25 lines" TypeScript example');
  return match[1];
}

describe('README', () => {
  test('the opening example is at most about 25 lines', () => {
    expect(quickstart().trim().split('\n').length).toBeLessThanOrEqual(32);
  });

  test('the opening example synthesizes a component and a deployment with rollout and abort settings', () => {
    const source = quickstart()
      .replace(/from 'cdk-greengrass-v2'/, `from ${JSON.stringify(path.join(__dirname, '..', '..', 'src'))}`)
      .replace(/'components\/hello'/, JSON.stringify(path.join(__dirname, '..', '..', 'examples', 'components', 'sensor-reader')))
      + '\nmodule.exports = { stack };\n';
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const mod = { exports: {} as any };
    new Function('require', 'module', 'exports', js)(require, mod, mod.exports);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Template } = require('aws-cdk-lib/assertions');
    const template = Template.fromStack(mod.exports.stack);
    template.resourceCountIs('AWS::GreengrassV2::ComponentVersion', 1);
    template.hasResourceProperties('AWS::GreengrassV2::Deployment', {
      IotJobConfiguration: {
        JobExecutionsRolloutConfig: { ExponentialRate: { BaseRatePerMinute: 5, IncrementFactor: 2 }, MaximumPerMinute: 100 },
        AbortConfig: { CriteriaList: [{ Action: 'CANCEL', FailureType: 'ALL', ThresholdPercentage: 5, MinNumberOfExecutedThings: 20 }] },
        TimeoutConfig: { InProgressTimeoutInMinutes: 30 },
      },
    });
  });
});
