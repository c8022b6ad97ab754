/* eslint-disable no-bitwise */ // a hash function is made of bit operations
/**
 * A small counter-based pseudo-random generator.
 *
 * Every random draw of the rollout simulator is a pure function of `(seed, device, stream)`, so
 * a device's fate does not depend on the order in which devices are processed: the per-device
 * engine and the aggregate engine draw exactly the same numbers for the same seed.
 */

/** murmur3's 32-bit finalizer: a fast, well-mixing bijection on 32-bit integers. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TWO_POW_32 = 4294967296;

/** Streams of draws per device. */
export enum Stream {
  OFFLINE = 0,
  OUTCOME = 1,
  DURATION = 2,
}

/**
 * A uniform number in [0, 1) for one device and one stream.
 */
export function uniform(seed: number, device: number, stream: Stream): number {
  const s = mix32(Math.imul(seed | 0, 0x9e3779b1) ^ 0x5bd1e995);
  const h = mix32(s ^ mix32(Math.imul(device, 4) + stream + 0x27d4eb2d));
  return h / TWO_POW_32;
}
