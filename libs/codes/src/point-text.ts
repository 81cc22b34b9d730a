import { CodesError, type CodesSubject } from './codes.exception';
import { decodeTagged } from './encoding';
import { decodePoint, isIdentity, multiplyEncoded, POINT_BYTES, type GroupElement, type Scalar } from './group';

/** A canonical, non-identity point from its 32-byte encoding, or a CodesError. */
export function pointFromBytes(bytes: Uint8Array, subject: CodesSubject, what: string): GroupElement {
  return refusedUnlessPoint(decodePoint(bytes), subject, what);
}

/**
 * `multiply(pointFromBytes(bytes, …), scalar)`, refused alike, with the point decoded
 * once (group.ts `multiplyEncoded`): s·B is the identity only when B is.
 */
export function multiplyPointFromBytes(bytes: Uint8Array, scalar: Scalar, subject: CodesSubject, what: string): GroupElement {
  return refusedUnlessPoint(multiplyEncoded(bytes, scalar), subject, what);
}

function refusedUnlessPoint(point: GroupElement | null, subject: CodesSubject, what: string): GroupElement {
  if (point === null) throw new CodesError(subject, 'non-canonical', `${what} is not a canonical ristretto255 encoding`);
  // The identity is never a valid code or key, and a ciphertext half equal to it
  // would expose (or stand in for) the plaintext.
  if (isIdentity(point)) throw new CodesError(subject, 'identity-point', `${what} must not be the identity point`);
  return point;
}

export function pointFromText(text: unknown, prefix: string, subject: CodesSubject, what: string): GroupElement {
  return pointFromBytes(decodeTagged(text, prefix, POINT_BYTES, subject, what), subject, what);
}
