import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bundleOf, bundledPackages, lambdaSources, tarballProblems, TarEntry, treeProblems } from '../../scripts/check-package';

const sources = lambdaSources();
const entries = (paths: string[]): TarEntry[] => paths.map((p) => ({ path: p, size: 1 }));
const good = [
  'package.json', '.jsii', 'lib/index.js', 'lib/custom-resources/certificate/certificate-function.js',
  ...sources.map(bundleOf),
  'node_modules/js-yaml/package.json', 'node_modules/argparse/package.json', 'node_modules/semver/package.json',
];

describe('the npm package check (scripts/check-package.ts)', () => {
  test('finds every handler and names its bundle as projen bundles it', () => {
    expect(sources.length).toBeGreaterThanOrEqual(9);
    expect(sources).toContain('custom-resources/certificate/certificate.lambda.ts');
    expect(bundleOf('custom-resources/certificate/certificate.lambda.ts')).toBe('assets/custom-resources/certificate/certificate.lambda/index.js');
  });

  test('passes a tarball with every bundle, no compiled handler and one YAML parser', () => {
    expect(tarballProblems(entries(good), sources, ['js-yaml', 'semver'])).toEqual([]);
  });

  test('fails a tarball without the handler bundles (npx projen compile && npx projen package before the fix)', () => {
    const problems = tarballProblems(entries(good.filter((p) => !p.startsWith('assets/'))), sources, ['js-yaml', 'semver']);
    expect(problems).toHaveLength(sources.length);
    expect(problems[0]).toMatch(/^assets\/.*\/index\.js \(the bundle of src\/.*\.lambda\.ts\) is not in the package: an app using it fails with CannotFindAsset$/);
  });

  test('fails a tarball with compiled handlers under lib/', () => {
    expect(tarballProblems(entries([...good, 'lib/deployment/completion/completion-on-event.lambda.js']), sources, [])).toEqual([
      'the package holds compiled handlers (lib/deployment/completion/completion-on-event.lambda.js): they are bundled into assets/; exclude them in .projenrc.ts npmignore',
    ]);
  });

  test('fails a tarball with two YAML parsers, or a missing bundled dependency', () => {
    expect(tarballProblems(entries([...good, 'node_modules/yaml/package.json']), sources, ['js-yaml'])).toEqual([
      'the package bundles 2 YAML parsers (js-yaml, yaml): it must bundle exactly one',
    ]);
    expect(tarballProblems(entries(good), sources, ['js-yaml', 'left-pad'])).toEqual([
      "the bundled dependency left-pad is not in the package's node_modules/",
    ]);
  });

  test('reads bundled package names at any depth, scoped ones included', () => {
    expect(bundledPackages(entries(['node_modules/a/package.json', 'node_modules/a/node_modules/@s/b/package.json', 'node_modules/a/lib/x.js'])))
      .toEqual(['@s/b', 'a']);
  });

  test('refuses to pack a tree without lib/, .jsii or a bundle', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-'));
    expect(treeProblems(root, ['x/y.lambda.ts'])).toEqual([
      'lib/index.js is missing: run npx projen compile before packing',
      '.jsii is missing: run npx projen compile before packing',
      'assets/x/y.lambda/index.js (the bundle of src/x/y.lambda.ts) is missing: run npx projen bundle',
    ]);
    fs.mkdirSync(path.join(root, 'lib'));
    fs.mkdirSync(path.join(root, 'assets', 'x', 'y.lambda'), { recursive: true });
    for (const f of ['lib/index.js', '.jsii', 'assets/x/y.lambda/index.js']) fs.writeFileSync(path.join(root, f), '');
    expect(treeProblems(root, ['x/y.lambda.ts'])).toEqual([]);
  });
});
