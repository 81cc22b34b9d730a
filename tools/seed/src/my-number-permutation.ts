import { myNumberCheckDigit } from '@myna/codes';
import { deriveWords } from './seeded-prng';

/** My Numbers have 11 base digits and a check digit. */
const BASE_DOMAIN = 10 ** 11;
const HALF_BITS = 19;
const HALF = 2 ** HALF_BITS;
const HALF_MASK = HALF - 1;
const ROUNDS = 6;

/**
 * The My Number of citizen `index` in a seed's population: a keyed permutation of
 * the index (a Feistel network over 38 bits, cycle-walked into 10¹¹), plus the
 * check digit. A permutation, so two citizens of one seed never share a number,
 * and a re-run supplies the same numbers, which the issuer then recognises as
 * already registered. Fictional numbers for a simulator: the seed reveals them all.
 */
export class MyNumberPermutation {
  private readonly roundKeys: Uint32Array;

  constructor(seed: string) {
    this.roundKeys = deriveWords('myna-seed/v1/my-number-permutation', [seed], ROUNDS);
  }

  myNumberOf(index: number): string {
    if (!Number.isSafeInteger(index) || index < 0 || index >= BASE_DOMAIN) throw new RangeError(`citizen index ${index} is outside 0..${BASE_DOMAIN - 1}`);
    let value = index;
    // Cycle-walking: 2³⁸ ≈ 2.7·10¹¹, so about 2.7 encryptions on average, and the result stays a bijection on 10¹¹.
    do value = this.encrypt(value);
    while (value >= BASE_DOMAIN);
    const base = String(value).padStart(11, '0');
    return base + String(myNumberCheckDigit(base));
  }

  private encrypt(value: number): number {
    let left = Math.floor(value / HALF);
    let right = value % HALF;
    for (let round = 0; round < ROUNDS; round++) {
      const next = (left ^ (mix32(right ^ this.roundKeys[round]) & HALF_MASK)) >>> 0;
      left = right;
      right = next;
    }
    return left * HALF + right;
  }
}

/** The murmur3 finaliser: a cheap, well-mixing 32-bit round function. */
function mix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
