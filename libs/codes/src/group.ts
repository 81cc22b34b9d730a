/**
 * The prime-order group ristretto255 (RFC 9496) and its scalar field: the only file
 * the scheme calls for arithmetic. Two backends do the group operations:
 *
 * - `sodium` (default): libsodium's ristretto255 in WebAssembly, constant-time and
 *   several times faster (libs/codes README, "Cost");
 * - `noble`: @noble/curves, pure JavaScript, the reference.
 *
 * `MYNA_GROUP_BACKEND=noble|sodium` chooses one per process, when this module
 * loads; it is the library's one piece of global state. Both pass the same RFC 9496
 * vectors and committed vectors, so codes and ciphertexts do not depend on it.
 *
 * libsodium's WebAssembly loads asynchronously (~10 ms after this module). The
 * functions here stay synchronous: until it has loaded, `sodium` mode runs noble on
 * encodings, with the same results, slower. Whoever wants the fast path from the
 * first call awaits `groupReady()` first: every service does, through
 * `ServiceKeyRing.fromFile`, and so does every Jest test file (jest.preset.js).
 *
 * Scalars are bigints below ℓ for every backend; the field arithmetic is noble's.
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519';
// libsodium.js adds its functions to module.exports once ready; `import * as` would copy the exports before that.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import sodium = require('libsodium-wrappers-sumo');
import { GROUP_BACKEND_NAMES, type GroupBackend, type GroupBackendName, type Scalar } from './group-backend';
import { nobleBackend, overEncodings } from './group-noble';
import { sodiumBackend } from './group-sodium';
import { draw, type RandomSource } from './random-source';

export { GROUP_BACKEND_NAMES, type GroupBackendName, type Scalar } from './group-backend';

const Fn = ristretto255.Point.Fn;

declare const groupElementBrand: unique symbol;
/** An element of ristretto255, opaque: its representation belongs to the backend. */
export interface GroupElement {
  readonly [groupElementBrand]: 'ristretto255';
}

export const POINT_BYTES = 32;
export const SCALAR_BYTES = 32;

/** The environment variable that chooses the backend. */
export const GROUP_BACKEND_VARIABLE = 'MYNA_GROUP_BACKEND';
export const DEFAULT_GROUP_BACKEND: GroupBackendName = 'sodium';

/** The backend named by `MYNA_GROUP_BACKEND` (default `sodium`); a name it does not know is an error. */
export function groupBackendFromEnvironment(value: string | undefined): GroupBackendName {
  const name = value === undefined || value.trim() === '' ? DEFAULT_GROUP_BACKEND : value.trim();
  if (!(GROUP_BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new Error(`${GROUP_BACKEND_VARIABLE} must be one of ${GROUP_BACKEND_NAMES.join(', ')}, not '${name}'`);
  }
  return name as GroupBackendName;
}

const chosen = groupBackendFromEnvironment(process.env[GROUP_BACKEND_VARIABLE]);
// Elements are opaque outside this file; inside, they are whatever the backend made.
let backend: GroupBackend<unknown> = chosen === 'noble' ? nobleBackend : overEncodings(nobleBackend);
let loaded = chosen === 'noble';
const readiness: Promise<void> =
  chosen === 'noble'
    ? Promise.resolve()
    : sodium.ready.then(() => {
        backend = sodiumBackend(sodium);
        loaded = true;
      });
// A failure is reported to whoever awaits groupReady(); meanwhile noble keeps computing.
readiness.catch(() => undefined);

/** Resolves once the chosen backend does the arithmetic itself; rejects if libsodium cannot load. */
export async function groupReady(): Promise<GroupBackendName> {
  await readiness;
  return chosen;
}

/** Which backend was chosen, and whether it is doing the arithmetic yet (false only while libsodium loads). */
export function groupBackend(): { name: GroupBackendName; ready: boolean } {
  return { name: chosen, ready: loaded };
}

const element = (value: unknown) => value as GroupElement;

export const GENERATOR: GroupElement = element(backend.generator);

/** H: bytes → group element (RFC 9380 hash_to_ristretto255, XMD:SHA-512), separated by `dst`. */
export function hashToGroup(message: Uint8Array, dst: string): GroupElement {
  return element(backend.hashToGroup(message, dst));
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

/** `scalar` must be in [1, ℓ): zero is never a key, factor or nonce of the scheme. */
export function multiply(point: GroupElement, scalar: Scalar): GroupElement {
  return element(backend.multiply(point, checkedScalar(scalar)));
}

/**
 * The point `bytes` canonically encode, times `scalar`; null when they encode no
 * point. `decodePoint` then `multiply`, with the point decoded once where the
 * backend's multiplication decodes it anyway (libsodium's).
 */
export function multiplyEncoded(bytes: Uint8Array, scalar: Scalar): GroupElement | null {
  if (bytes.length !== POINT_BYTES) return null;
  const product = backend.multiplyEncoding(bytes, checkedScalar(scalar));
  return product === null ? null : element(product);
}

/**
 * Marks a long-lived point (a public key) as multiplied often. With noble it gets
 * a window-4 table, built on its first multiplication (~5 ms), that makes each
 * later one ~4× faster; libsodium has no such tables, and returns the point as is.
 */
export function prepareForReuse(point: GroupElement): GroupElement {
  return element(backend.prepareForReuse(point));
}

export function multiplyBase(scalar: Scalar): GroupElement {
  return element(backend.multiplyBase(checkedScalar(scalar)));
}

export function add(a: GroupElement, b: GroupElement): GroupElement {
  return element(backend.add(a, b));
}

export function subtract(a: GroupElement, b: GroupElement): GroupElement {
  return element(backend.subtract(a, b));
}

/** Group equality for public values; secret-derived values are compared as encodings in constant time. */
export function pointsEqual(a: GroupElement, b: GroupElement): boolean {
  return backend.equals(a, b);
}

export function isIdentity(point: GroupElement): boolean {
  return backend.isIdentity(point);
}

export function encodePoint(point: GroupElement): Uint8Array {
  return backend.encode(point);
}

/** The point with this canonical 32-byte encoding, or null if there is none. */
export function decodePoint(bytes: Uint8Array): GroupElement | null {
  if (bytes.length !== POINT_BYTES) return null;
  const point = backend.decode(bytes);
  return point === null ? null : element(point);
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

function checkedScalar(scalar: Scalar): Scalar {
  if (typeof scalar !== 'bigint' || scalar <= 0n || scalar >= Fn.ORDER) {
    throw new RangeError('scalar must be an integer in [1, ℓ)');
  }
  return scalar;
}

function bytesToNumberLE(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  return value;
}
