/**
 * The reference backend: @noble/curves, pure JavaScript, audited, about ten times
 * slower than libsodium. Elements are noble's Ristretto points.
 *
 * Timing: noble's `multiply` runs the same sequence of point operations for every
 * scalar, but JavaScript bigint arithmetic is not guaranteed constant-time.
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519';
import type { GroupBackend } from './group-backend';

const Point = ristretto255.Point;
export type NoblePoint = InstanceType<typeof Point>;

/**
 * Window of the table built for a reused point (a public key), measured with
 * @noble/curves 1.9.7 on one core: w=4 costs ~5 ms once and makes a multiplication
 * ~4× faster than without (1.5 ms → 0.36 ms); w=8 is faster still (0.14 ms) but
 * costs ~30 ms per point, which every parsed bundle would pay for each key. The
 * generator has noble's own w=8 table.
 */
const REUSE_WINDOW = 4;

export const nobleBackend: GroupBackend<NoblePoint> = {
  name: 'noble',
  generator: Point.BASE,
  hashToGroup: (message, dst) => ristretto255_hasher.hashToCurve(message, { DST: dst }) as NoblePoint,
  multiply: (point, scalar) => point.multiply(scalar),
  multiplyEncoding: (bytes, scalar) => nobleBackend.decode(bytes)?.multiply(scalar) ?? null,
  multiplyBase: (scalar) => Point.BASE.multiply(scalar),
  prepareForReuse: (point) => point.precompute(REUSE_WINDOW, true),
  add: (a, b) => a.add(b),
  subtract: (a, b) => a.subtract(b),
  equals: (a, b) => a.equals(b),
  isIdentity: (point) => point.is0(),
  encode: (point) => point.toBytes(),
  decode: (bytes) => {
    try {
      return Point.fromBytes(bytes);
    } catch {
      return null;
    }
  },
};

/**
 * Any backend, with its elements kept as their encodings: what the libsodium
 * backend's elements look like. `group.ts` runs noble this way until libsodium's
 * WebAssembly has loaded, so a caller that did not wait gets the same results, slower.
 */
export function overEncodings<Element>(inner: GroupBackend<Element>): GroupBackend<Uint8Array> {
  const open = (bytes: Uint8Array): Element => {
    const point = inner.decode(bytes);
    if (point === null) throw new Error('not a ristretto255 encoding');
    return point;
  };
  return {
    name: inner.name,
    generator: inner.encode(inner.generator),
    hashToGroup: (message, dst) => inner.encode(inner.hashToGroup(message, dst)),
    multiply: (point, scalar) => inner.encode(inner.multiply(open(point), scalar)),
    multiplyEncoding: (bytes, scalar) => {
      const product = inner.multiplyEncoding(bytes, scalar);
      return product === null ? null : inner.encode(product);
    },
    multiplyBase: (scalar) => inner.encode(inner.multiplyBase(scalar)),
    prepareForReuse: (point) => point,
    add: (a, b) => inner.encode(inner.add(open(a), open(b))),
    subtract: (a, b) => inner.encode(inner.subtract(open(a), open(b))),
    equals: (a, b) => inner.equals(open(a), open(b)),
    isIdentity: (point) => inner.isIdentity(open(point)),
    encode: (point) => Uint8Array.from(point),
    decode: (bytes) => (inner.decode(bytes) === null ? null : Uint8Array.from(bytes)),
  };
}
