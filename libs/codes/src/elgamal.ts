/**
 * ElGamal on ristretto255 over agency codes. Enc(Y, P) = (r·G, P + r·Y) with fresh r;
 * Dec(x, (C1, C2)) = C2 − x·C1. The homomorphisms the hub uses:
 *   rerandomize: (C1 + r'·G, C2 + r'·Y)   same key, same plaintext, unlinkable ciphertext
 *   reshuffle n: (n·C1, n·C2)              plaintext P becomes n·P
 *   rekey k:     (C1/k, C2)                key Y becomes k·Y (decrypt with k·x)
 */
import { AgencyCode } from './agency-code';
import { CodesError } from './codes.exception';
import { encodeTagged, decodeTagged } from './encoding';
import {
  add,
  encodePoint,
  invertScalar,
  multiply,
  multiplyBase,
  pointsEqual,
  prepareForReuse,
  POINT_BYTES,
  randomScalar,
  subtract,
  type GroupElement,
} from './group';
import { pointFromBytes, pointFromText } from './point-text';
import { osRandom, type RandomSource } from './random-source';
import { SecretScalar } from './secret-scalar';

const PUBLIC_KEY_PREFIX = 'pk1.';
const CIPHERTEXT_PREFIX = 'ct1.';

/** A party's ElGamal public key Y = x·G. */
export class ElGamalPublicKey {
  readonly #point: GroupElement;

  private constructor(point: GroupElement) {
    // Public keys are multiplied in every encryption and translation: worth a table.
    this.#point = prepareForReuse(point);
  }

  static of(secretKey: SecretScalar): ElGamalPublicKey {
    return new ElGamalPublicKey(multiplyBase(secretKey.reveal()));
  }

  /** Parses `pk1.` + base64url(32-byte canonical, non-identity point). */
  static parse(text: unknown): ElGamalPublicKey {
    return new ElGamalPublicKey(pointFromText(text, PUBLIC_KEY_PREFIX, 'public-key', 'public key'));
  }

  groupElement(): GroupElement {
    return this.#point;
  }

  /** Public keys are not secret, so plain equality is enough. */
  equals(other: ElGamalPublicKey): boolean {
    return pointsEqual(this.#point, other.#point);
  }

  toText(): string {
    return encodeTagged(PUBLIC_KEY_PREFIX, encodePoint(this.#point));
  }

  toString(): string {
    return this.toText();
  }

  toJSON(): string {
    return this.toText();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `ElGamalPublicKey(${this.toText()})`;
  }
}

export interface ElGamalKeyPair {
  readonly secretKey: SecretScalar;
  readonly publicKey: ElGamalPublicKey;
}

export function generateKeyPair(rng: RandomSource = osRandom): ElGamalKeyPair {
  const secretKey = SecretScalar.random(rng);
  return { secretKey, publicKey: ElGamalPublicKey.of(secretKey) };
}

/** An ElGamal ciphertext (C1, C2) of an agency code; text form `ct1.` + base64url(C1 ‖ C2). */
export class Ciphertext {
  private constructor(
    readonly c1: GroupElement,
    readonly c2: GroupElement,
  ) {}

  static of(c1: GroupElement, c2: GroupElement): Ciphertext {
    return new Ciphertext(c1, c2);
  }

  static parse(text: unknown): Ciphertext {
    const bytes = decodeTagged(text, CIPHERTEXT_PREFIX, 2 * POINT_BYTES, 'ciphertext', 'ciphertext');
    return new Ciphertext(
      pointFromBytes(bytes.subarray(0, POINT_BYTES), 'ciphertext', 'ciphertext C1'),
      pointFromBytes(bytes.subarray(POINT_BYTES), 'ciphertext', 'ciphertext C2'),
    );
  }

  toBytes(): Uint8Array {
    const bytes = new Uint8Array(2 * POINT_BYTES);
    bytes.set(encodePoint(this.c1));
    bytes.set(encodePoint(this.c2), POINT_BYTES);
    return bytes;
  }

  toText(): string {
    return encodeTagged(CIPHERTEXT_PREFIX, this.toBytes());
  }

  toString(): string {
    return this.toText();
  }

  toJSON(): string {
    return this.toText();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Ciphertext(${this.toText()})`;
  }
}

export function parseCiphertext(text: unknown): Ciphertext {
  return Ciphertext.parse(text);
}

export function parsePublicKey(text: unknown): ElGamalPublicKey {
  return ElGamalPublicKey.parse(text);
}

export function encryptCode(code: AgencyCode, publicKey: ElGamalPublicKey, rng: RandomSource = osRandom): Ciphertext {
  const r = randomScalar(rng);
  return Ciphertext.of(multiplyBase(r), add(code.groupElement(), multiply(publicKey.groupElement(), r)));
}

/**
 * One code for several recipients with one randomness r: (r·G, P + r·Y_i) for each
 * key. Multi-recipient ElGamal (Kurosawa 2002; Bellare, Boldyreva and Staddon 2003)
 * is as secure as one encryption per key under DDH, and costs one multiplication
 * per extra recipient instead of two. The keys must be distinct.
 */
export function encryptCodeForEach(code: AgencyCode, publicKeys: readonly ElGamalPublicKey[], rng: RandomSource = osRandom): Ciphertext[] {
  const r = randomScalar(rng);
  const c1 = multiplyBase(r);
  return publicKeys.map((publicKey) => Ciphertext.of(c1, add(code.groupElement(), multiply(publicKey.groupElement(), r))));
}

/** Throws CodesError('identity-point') only for a ciphertext of the identity, which no code is. */
export function decryptCode(ciphertext: Ciphertext, secretKey: SecretScalar): AgencyCode {
  const plaintext = subtract(ciphertext.c2, multiply(ciphertext.c1, secretKey.reveal()));
  try {
    return AgencyCode.fromGroupElement(plaintext);
  } catch (error) {
    if (error instanceof CodesError) {
      throw new CodesError('ciphertext', 'identity-point', 'ciphertext decrypts to the identity point, which is no agency code');
    }
    throw error;
  }
}

export function rerandomize(ciphertext: Ciphertext, publicKey: ElGamalPublicKey, rng: RandomSource = osRandom): Ciphertext {
  const r = randomScalar(rng);
  return Ciphertext.of(add(ciphertext.c1, multiplyBase(r)), add(ciphertext.c2, multiply(publicKey.groupElement(), r)));
}

/** Enc(Y, P) → Enc(Y, n·P). */
export function reshuffle(ciphertext: Ciphertext, n: SecretScalar): Ciphertext {
  return Ciphertext.of(multiply(ciphertext.c1, n.reveal()), multiply(ciphertext.c2, n.reveal()));
}

/** Enc(Y, P) → Enc(k·Y, P). */
export function rekey(ciphertext: Ciphertext, k: SecretScalar): Ciphertext {
  return Ciphertext.of(multiply(ciphertext.c1, invertScalar(k.reveal())), ciphertext.c2);
}
