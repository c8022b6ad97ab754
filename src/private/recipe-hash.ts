import * as crypto from 'crypto';

/** `crypto.hash` (Node.js 20.12 and later): faster than `createHash` for one small input. */
const oneShot: ((algorithm: string, data: string, encoding: 'hex') => string) | undefined = (crypto as any).hash;

/**
 * A stable hexadecimal fingerprint of some strings (sha256).
 */
export function contentFingerprint(parts: string[]): string {
  // The bytes hashed: for each part, its length, ':' and the part.
  if (parts.length === 1 && oneShot) {
    return oneShot('sha256', `${parts[0].length}:${parts[0]}`, 'hex');
  }
  const hash = crypto.createHash('sha256');
  for (const part of parts) {
    hash.update(`${part.length}:${part}`);
  }
  return hash.digest('hex');
}

/**
 * A component version derived from a base version and a content hash: `1.0.0` becomes
 * `1.0.0-c<10 hex digits>` (a prerelease identifier that always starts with a letter, so it is valid
 * semver whatever the digits), `1.0.0-beta` becomes `1.0.0-beta.c<...>`; build metadata stays last.
 */
export function contentVersion(base: string, hash: string): string {
  const [core, build] = base.split('+', 2);
  const suffix = `c${hash.slice(0, 10)}`;
  return `${core}${core.includes('-') ? '.' : '-'}${suffix}${build ? `+${build}` : ''}`;
}
