import { CodesError } from './codes.exception';
import { constantTimeEqual, decodeTagged, encodeTagged } from './encoding';
import { draw, osRandom, type RandomSource } from './random-source';

const PREFIX = 'ps1.';
const SERIAL_BYTES = 16;
const REDACTED = '[secret]';

/**
 * A person's 128-bit processing serial, known only to code-issuer. It is the root
 * from which every agency code is derived, so it is redacted like a key when
 * printed; `toText()` / `toBytes()` are the deliberate ways out (the issuer's table).
 */
export class ProcessingSerial {
  readonly #bytes: Uint8Array;

  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  static fromBytes(bytes: Uint8Array): ProcessingSerial {
    if (!(bytes instanceof Uint8Array)) {
      throw new CodesError('processing-serial', 'wrong-type', 'processing serial must be a Uint8Array');
    }
    if (bytes.length !== SERIAL_BYTES) {
      throw new CodesError(
        'processing-serial',
        'wrong-length',
        `processing serial must be ${SERIAL_BYTES} bytes, got ${bytes.length}`,
      );
    }
    return new ProcessingSerial(Uint8Array.from(bytes));
  }

  /** Parses `ps1.` + base64url(16 bytes). */
  static parse(text: unknown): ProcessingSerial {
    return new ProcessingSerial(decodeTagged(text, PREFIX, SERIAL_BYTES, 'processing-serial', 'processing serial'));
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  toText(): string {
    return encodeTagged(PREFIX, this.#bytes);
  }

  equals(other: ProcessingSerial): boolean {
    return constantTimeEqual(this.#bytes, other.#bytes);
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

/** 128 fresh random bits; pass a seeded source for reproducible demos. */
export function generateProcessingSerial(rng: RandomSource = osRandom): ProcessingSerial {
  return ProcessingSerial.fromBytes(draw(rng, SERIAL_BYTES));
}

export function parseProcessingSerial(text: unknown): ProcessingSerial {
  return ProcessingSerial.parse(text);
}
