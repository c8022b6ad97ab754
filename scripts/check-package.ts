// Checks what goes into the npm package, so that no way of packing ships a package that fails in an app.
//
//   ts-node scripts/check-package.ts --tree            before packing (npm's prepack, so `npm pack` too):
//                                                      lib/ and .jsii are compiled, every handler is bundled
//   ts-node scripts/check-package.ts dist/js/x.tgz ... a tarball (the `package` task checks dist/js/*.tgz):
//                                                      every handler bundle is in, no lib/**/*.lambda.js,
//                                                      the bundled dependencies are in, one YAML parser only
//
// Prints one line per tarball (files, packed and unpacked size); exits 1 with the problems otherwise.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

/** An entry of a tarball: its path inside `package/` and its size in bytes. */
export interface TarEntry {
  readonly path: string;
  readonly size: number;
}

/** The handlers' sources (`src/**\/*.lambda.ts`), relative to `src/`, sorted. */
export function lambdaSources(srcDir = path.join(ROOT, 'src')): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.lambda.ts')) out.push(path.relative(srcDir, full).split(path.sep).join('/'));
    }
  };
  walk(srcDir);
  return out.sort();
}

/** The bundle projen's `bundle` task writes for a handler source: `assets/<dir>/<name>.lambda/index.js`. */
export function bundleOf(lambdaSource: string): string {
  return `assets/${lambdaSource.replace(/\.ts$/, '')}/index.js`;
}

/** Problems of the working tree before packing: empty when `lib/`, `.jsii` and every bundle are there. */
export function treeProblems(root: string, sources: string[]): string[] {
  const problems: string[] = [];
  for (const f of ['lib/index.js', '.jsii']) {
    if (!fs.existsSync(path.join(root, f))) problems.push(`${f} is missing: run npx projen compile before packing`);
  }
  for (const s of sources) {
    if (!fs.existsSync(path.join(root, bundleOf(s)))) problems.push(`${bundleOf(s)} (the bundle of src/${s}) is missing: run npx projen bundle`);
  }
  return problems;
}

/**
 * Problems of a tarball's entries (paths without the `package/` prefix): a missing handler bundle or
 * bundled dependency, a compiled handler under `lib/`, or other than one YAML parser among the bundled packages.
 */
export function tarballProblems(entries: TarEntry[], sources: string[], bundledDeps: string[]): string[] {
  const paths = new Set(entries.map((e) => e.path));
  const problems: string[] = [];
  for (const s of sources) {
    if (!paths.has(bundleOf(s))) problems.push(`${bundleOf(s)} (the bundle of src/${s}) is not in the package: an app using it fails with CannotFindAsset`);
  }
  const compiledHandlers = [...paths].filter((p) => /^lib\/.*\.lambda\.(js|d\.ts)$/.test(p));
  if (compiledHandlers.length > 0) {
    problems.push(`the package holds compiled handlers (${compiledHandlers.join(', ')}): they are bundled into assets/; exclude them in .projenrc.ts npmignore`);
  }
  const packages = bundledPackages(entries);
  for (const d of bundledDeps) {
    if (!packages.includes(d)) problems.push(`the bundled dependency ${d} is not in the package's node_modules/`);
  }
  const yamlParsers = packages.filter((p) => /yaml/i.test(p));
  if (yamlParsers.length !== 1) {
    problems.push(`the package bundles ${yamlParsers.length} YAML parsers (${yamlParsers.join(', ') || 'none'}): it must bundle exactly one`);
  }
  return problems;
}

/** The names of the packages under the tarball's `node_modules/` (any depth), sorted. */
export function bundledPackages(entries: TarEntry[]): string[] {
  const names = new Set<string>();
  for (const e of entries) {
    const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(e.path);
    if (m) names.add(m[1]);
  }
  return [...names].sort();
}

/** The entries of a gzipped tarball, read with `tar -tzvf` (GNU and BSD tar print the size in column 3 or 5). */
export function tarEntries(tarball: string): TarEntry[] {
  const listing = execFileSync('tar', ['-tzvf', tarball], { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  return listing.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('d')).map((line) => {
    const gnu = /^\S+\s+\S+\s+(\d+)\s+\S+\s+\S+\s+(.*)$/.exec(line);
    const bsd = /^\S+\s+\d+\s+\S+\s+\S+\s+(\d+)\s+\S+\s+\S+\s+\S+\s+(.*)$/.exec(line);
    const m = gnu ?? bsd;
    if (!m) throw new Error(`cannot read the tar listing line '${line}'`);
    return { path: m[2].replace(/^package\//, ''), size: Number(m[1]) };
  });
}

function main(args: string[]): number {
  const sources = lambdaSources();
  if (sources.length === 0) {
    console.error('no src/**/*.lambda.ts found: run this from the repository');
    return 1;
  }
  if (args[0] === '--tree') {
    const problems = treeProblems(ROOT, sources);
    for (const p of problems) console.error(`package check: ${p}`);
    return problems.length > 0 ? 1 : 0;
  }
  if (args.length === 0) {
    console.error('usage: check-package.ts --tree | <tarball.tgz>...');
    return 1;
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
  const bundledDeps: string[] = pkg.bundledDependencies ?? pkg.bundleDependencies ?? [];
  let failed = false;
  for (const tarball of args) {
    const entries = tarEntries(tarball);
    const problems = tarballProblems(entries, sources, bundledDeps);
    const unpacked = entries.reduce((sum, e) => sum + e.size, 0);
    console.log(`${path.basename(tarball)}: ${entries.length} files, ${(fs.statSync(tarball).size / 1024).toFixed(0)} kB packed, `
      + `${(unpacked / 1024).toFixed(0)} kB unpacked; ${sources.length} handler bundles; bundled packages: ${bundledPackages(entries).join(', ')}`);
    for (const p of problems) console.error(`package check: ${tarball}: ${p}`);
    failed ||= problems.length > 0;
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  process.exit(main(process.argv.slice(2)));
}
