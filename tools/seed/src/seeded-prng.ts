import { createHash } from 'node:crypto';

/**
 * A small deterministic PRNG (sfc32) for synthetic data. Not for secrets: anyone
 * who knows the seed knows every value. Each stream is keyed by SHA-256 of a
 * domain tag and the seed (deriveWords) and numbered, so stream i depends only on
 * (key, i) and a population can be generated from any index.
 */
export class SeededPrng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(a: number, b: number, c: number, d: number) {
    [this.a, this.b, this.c, this.d] = [a, b, c, d];
    // Warm-up: sfc32's first outputs are still close to the raw state.
    for (let i = 0; i < 20; i++) this.nextUint32();
  }

  /**
   * Stream number `index` under a 128-bit key (from deriveWords). One hash per
   * population, not per person: hashing per person dominated generation time.
   */
  static fromKey(key: Uint32Array, index: number): SeededPrng {
    if (key.length !== 4) throw new RangeError('a stream key is 4 words');
    if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`stream index ${index} must be a non-negative integer`);
    return new SeededPrng(key[0], key[1], key[2] ^ (index >>> 0), key[3] ^ Math.floor(index / 2 ** 32));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1), 53 bits. */
  next(): number {
    return (this.nextUint32() * 2 ** 21 + (this.nextUint32() >>> 11)) / 2 ** 53;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** One of `choices`, with probability proportional to its weight. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let point = this.next() * total;
    for (const [value, weight] of choices) {
      point -= weight;
      if (point < 0) return value;
    }
    return choices[choices.length - 1][0];
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape: skewed like incomes and medical bills. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}

/** `count` 32-bit words from SHA-256 over a tag and length-prefixed parts (count ≤ 8). */
export function deriveWords(tag: string, parts: readonly (string | number)[], count: number): Uint32Array {
  const hash = createHash('sha256');
  for (const part of [tag, ...parts.map(String)]) {
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  }
  const digest = hash.digest();
  const words = new Uint32Array(count);
  for (let i = 0; i < count; i++) words[i] = digest.readUInt32BE(i * 4);
  return words;
}
