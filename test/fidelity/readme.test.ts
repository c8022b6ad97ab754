import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// The README's opening example must keep working: it is extracted, compiled and run here.
const ROOT = path.join(__dirname, '..', '..');
const README = path.join(ROOT, 'README.md');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

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

  test('opens with the two set-up commands, installing with npm ci', () => {
    const text = fs.readFileSync(README, 'utf8');
    const block = /```sh\n([\s\S]*?)```/.exec(text)![1];
    expect(block.split('\n').filter((l) => l.trim() !== '').map((l) => l.replace(/\s+#.*$/, '').trim()))
      .toEqual(['npm ci && npx projen synth:example', 'npm ci && npx projen test']);
    expect(text.indexOf(block)).toBeLessThan(text.indexOf('\n## '));
  });

  test('the Install section gives the npm command, the supported ranges and every jsii package name', () => {
    const text = fs.readFileSync(README, 'utf8');
    const install = /\n## Install\n([\s\S]*?)\n## /.exec(text)![1];
    expect(install).toContain('npm install cdk-greengrass-v2 aws-cdk-lib constructs');
    expect(install).toContain(`\`${PKG.engines.node}\``);
    expect(install).toContain(`\`${PKG.peerDependencies['aws-cdk-lib']}\` (peer dependency)`);
    expect(install).toContain(`\`${PKG.peerDependencies.constructs}\` (peer dependency)`);
    const t = PKG.jsii.targets;
    for (const name of [
      `PyPI \`${t.python.distName}\``, `import ${t.python.module}`,
      `Maven \`${t.java.maven.groupId}:${t.java.maven.artifactId}\``, `package \`${t.java.package}\``,
      `NuGet \`${t.dotnet.packageId}\``, `namespace \`${t.dotnet.namespace}\``,
      `module \`${t.go.moduleName}\``, `package \`${t.go.moduleName}/${PKG.name.replace(/[^a-z0-9.]/gi, '').toLowerCase()}\``,
    ]) {
      expect(install).toContain(name);
    }
  });

  test('links work from the npm page: absolute, and those into the repository name a file that exists', () => {
    const text = fs.readFileSync(README, 'utf8').replace(/```[\s\S]*?```/g, '');
    const repo = (PKG.repository.url as string).replace(/^git\+/, '').replace(/\.git$/, '');
    const [owner, name] = new URL(repo).pathname.slice(1).split('/');
    const inRepo = [`${repo}/blob/main/`, `https://raw.githubusercontent.com/${owner}/${name}/main/`];
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThan(3);
    const problems: string[] = [];
    for (const target of targets) {
      if (target.startsWith('#')) continue;
      if (!/^https?:\/\//.test(target)) {
        problems.push(`${target}: a relative link is dead on the npm page; write ${inRepo[0]}${target.replace(/^\.\//, '')}`);
        continue;
      }
      const prefix = inRepo.find((p) => target.startsWith(p));
      if (prefix && !fs.existsSync(path.join(ROOT, target.slice(prefix.length).split('#')[0]))) {
        problems.push(`${target}: no such file in the repository`);
      }
    }
    expect(problems).toEqual([]);
  });
});

