import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import {
  decodePoint,
  decodeScalar,
  divideScalars,
  encodePoint,
  encodeScalar,
  GENERATOR,
  hashToGroup,
  invertScalar,
  isIdentity,
  multiply,
  multiplyBase,
  pointsEqual,
  randomScalar,
  subtract,
} from '../group';
import { seededRandom } from '../random-source';

const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

// RFC 9496 Appendix A.1: encodings of 0·B … 3·B. They pin the backend: a faster one must agree.
const MULTIPLES_OF_B = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76',
  '6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919',
  '94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259',
];

describe('group (ristretto255 backend)', () => {
  it('encodes multiples of the generator as RFC 9496 does', () => {
    expect(isIdentity(subtract(GENERATOR, GENERATOR))).toBe(true);
    expect(bytesToHex(encodePoint(subtract(GENERATOR, GENERATOR)))).toBe(MULTIPLES_OF_B[0]);
    for (const k of [1n, 2n, 3n]) expect(bytesToHex(encodePoint(multiplyBase(k)))).toBe(MULTIPLES_OF_B[Number(k)]);
    for (const hex of MULTIPLES_OF_B) expect(bytesToHex(encodePoint(decodePoint(hexToBytes(hex))!))).toBe(hex);
  });

  it.each([
    ['a negative (odd) field element', '0100000000000000000000000000000000000000000000000000000000000000'],
    ['p itself, a non-canonical field element', 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
    ['the top bit set', 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2df6'],
    ['an even field element that is no point', '0800000000000000000000000000000000000000000000000000000000000000'],
  ])('rejects %s', (_case, hex) => {
    expect(decodePoint(hexToBytes(hex))).toBeNull();
  });

  it('rejects encodings of the wrong length', () => {
    expect(decodePoint(new Uint8Array(31))).toBeNull();
    expect(decodePoint(new Uint8Array(33))).toBeNull();
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
