import { CodesError } from './codes.exception';
import { decodeTagged, encodeTagged } from './encoding';
import { decodeScalar, encodeScalar, isZeroScalar, randomScalar, SCALAR_BYTES, type Scalar } from './group';
import type { RandomSource } from './random-source';

const PREFIX = 'sk1.';
const REDACTED = '[secret]';

/**
 * A non-zero secret scalar: a pseudonym key s_A, an ElGamal key x_A, or a pair
 * factor. It prints, stringifies and inspects as `[secret]`; the value leaves only
 * through `exportText()` (bundle files) or `reveal()` (this library's arithmetic).
 */
export class SecretScalar {
  readonly #value: Scalar;

  private constructor(value: Scalar) {
    this.#value = value;
  }

  /** Wraps a scalar computed by the scheme; zero is never a valid key or factor. */
  static fromScalar(value: Scalar): SecretScalar {
    if (isZeroScalar(value)) throw new CodesError('secret-scalar', 'zero-scalar', 'secret scalar must not be zero');
    return new SecretScalar(value);
  }

  static random(rng: RandomSource): SecretScalar {
    return new SecretScalar(randomScalar(rng));
  }

  /** Parses `sk1.` + base64url(32 bytes, little-endian, below ℓ, non-zero). */
  static parse(text: unknown): SecretScalar {
    const bytes = decodeTagged(text, PREFIX, SCALAR_BYTES, 'secret-scalar', 'secret scalar');
    const value = decodeScalar(bytes);
    if (value === null) {
      throw new CodesError('secret-scalar', 'non-canonical', 'secret scalar is not below the group order');
    }
    return SecretScalar.fromScalar(value);
  }

  /** The arithmetic value, for the scheme's own computations. */
  reveal(): Scalar {
    return this.#value;
  }

  /** The one deliberate way out: the text written into a key bundle. */
  exportText(): string {
    return encodeTagged(PREFIX, encodeScalar(this.#value));
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}
