import { computeAgencyCode, hashSerialToGroup } from '../agency-code';
import { CodesError } from '../codes.exception';
import {
  Ciphertext,
  decryptCode,
  ElGamalPublicKey,
  encryptCode,
  encryptCodeForEach,
  generateKeyPair,
  parseCiphertext,
  parsePublicKey,
  rekey,
  rerandomize,
  reshuffle,
} from '../elgamal';
import { encodeTagged } from '../encoding';
import {
  divideScalars,
  encodePoint,
  GENERATOR,
  invertScalar,
  multiply,
  multiplyBase,
  pointsEqual,
  randomScalar,
  subtract,
} from '../group';
import { generateProcessingSerial } from '../processing-serial';
import { seededRandom } from '../random-source';
import { SecretScalar } from '../secret-scalar';

const rng = seededRandom('elgamal spec');
const serial = generateProcessingSerial(rng);
const s = SecretScalar.random(rng);
const code = computeAgencyCode(s, serial);
const keys = generateKeyPair(rng);

describe('ElGamal on agency codes', () => {
  it('decrypts what it encrypts, with fresh randomness each time', () => {
    const a = encryptCode(code, keys.publicKey, rng);
    const b = encryptCode(code, keys.publicKey, rng);
    expect(a.toText()).not.toBe(b.toText());
    expect(decryptCode(a, keys.secretKey).equals(code)).toBe(true);
    expect(decryptCode(b, keys.secretKey).equals(code)).toBe(true);
  });

  it('encrypts one code for several keys with one randomness, each readable under its own key only', () => {
    const other = generateKeyPair(rng);
    const [a, b] = encryptCodeForEach(code, [keys.publicKey, other.publicKey], rng);
    expect(pointsEqual(a.c1, b.c1)).toBe(true);
    expect(decryptCode(a, keys.secretKey).equals(code)).toBe(true);
    expect(decryptCode(b, other.secretKey).equals(code)).toBe(true);
    expect(decryptCode(a, other.secretKey).equals(code)).toBe(false);
    const [again] = encryptCodeForEach(code, [keys.publicKey], rng);
    expect(again.toText()).not.toBe(a.toText());
  });

  it('rerandomizes: same key and plaintext, new ciphertext', () => {
    const a = encryptCode(code, keys.publicKey, rng);
    const b = rerandomize(a, keys.publicKey, rng);
    expect(b.toText()).not.toBe(a.toText());
    expect(decryptCode(b, keys.secretKey).equals(code)).toBe(true);
  });

  it('reshuffles by n: the plaintext becomes n·P', () => {
    const n = SecretScalar.random(rng);
    const shuffled = decryptCode(reshuffle(encryptCode(code, keys.publicKey, rng), n), keys.secretKey);
    expect(shuffled.toBytes()).toEqual(encodePoint(multiply(code.groupElement(), n.reveal())));
  });

  it('rekeys by k: decryptable under k·x only', () => {
    const k = SecretScalar.random(rng);
    const rekeyed = rekey(encryptCode(code, keys.publicKey, rng), k);
    const kx = SecretScalar.fromScalar(divideScalars(k.reveal(), invertScalar(keys.secretKey.reveal())));
    expect(decryptCode(rekeyed, kx).equals(code)).toBe(true);
    expect(decryptCode(rekeyed, keys.secretKey).equals(code)).toBe(false);
  });

  it('serializes ciphertexts as ct1. + 64 bytes and parses them back', () => {
    const ciphertext = encryptCode(code, keys.publicKey, rng);
    expect(ciphertext.toText()).toMatch(/^ct1\.[A-Za-z0-9_-]{86}$/);
    expect(parseCiphertext(ciphertext.toText()).toText()).toBe(ciphertext.toText());
    expect(JSON.stringify(ciphertext)).toBe(JSON.stringify(ciphertext.toText()));
  });

  it('rejects malformed ciphertexts with the reason', () => {
    const good = encryptCode(code, keys.publicKey, rng).toBytes();
    const identity = encodePoint(subtract(GENERATOR, GENERATOR));
    const withHalf = (half: 0 | 1, point: Uint8Array) => {
      const bytes = Uint8Array.from(good);
      bytes.set(point, half * 32);
      return encodeTagged('ct1.', bytes);
    };
    const text = encodeTagged('ct1.', good);
    const cases: Array<[unknown, string, string]> = [
      [withHalf(0, identity), 'identity-point', 'ciphertext C1 must not be the identity point'],
      [withHalf(1, identity), 'identity-point', 'ciphertext C2 must not be the identity point'],
      [withHalf(0, new Uint8Array(32).fill(0xff)), 'non-canonical', 'ciphertext C1 is not a canonical ristretto255 encoding'],
      [withHalf(1, new Uint8Array(32).fill(0xff)), 'non-canonical', 'ciphertext C2 is not a canonical ristretto255 encoding'],
      [encodeTagged('ct1.', good.subarray(0, 63)), 'wrong-length', 'ciphertext must encode 64 bytes, got 63'],
      [encodeTagged('ct1.', new Uint8Array(65)), 'wrong-length', 'ciphertext must encode 64 bytes, got 65'],
      [encodeTagged('ct1.', good.subarray(0, 32)), 'wrong-length', 'ciphertext must encode 64 bytes, got 32'],
      ['ct2.' + text.slice(4), 'bad-prefix', "ciphertext must start with 'ct1.'"],
      [text.replace('ct1.', 'ac1.'), 'bad-prefix', "ciphertext must start with 'ct1.'"],
      [text.slice(0, 20) + '+' + text.slice(21), 'bad-base64url', 'ciphertext is not canonical unpadded base64url'],
      [undefined, 'wrong-type', 'ciphertext must be a string'],
    ];
    for (const [input, reason, message] of cases) {
      let caught: unknown;
      try {
        parseCiphertext(input);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CodesError);
      expect({ reason: (caught as CodesError).reason, message: (caught as CodesError).message }).toEqual({ reason, message });
    }
  });

  it('refuses to call the identity an agency code when a ciphertext of it is decrypted', () => {
    const r = randomScalar(rng);
    const ofIdentity = Ciphertext.of(multiplyBase(r), multiply(keys.publicKey.groupElement(), r));
    expect(() => decryptCode(ofIdentity, keys.secretKey)).toThrow(CodesError);
  });

  it('parses public keys strictly and derives them from the secret', () => {
    expect(parsePublicKey(keys.publicKey.toText()).equals(keys.publicKey)).toBe(true);
    expect(ElGamalPublicKey.of(keys.secretKey).equals(keys.publicKey)).toBe(true);
    expect(() => parsePublicKey(encodeTagged('pk1.', new Uint8Array(32)))).toThrow('public key must not be the identity point');
    expect(() => parsePublicKey(code.toText())).toThrow("public key must start with 'pk1.'");
    // The code's base point H(serial) is not what anyone encrypts to.
    expect(encodePoint(hashSerialToGroup(serial))).not.toEqual(code.toBytes());
  });
});
