/**
 * A Bloom filter over strings, sized for an expected number of values at about
 * 1 % false positives (ten bits and seven probes a value). The join attack uses it
 * to skip values no other database holds; a false positive only costs memory.
 * Probes come from two 32-bit FNV-1a hashes (different offsets), combined as
 * h1 + i·h2 (Kirsch and Mitzenmacher).
 */
export class BloomFilter {
  static readonly BITS_PER_VALUE = 10;
  static readonly PROBES = 7;
  /** At most 2³¹ bits (256 MB): beyond it the false-positive rate rises instead. */
  static readonly MAX_BITS = 2 ** 31;
  private readonly bits: Uint8Array;
  private readonly size: number;

  constructor(expectedValues: number) {
    this.size = Math.min(BloomFilter.MAX_BITS, Math.max(1024, Math.ceil(expectedValues * BloomFilter.BITS_PER_VALUE)));
    this.bits = new Uint8Array(Math.ceil(this.size / 8));
  }

  /** A value's two hashes, computed once to probe several filters (see `hasHashed`). */
  static hash(value: string): [number, number] {
    return hashes(value);
  }

  add(value: string): void {
    const [h1, h2] = hashes(value);
    for (let i = 0; i < BloomFilter.PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) >>> 0;
      const at = bit % this.size;
      this.bits[at >>> 3] |= 1 << (at & 7);
    }
  }

  /** False: certainly never added. True: probably added. */
  has(value: string): boolean {
    return this.hasHashed(hashes(value));
  }

  /** `has`, given the value's `BloomFilter.hash`. */
  hasHashed([h1, h2]: readonly [number, number]): boolean {
    for (let i = 0; i < BloomFilter.PROBES; i++) {
      const at = ((h1 + Math.imul(i, h2)) >>> 0) % this.size;
      if ((this.bits[at >>> 3] & (1 << (at & 7))) === 0) return false;
    }
    return true;
  }

  /** Bytes held. */
  get byteLength(): number {
    return this.bits.byteLength;
  }
}

function hashes(value: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < value.length; i++) {
    const char = value.charCodeAt(i);
    a = Math.imul(a ^ char, 0x01000193);
    b = Math.imul(b ^ char, 0x01000193) ^ (b >>> 15);
  }
  // An odd step visits every bit position class; mix a little so short strings spread.
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  return [a >>> 0, (b | 1) >>> 0];
}
