import * as crypto from 'crypto';
import { contentFingerprint, contentVersion } from '../../src/private/recipe-hash';

function reference(parts: string[]): string {
  const hash = crypto.createHash('sha256');
  for (const part of parts) {
    hash.update(String(part.length));
    hash.update(':');
    hash.update(part);
  }
  return hash.digest('hex');
}

describe('contentFingerprint', () => {
  test.each<[string, string[]]>([
    ['one part', ['{"a":1}']],
    ['an empty part', ['']],
    ['non-ASCII text', ['é ü 😀 \u2028']],
    ['several parts', ['/path/to/asset', '["*.pyc"]']],
  ])('hashes %s as its length, a colon and the part', (_name, parts) => {
    expect(contentFingerprint(parts)).toEqual(reference(parts));
  });

  test('keeps part boundaries apart', () => {
    expect(contentFingerprint(['ab', 'c'])).not.toEqual(contentFingerprint(['a', 'bc']));
  });
});

describe('contentVersion', () => {
  test.each([
    ['1.0.0', '1.0.0-cabcdef0123'],
    ['1.0.0-beta', '1.0.0-beta.cabcdef0123'],
    ['1.0.0+build.5', '1.0.0-cabcdef0123+build.5'],
  ])('derives a version from %s', (base, expected) => {
    expect(contentVersion(base, 'abcdef0123456789')).toEqual(expected);
  });
});
