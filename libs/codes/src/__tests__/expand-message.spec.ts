import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve';
import { sha512 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import fc from 'fast-check';
import { AGENCY_CODE_DST } from '../agency-code';
import { expandMessageXmdSha512 } from '../expand-message';

// @noble/curves' expand_message_xmd is the reference: RFC 9380 §5.3.1, tested there against the RFC's vectors.
const reference = (message: Uint8Array, dst: string, length: number) => bytesToHex(expand_message_xmd(message, dst, length, sha512));

describe('expand_message_xmd with SHA-512 (RFC 9380 §5.3.1)', () => {
  it("gives the reference's bytes for any message, tag and length, tags longer than 255 bytes included", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 700 }), (message, dst, length) => {
        expect(bytesToHex(expandMessageXmdSha512(message, dst, length))).toBe(reference(message, dst, length));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the 64 bytes of the agency-code hash as the reference does, with multi-byte characters in a tag', () => {
    for (const dst of [AGENCY_CODE_DST, 'マイナンバー-tag', 'x'.repeat(256)]) {
      const message = Uint8Array.from({ length: 16 }, (_, i) => i * 7);
      expect(bytesToHex(expandMessageXmdSha512(message, dst, 64))).toBe(reference(message, dst, 64));
    }
  });

  it('refuses a length the RFC does not allow', () => {
    for (const length of [0, -1, 1.5, 255 * 64 + 1, 70_000]) expect(() => expandMessageXmdSha512(new Uint8Array(1), AGENCY_CODE_DST, length)).toThrow(RangeError);
  });
});
