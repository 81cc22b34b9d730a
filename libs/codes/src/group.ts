/**
 * The prime-order group ristretto255 (RFC 9496) and its scalar field: the only file
 * that knows which library does the arithmetic. Everything else is written in
 * terms of these functions, so that the backend (@noble/curves today; libsodium
 * would be ~10× faster) can change here alone.
 *
 * Timing: noble's `multiply` runs the same sequence of point operations for every
 * scalar, but JavaScript bigint arithmetic is not guaranteed constant-time. This
 * is a simulator; a production backend would be libsodium or similar.
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519';
import { draw, type RandomSource } from './random-source';

const Point = ristretto255.Point;
const Fn = Point.Fn;

export type GroupElement = InstanceType<typeof Point>;
/** An integer modulo the group order ℓ, always reduced. */
export type Scalar = bigint;

export const POINT_BYTES = 32;
export const SCALAR_BYTES = 32;
export const GENERATOR: GroupElement = Point.BASE;

/** H: bytes → group element (RFC 9380 hash_to_ristretto255, XMD:SHA-512), separated by `dst`. */
export function hashToGroup(message: Uint8Array, dst: string): GroupElement {
  return ristretto255_hasher.hashToCurve(message, { DST: dst }) as GroupElement;
}

/** Bytes → scalar via RFC 9380 expand_message_xmd; 64 bytes reduced mod ℓ, so uniform. */
export function hashToScalar(message: Uint8Array, dst: string): Scalar {
  return ristretto255_hasher.hashToScalar(message, { DST: dst });
}

/** A uniform non-zero scalar (64 random bytes reduced mod ℓ: negligible bias). */
export function randomScalar(rng: RandomSource): Scalar {
  for (;;) {
    const scalar = Fn.create(bytesToNumberLE(draw(rng, 64)));
    if (scalar !== 0n) return scalar;
  }
}

export function multiply(point: GroupElement, scalar: Scalar): GroupElement {
  return point.multiply(scalar);
}

/**
 * Marks a long-lived point (a public key) for a window-4 table, built on its first
 * multiplication (~5 ms) and making each later one several times faster. Noble
 * otherwise multiplies an arbitrary point bit by bit; the generator has its table already.
 */
export function prepareForReuse(point: GroupElement): GroupElement {
  return point.precompute(4, true);
}

export function multiplyBase(scalar: Scalar): GroupElement {
  return GENERATOR.multiply(scalar);
}

export function add(a: GroupElement, b: GroupElement): GroupElement {
  return a.add(b);
}

export function subtract(a: GroupElement, b: GroupElement): GroupElement {
  return a.subtract(b);
}

/** Group equality for public values; secret-derived values are compared as encodings in constant time. */
export function pointsEqual(a: GroupElement, b: GroupElement): boolean {
  return a.equals(b);
}

export function isIdentity(point: GroupElement): boolean {
  return point.is0();
}

export function encodePoint(point: GroupElement): Uint8Array {
  return point.toBytes();
}

/** The point with this canonical 32-byte encoding, or null if there is none. */
export function decodePoint(bytes: Uint8Array): GroupElement | null {
  if (bytes.length !== POINT_BYTES) return null;
  try {
    return Point.fromBytes(bytes);
  } catch {
    return null;
  }
}

export function isZeroScalar(scalar: Scalar): boolean {
  return scalar === 0n;
}

/** a / b mod ℓ; b must be non-zero. */
export function divideScalars(a: Scalar, b: Scalar): Scalar {
  return Fn.mul(a, Fn.inv(b));
}

export function invertScalar(scalar: Scalar): Scalar {
  return Fn.inv(scalar);
}

/** a · b mod ℓ. */
export function multiplyScalars(a: Scalar, b: Scalar): Scalar {
  return Fn.mul(a, b);
}

/** The scalar 1, the neutral element of scalar multiplication. */
export const SCALAR_ONE: Scalar = Fn.ONE;

/** 32 bytes, little-endian (the RFC 9496 convention). */
export function encodeScalar(scalar: Scalar): Uint8Array {
  return Fn.toBytes(scalar);
}

/** The scalar with this canonical encoding (little-endian, below ℓ), or null. */
export function decodeScalar(bytes: Uint8Array): Scalar | null {
  if (bytes.length !== SCALAR_BYTES) return null;
  const scalar = bytesToNumberLE(bytes);
  return scalar < Fn.ORDER ? scalar : null;
}

function bytesToNumberLE(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  return value;
}
