import { sha512 } from '@noble/hashes/sha2';
import { randomBytes } from '@noble/hashes/utils';
import { CodesError } from './codes.exception';
import { lengthPrefixed, utf8 } from './encoding';

/** Returns `length` random bytes. Every function that draws randomness takes one. */
export type RandomSource = (length: number) => Uint8Array;

/** The default: the platform's cryptographic RNG (crypto.getRandomValues). */
export const osRandom: RandomSource = (length) => randomBytes(length);

const SEEDED_TAG = utf8('myna-codes/v1/seeded-random');

/**
 * A deterministic stream (SHA-512 in counter mode over the seed), for test vectors
 * and demos only: anyone who knows the seed knows every byte it will produce.
 */
export function seededRandom(seed: string | Uint8Array): RandomSource {
  const seedBytes = typeof seed === 'string' ? utf8(seed) : Uint8Array.from(seed);
  if (seedBytes.length === 0) throw new CodesError('random-source', 'wrong-length', 'seed must not be empty');
  let counter = 0;
  let pool = new Uint8Array(0);
  return (length) => {
    while (pool.length < length) {
      const block = sha512(lengthPrefixed(SEEDED_TAG, seedBytes, utf8(String(counter++))));
      const next = new Uint8Array(pool.length + block.length);
      next.set(pool);
      next.set(block, pool.length);
      pool = next;
    }
    const out = pool.slice(0, length);
    pool = pool.slice(length);
    return out;
  };
}

/** Draws from a caller's source and checks it honoured the length, so a broken source fails loudly. */
export function draw(rng: RandomSource, length: number): Uint8Array {
  const bytes = rng(length);
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new CodesError('random-source', 'wrong-length', `random source must return ${length} bytes`);
  }
  return bytes;
}
