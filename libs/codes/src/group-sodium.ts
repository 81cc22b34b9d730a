/**
 * The default backend: libsodium's ristretto255 (libsodium-wrappers-sumo, compiled
 * to WebAssembly), constant-time and several times faster than noble. Elements are
 * their canonical 32-byte encodings, which is what libsodium's functions take and
 * return: a canonical encoding is unique, so equal encodings are equal elements.
 *
 * sodium-native would be faster still, but exports no ristretto255 functions.
 */
import { numberToBytesLE } from '@noble/curves/utils';
import type * as Sodium from 'libsodium-wrappers-sumo';
import { expandMessageXmdSha512 } from './expand-message';
import type { GroupBackend, Scalar } from './group-backend';

const POINT_BYTES = 32;
const HASH_BYTES = 64;
/** libsodium.js's error when a multiplication's point does not decode (or its product is the identity). */
const NO_PRODUCT = 'result is identity element';

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
    // RFC 9380 expansion in front of it is the same as noble's, so codes match the reference byte for byte.
    hashToGroup: (message, dst) => sodium.crypto_core_ristretto255_from_hash(expandMessageXmdSha512(message, dst, HASH_BYTES)),
    // libsodium refuses an identity result, which for a scalar in [1, ℓ) only the identity gives.
    multiply: (point, scalar) => (isZero(point) ? new Uint8Array(POINT_BYTES) : sodium.crypto_scalarmult_ristretto255(scalarBytes(scalar), point)),
    // libsodium's multiplication decodes its point, and refuses a non-canonical
    // encoding as it refuses an identity product: past the identity itself, the
    // only refusal left is of the encoding.
    multiplyEncoding: (bytes, scalar) => {
      if (bytes.length !== POINT_BYTES) return null;
      if (isZero(bytes)) return new Uint8Array(POINT_BYTES);
      try {
        return sodium.crypto_scalarmult_ristretto255(scalarBytes(scalar), bytes);
      } catch (error) {
        if (error instanceof Error && error.message === NO_PRODUCT) return null;
        throw error;
      }
    },
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
