// Prints the top self-time entries of a V8 CPU profile (`node --cpu-prof`), grouped by function, by
// file and by package, with the library's own share (files under src/ of this repository).
//
//   npx projen bench:profile            # profiles the synth bench's library side, then runs this
//   ts-node bench/profile-top.ts [file.cpuprofile | directory] [entries] [--under functionName]
//
// A directory means its newest .cpuprofile. With `--under`, only samples taken while a function of
// that name was on the stack count (the synth bench runs its measured rounds in `measuredRound`, so
// that module loading, ts-node's compilation and the warm-up are left out). Self time of a node is the sum of the sampling intervals
// that ended in it (`timeDeltas`), so the figures add up to the profile's duration.
import * as fs from 'fs';
import * as path from 'path';

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const ROOT = path.resolve(__dirname, '..');

function newestProfile(dir: string): string {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}: run \`npx projen bench:profile\` first`);
  return files[0];
}

/** A path relative to the repository, `node:` for Node.js internals, or the name V8 gives (GC, ...). */
function fileOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return `(${frame.functionName.replace(/^\(|\)$/g, '') || 'native'})`;
  if (url.startsWith('node:')) return url;
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const rel = path.relative(ROOT, file);
  return rel.startsWith('..') ? file : rel;
}

/** The npm package of a file (`aws-cdk-lib/core` for aws-cdk-lib's modules), `library` for src/. */
function packageOf(file: string): string {
  if (file.startsWith('src/')) return 'library (src/)';
  if (file.startsWith('bench/')) return 'bench';
  const at = file.lastIndexOf('node_modules/');
  if (at < 0) return file.startsWith('node:') ? 'node (internals)' : file;
  const parts = file.slice(at + 'node_modules/'.length).split('/');
  const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  if (name === 'aws-cdk-lib') return `aws-cdk-lib/${parts[1]}`;
  return name;
}

function table(title: string, totals: Map<string, number>, all: number, entries: number): void {
  console.log(`\n${title}`);
  const sorted = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, entries);
  for (const [name, us] of sorted) {
    console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / all).toFixed(1).padStart(5)}%  ${name}`);
  }
}

function main(): void {
  const args = [...process.argv.slice(2)];
  const underAt = args.indexOf('--under');
  const under = underAt >= 0 ? args.splice(underAt, 2)[1] : undefined;
  const arg = args[0] ?? path.join(ROOT, 'bench', 'out', 'profile');
  const entries = Number(args[1] ?? 15);
  const file = fs.statSync(arg).isDirectory() ? newestProfile(arg) : arg;
  const profile: Profile = JSON.parse(fs.readFileSync(file, 'utf-8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // the nodes with a frame of `under` on their stack (the profile's tree, walked from its root)
  const kept = new Set<number>();
  if (under !== undefined) {
    const isChild = new Set(profile.nodes.flatMap((n) => n.children ?? []));
    const stack = profile.nodes.filter((n) => !isChild.has(n.id)).map((n) => ({ id: n.id, inside: false }));
    while (stack.length > 0) {
      const { id, inside } = stack.pop()!;
      const node = byId.get(id)!;
      const now = inside || node.callFrame.functionName === under;
      if (now) kept.add(id);
      for (const c of node.children ?? []) stack.push({ id: c, inside: now });
    }
  }
  // V8 puts garbage collection and (program) samples at the root of the tree: with `under`, those
  // taken between the first and the last sample under it count too
  let first = Infinity;
  let last = -Infinity;
  if (under !== undefined) {
    for (let i = 0; i < profile.samples.length; i++) {
      if (kept.has(profile.samples[i])) {
        first = Math.min(first, i);
        last = i;
      }
    }
  }
  const rootLevel = new Set(['(garbage collector)', '(program)']);
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    if (under !== undefined && !kept.has(id)
      && !(i >= first && i <= last && rootLevel.has(byId.get(id)!.callFrame.functionName))) continue;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let all = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    all += us;
    const f = fileOf(frame);
    const where = frame.url ? `${f}:${frame.lineNumber + 1}` : f;
    const fn = `${frame.functionName || '(anonymous)'} ${where}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byFile.set(f, (byFile.get(f) ?? 0) + us);
    const p = packageOf(f);
    byPackage.set(p, (byPackage.get(p) ?? 0) + us);
  }
  console.log(`${path.relative(process.cwd(), file)}: ${(all / 1000).toFixed(0)} ms sampled (${(idle / 1000).toFixed(0)} ms idle left out), self time${under ? ` under ${under}` : ''}`);
  table(`top ${entries} functions`, byFunction, all, entries);
  table(`top ${entries} files`, byFile, all, entries);
  table(`top ${entries} packages`, byPackage, all, entries);
  const own = byPackage.get('library (src/)') ?? 0;
  console.log(`\nlibrary's own share: ${(own / 1000).toFixed(0)} ms, ${((100 * own) / all).toFixed(1)}% of the sampled time`);
}

main();
