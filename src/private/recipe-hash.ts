import * as crypto from 'crypto';

/**
 * A stable hexadecimal fingerprint of some strings (sha256).
 */
export function contentFingerprint(parts: string[]): string {
  const hash = crypto.createHash('sha256');
  for (const part of parts) {
    // one update per part: the same bytes as length, ':' and part fed separately
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
