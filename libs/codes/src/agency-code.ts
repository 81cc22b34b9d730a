import { CodesError } from './codes.exception';
import { constantTimeEqual, encodeTagged } from './encoding';
import { encodePoint, hashToGroup, isIdentity, multiply, type GroupElement } from './group';
import { pointFromText } from './point-text';
import type { ProcessingSerial } from './processing-serial';
import type { SecretScalar } from './secret-scalar';

const PREFIX = 'ac1.';

/** Domain separation for H(serial), so no other use of hash-to-group can collide with it. */
export const AGENCY_CODE_DST = 'myna-codes-v1:agency-code:ristretto255_XMD:SHA-512_R255MAP_RO_';

/**
 * A person's agency code at one agency, P_A = s_A · H(serial). Public to the agency
 * that holds it; meaningless elsewhere. Compared in constant time.
 */
export class AgencyCode {
  readonly #point: GroupElement;
  readonly #bytes: Uint8Array;

  private constructor(point: GroupElement) {
    this.#point = point;
    this.#bytes = encodePoint(point);
  }

  /** For the scheme's arithmetic (encryption, decryption). */
  static fromGroupElement(point: GroupElement): AgencyCode {
    if (isIdentity(point)) throw new CodesError('agency-code', 'identity-point', 'agency code must not be the identity point');
    return new AgencyCode(point);
  }

  /** Parses `ac1.` + base64url(32-byte canonical ristretto255 encoding). */
  static parse(text: unknown): AgencyCode {
    return new AgencyCode(pointFromText(text, PREFIX, 'agency-code', 'agency code'));
  }

  groupElement(): GroupElement {
    return this.#point;
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  toText(): string {
    return encodeTagged(PREFIX, this.#bytes);
  }

  equals(other: AgencyCode): boolean {
    return constantTimeEqual(this.#bytes, other.#bytes);
  }

  toString(): string {
    return this.toText();
  }

  toJSON(): string {
    return this.toText();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `AgencyCode(${this.toText()})`;
  }
}

/** H(serial): the person's base point, common to all agencies and known to no one but the issuer. */
export function hashSerialToGroup(serial: ProcessingSerial): GroupElement {
  return hashToGroup(serial.toBytes(), AGENCY_CODE_DST);
}

/** P_A = s_A · H(serial). Only the issuer holds s_A, so only the issuer computes this. */
export function computeAgencyCode(pseudonymKey: SecretScalar, serial: ProcessingSerial): AgencyCode {
  return agencyCodeFromBase(pseudonymKey, hashSerialToGroup(serial));
}

/** P_A = s_A · B for a person's base point B = H(serial) already computed (for another party's code of the same person). */
export function agencyCodeFromBase(pseudonymKey: SecretScalar, base: GroupElement): AgencyCode {
  return AgencyCode.fromGroupElement(multiply(base, pseudonymKey.reveal()));
}

export function parseAgencyCode(text: unknown): AgencyCode {
  return AgencyCode.parse(text);
}

export function agencyCodesEqual(a: AgencyCode, b: AgencyCode): boolean {
  return a.equals(b);
}
