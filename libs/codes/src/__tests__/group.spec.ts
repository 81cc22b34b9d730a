import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import {
  decodePoint,
  decodeScalar,
  divideScalars,
  encodePoint,
  encodeScalar,
  GENERATOR,
  groupBackend,
  groupBackendFromEnvironment,
  hashToGroup,
  invertScalar,
  isIdentity,
  multiply,
  multiplyBase,
  multiplyEncoded,
  pointsEqual,
  randomScalar,
  subtract,
} from '../group';
import { seededRandom } from '../random-source';

const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

// RFC 9496 Appendix A.1: encodings of k·B. They pin the backend: a faster one must agree.
const MULTIPLES_OF_B: ReadonlyMap<bigint, string> = new Map([
  [0n, '0000000000000000000000000000000000000000000000000000000000000000'],
  [1n, 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76'],
  [2n, '6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919'],
  [3n, '94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259'],
  [4n, 'da80862773358b466ffadfe0b3293ab3d9fd53c5ea6c955358f568322daf6a57'],
  [5n, 'e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e'],
  [15n, 'e0c418f7c8d9c4cdd7395b93ea124f3ad99021bb681dfc3302a9d99a2e53e64e'],
]);

describe(`group (ristretto255 backend: ${groupBackend().name})`, () => {
  it('runs on the backend this process chose, loaded', () => {
    expect(groupBackend()).toEqual({ name: process.env.MYNA_GROUP_BACKEND ?? 'sodium', ready: true });
  });

  it('computes the same before its backend has loaded as after (libsodium loads asynchronously)', async () => {
    let fresh: typeof import('../group') | undefined;
    jest.isolateModules(() => {
      fresh = jest.requireActual<typeof import('../group')>('../group');
    });
    const group = fresh!;
    const compute = () =>
      bytesToHex(group.encodePoint(group.add(group.multiply(group.hashToGroup(new Uint8Array([1, 2, 3]), 'tag'), 12345n), group.multiplyBase(99n))));
    const chosen = process.env.MYNA_GROUP_BACKEND ?? 'sodium';
    expect(group.groupBackend()).toEqual({ name: chosen, ready: chosen === 'noble' });
    const early = compute();
    const generator = group.GENERATOR;
    await expect(group.groupReady()).resolves.toBe(chosen);
    expect(group.groupBackend()).toEqual({ name: chosen, ready: true });
    expect(compute()).toBe(early);
    expect(bytesToHex(group.encodePoint(group.multiply(generator, 3n)))).toBe(MULTIPLES_OF_B.get(3n));
  });

  it('refuses a backend name it does not know', () => {
    expect(groupBackendFromEnvironment(undefined)).toBe('sodium');
    expect(groupBackendFromEnvironment(' noble ')).toBe('noble');
    expect(() => groupBackendFromEnvironment('sodum')).toThrow("MYNA_GROUP_BACKEND must be one of sodium, noble, not 'sodum'");
  });

  it('encodes multiples of the generator as RFC 9496 does', () => {
    expect(isIdentity(subtract(GENERATOR, GENERATOR))).toBe(true);
    expect(bytesToHex(encodePoint(subtract(GENERATOR, GENERATOR)))).toBe(MULTIPLES_OF_B.get(0n));
    for (const [k, hex] of MULTIPLES_OF_B) {
      if (k !== 0n) {
        expect(bytesToHex(encodePoint(multiplyBase(k)))).toBe(hex);
        expect(bytesToHex(encodePoint(multiply(GENERATOR, k)))).toBe(hex);
      }
      expect(bytesToHex(encodePoint(decodePoint(hexToBytes(hex))!))).toBe(hex);
    }
  });

  it('multiplies the identity to the identity, and refuses scalars outside [1, ℓ)', () => {
    const identity = subtract(GENERATOR, GENERATOR);
    expect(isIdentity(multiply(identity, 7n))).toBe(true);
    for (const scalar of [0n, -1n, ORDER, ORDER + 1n]) {
      expect(() => multiply(GENERATOR, scalar)).toThrow(RangeError);
      expect(() => multiplyBase(scalar)).toThrow(RangeError);
    }
  });

  it.each([
    ['a negative (odd) field element', '0100000000000000000000000000000000000000000000000000000000000000'],
    ['p itself, a non-canonical field element', 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
    ['p − 1, a negative field element', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
    ['the top bit set', 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2df6'],
    ['an even field element that is no point', '0800000000000000000000000000000000000000000000000000000000000000'],
    ['an invalid encoding listed by RFC 9496 A.2', '26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371'],
    ['another invalid encoding listed by RFC 9496 A.2', '3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e'],
  ])('rejects %s, decoded or multiplied', (_case, hex) => {
    expect(decodePoint(hexToBytes(hex))).toBeNull();
    expect(multiplyEncoded(hexToBytes(hex), 7n)).toBeNull();
  });

  it('rejects encodings of the wrong length', () => {
    for (const bytes of [new Uint8Array(31), new Uint8Array(33)]) {
      expect(decodePoint(bytes)).toBeNull();
      expect(multiplyEncoded(bytes, 7n)).toBeNull();
    }
  });

  it('multiplies an encoding as it multiplies the point it decodes to, with the same scalars refused', () => {
    const rng = seededRandom('multiply an encoding');
    for (let i = 0; i < 8; i++) {
      const point = hashToGroup(rng(16), 'group-spec');
      const scalar = randomScalar(rng);
      expect(bytesToHex(encodePoint(multiplyEncoded(encodePoint(point), scalar)!))).toBe(bytesToHex(encodePoint(multiply(point, scalar))));
    }
    expect(isIdentity(multiplyEncoded(encodePoint(subtract(GENERATOR, GENERATOR)), 7n)!)).toBe(true);
    for (const scalar of [0n, -1n, ORDER]) expect(() => multiplyEncoded(encodePoint(GENERATOR), scalar)).toThrow(RangeError);
  });

  it('separates hash-to-group by domain tag and is deterministic', () => {
    const message = new TextEncoder().encode('serial');
    expect(pointsEqual(hashToGroup(message, 'tag-a'), hashToGroup(message, 'tag-a'))).toBe(true);
    expect(pointsEqual(hashToGroup(message, 'tag-a'), hashToGroup(message, 'tag-b'))).toBe(false);
  });

  it('encodes scalars canonically below the group order', () => {
    expect(decodeScalar(encodeScalar(ORDER - 1n))).toBe(ORDER - 1n);
    const order = new Uint8Array(32);
    let rest = ORDER;
    for (let i = 0; i < 32; i++, rest >>= 8n) order[i] = Number(rest & 0xffn);
    expect(decodeScalar(order)).toBeNull();
    expect(decodeScalar(new Uint8Array(31))).toBeNull();
  });

  it('divides and inverts scalars in the field of order ℓ', () => {
    const rng = seededRandom('group scalars');
    const a = randomScalar(rng);
    const b = randomScalar(rng);
    const point = multiplyBase(randomScalar(rng));
    expect(pointsEqual(multiply(multiply(point, b), divideScalars(a, b)), multiply(point, a))).toBe(true);
    expect(pointsEqual(multiply(multiply(point, a), invertScalar(a)), point)).toBe(true);
  });
});
