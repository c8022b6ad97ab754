import * as crypto from 'crypto';

/**
 * A stable hexadecimal fingerprint of some strings (sha256).
 */
export function contentFingerprint(parts: string[]): string {
  const hash = crypto.createHash('sha256');
  for (const part of parts) {
    hash.update(String(part.length));
    hash.update(':');
    hash.update(part);
  }
  return hash.digest('hex');
}
