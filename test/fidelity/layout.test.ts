import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

/** The concept a file of src/ belongs to: its first folder (`src/private/` is shared, no concept). */
const conceptOf = (file: string) => path.relative(SRC, file).split(path.sep)[0];

describe('source layout', () => {
  test('no concept imports another concept\'s private/ folder (shared helpers live in src/private/)', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    const reaching: string[] = [];
    for (const file of files) {
      for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = path.resolve(path.dirname(file), spec);
        const parts = path.relative(SRC, target).split(path.sep);
        const privateAt = parts.indexOf('private');
        if (privateAt > 0 && parts[0] !== conceptOf(file)) reaching.push(`${path.relative(SRC, file)} -> ${parts.join('/')}`);
      }
    }
    expect(reaching).toEqual([]);
  });
});
