/**
 * The default backend: libsodium's ristretto255 (libsodium-wrappers-sumo, compiled
 * to WebAssembly), constant-time and several times faster than noble. Elements are
 * their canonical 32-byte encodings, which is what libsodium's functions take and
 * return: a canonical encoding is unique, so equal encodings are equal elements.
 *
 * sodium-native would be faster still, but exports no ristretto255 functions.
 */
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve';
import { numberToBytesLE } from '@noble/curves/utils';
import { sha512 } from '@noble/hashes/sha2';
import type * as Sodium from 'libsodium-wrappers-sumo';
import type { GroupBackend, Scalar } from './group-backend';

const POINT_BYTES = 32;
const HASH_BYTES = 64;

/** The subset of libsodium this backend calls; the module once `sodium.ready` has resolved. */
export type SodiumRistretto = Pick<
  typeof Sodium,
  | 'crypto_scalarmult_ristretto255'
  | 'crypto_scalarmult_ristretto255_base'
  | 'crypto_core_ristretto255_add'
  | 'crypto_core_ristretto255_sub'
  | 'crypto_core_ristretto255_from_hash'
  | 'crypto_core_ristretto255_is_valid_point'
>;

export function sodiumBackend(sodium: SodiumRistretto): GroupBackend<Uint8Array> {
  const scalarBytes = (scalar: Scalar) => numberToBytesLE(scalar, 32);
  return {
    name: 'sodium',
    generator: sodium.crypto_scalarmult_ristretto255_base(scalarBytes(1n)),
    // libsodium's from_hash is the RFC 9496 one-way map of 64 uniform bytes; the
    // RFC 9380 expansion in front of it is noble's, so codes match the reference byte for byte.
    hashToGroup: (message, dst) => sodium.crypto_core_ristretto255_from_hash(expand_message_xmd(message, dst, HASH_BYTES, sha512)),
    // libsodium refuses an identity result, which for a scalar in [1, ℓ) only the identity gives.
    multiply: (point, scalar) => (isZero(point) ? new Uint8Array(POINT_BYTES) : sodium.crypto_scalarmult_ristretto255(scalarBytes(scalar), point)),
    multiplyBase: (scalar) => sodium.crypto_scalarmult_ristretto255_base(scalarBytes(scalar)),
    // libsodium has no tables for points other than the generator.
    prepareForReuse: (point) => point,
    add: (a, b) => sodium.crypto_core_ristretto255_add(a, b),
    subtract: (a, b) => sodium.crypto_core_ristretto255_sub(a, b),
    equals: (a, b) => bytesEqual(a, b),
    isIdentity: isZero,
    encode: (point) => Uint8Array.from(point),
    decode: (bytes) => (bytes.length === POINT_BYTES && sodium.crypto_core_ristretto255_is_valid_point(bytes) ? Uint8Array.from(bytes) : null),
  };
}

/** The identity's encoding is all zeros, and no other element's is. */
function isZero(point: Uint8Array): boolean {
  return point.every((byte) => byte === 0);
}

/** Public values only (see `pointsEqual`): not constant-time. */
function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
