import { AGENCY_CODE_DST, AgencyCode, computeAgencyCode, hashSerialToGroup, parseAgencyCode } from '../agency-code';
import { CodesError } from '../codes.exception';
import { encodePoint, hashToGroup, multiply, subtract, GENERATOR } from '../group';
import { encodeTagged } from '../encoding';
import { generateProcessingSerial, parseProcessingSerial, ProcessingSerial } from '../processing-serial';
import { seededRandom } from '../random-source';
import { SecretScalar } from '../secret-scalar';

const rng = seededRandom('agency code spec');

describe('processing serial', () => {
  it('is 128 random bits, reproducible from a seeded source', () => {
    const a = generateProcessingSerial(seededRandom('serial'));
    const b = generateProcessingSerial(seededRandom('serial'));
    expect(a.toBytes()).toHaveLength(16);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(generateProcessingSerial())).toBe(false);
    expect(parseProcessingSerial(a.toText()).equals(a)).toBe(true);
  });

  it('rejects wrong lengths and encodings with a typed error', () => {
    expect(() => ProcessingSerial.fromBytes(new Uint8Array(15))).toThrow(CodesError);
    expect(() => parseProcessingSerial('ps1.AAAA')).toThrow('processing serial must encode 16 bytes, got 3');
    expect(() => parseProcessingSerial('ac1.AAAAAAAAAAAAAAAAAAAAAA')).toThrow("processing serial must start with 'ps1.'");
  });

  it('copies its bytes, so a caller cannot change a serial after the fact', () => {
    const bytes = new Uint8Array(16);
    const serial = ProcessingSerial.fromBytes(bytes);
    bytes[0] = 1;
    serial.toBytes()[0] = 2;
    expect(serial.toBytes()[0]).toBe(0);
  });
});

describe('agency code', () => {
  const serial = generateProcessingSerial(rng);
  const s = SecretScalar.random(rng);
  const code = computeAgencyCode(s, serial);

  it('is s_A · H(serial), with H hash-to-ristretto255 under the agency-code tag', () => {
    const expected = multiply(hashToGroup(serial.toBytes(), AGENCY_CODE_DST), s.reveal());
    expect(code.toBytes()).toEqual(encodePoint(expected));
    expect(encodePoint(hashSerialToGroup(serial))).toEqual(encodePoint(hashToGroup(serial.toBytes(), AGENCY_CODE_DST)));
  });

  it('round-trips through ac1. text and JSON', () => {
    expect(code.toText()).toMatch(/^ac1\.[A-Za-z0-9_-]{43}$/);
    expect(parseAgencyCode(code.toText()).equals(code)).toBe(true);
    expect(JSON.parse(JSON.stringify({ code }))).toEqual({ code: code.toText() });
    expect(String(code)).toBe(code.toText());
  });

  it('differs for another serial and another key', () => {
    expect(computeAgencyCode(s, generateProcessingSerial(rng)).equals(code)).toBe(false);
    expect(computeAgencyCode(SecretScalar.random(rng), serial).equals(code)).toBe(false);
  });

  it('rejects the identity, bad prefixes, lengths and base64url', () => {
    const cases: Array<[unknown, string]> = [
      [encodeTagged('ac1.', new Uint8Array(32)), 'identity-point'],
      [encodeTagged('ac1.', encodePoint(subtract(GENERATOR, GENERATOR))), 'identity-point'],
      ['ac2.' + code.toText().slice(4), 'bad-prefix'],
      ['AC1.' + code.toText().slice(4), 'bad-prefix'],
      [code.toText().slice(4), 'bad-prefix'],
      [code.toText().slice(0, -3), 'wrong-length'],
      [code.toText().slice(0, 5), 'bad-base64url'],
      [code.toText() + 'AA', 'bad-base64url'],
      [code.toText() + 'AAAA', 'wrong-length'],
      [code.toText() + '=', 'bad-base64url'],
      [encodeTagged('ac1.', new Uint8Array(32).fill(0xff)), 'non-canonical'],
      [42, 'wrong-type'],
      [null, 'wrong-type'],
    ];
    for (const [input, reason] of cases) {
      expect(() => parseAgencyCode(input)).toThrow(CodesError);
      try {
        parseAgencyCode(input);
      } catch (error) {
        expect({ input, reason: (error as CodesError).reason }).toEqual({ input, reason });
      }
    }
    expect(() => AgencyCode.fromGroupElement(subtract(GENERATOR, GENERATOR))).toThrow('must not be the identity point');
  });
});
