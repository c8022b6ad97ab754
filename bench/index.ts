// Runs every benchmark in this folder (files named *.bench.ts), one after another, in one process.
// Benchmarks print figures; they never fail because a machine is slow.
import * as fs from 'fs';
import * as path from 'path';

async function main(): Promise<void> {
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).sort();
  const only = process.argv[2];
  for (const f of files) {
    if (only && !f.includes(only)) continue;
    console.log(`\n# ${f}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(__dirname, f));
    await mod.run();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
