import fc from 'fast-check';
import { constantTimeEqual, fromBase64url, lengthPrefixed, toBase64url } from '../encoding';

describe('strict base64url', () => {
  it('round-trips every byte string and matches the RFC 4648 alphabet', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const text = toBase64url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(fromBase64url(text)).toEqual(bytes);
      }),
    );
  });

  it.each([
    ['padding', 'AAA='],
    ['standard-alphabet +', 'ab+c'],
    ['standard-alphabet /', 'ab/c'],
    ['whitespace', 'AAAA AAAA'],
    ['a newline', 'AAAA\nAAAA'],
    ['an impossible length', 'AAAAA'],
    ['stray bits after the last byte', 'AB'],
    ['stray bits after two bytes', 'AAB'],
    ['a non-ASCII character', 'AAAé'],
  ])('rejects %s', (_case, text) => {
    expect(fromBase64url(text)).toBeNull();
  });

  it('gives every byte string exactly one accepted text', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{0,12}$/), (text) => {
        const bytes = fromBase64url(text);
        if (bytes !== null) expect(toBase64url(bytes)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('constantTimeEqual', () => {
  it('is byte equality', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
        expect(constantTimeEqual(a, Uint8Array.from(a))).toBe(true);
      }),
    );
  });
});

describe('lengthPrefixed', () => {
  it('keeps ("ab", "c") and ("a", "bc") apart', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(lengthPrefixed(enc('ab'), enc('c'))).not.toEqual(lengthPrefixed(enc('a'), enc('bc')));
  });
});
