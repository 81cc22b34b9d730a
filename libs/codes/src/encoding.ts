import { CodesError, type CodesSubject } from './codes.exception';

// Strict, unpadded base64url (RFC 4648 §5). Written out rather than using Buffer,
// whose decoder silently skips invalid characters.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES: ReadonlyMap<string, number> = new Map([...ALPHABET].map((char, value) => [char, value]));

export function toBase64url(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < chars; j++) text += ALPHABET[(chunk >> (18 - 6 * j)) & 63];
  }
  return text;
}

/** Decodes canonical unpadded base64url, or returns null (bad character, bad length, stray bits). */
export function fromBase64url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let out = 0;
  for (const char of text) {
    const value = VALUES.get(char);
    if (value === undefined) return null;
    buffer = ((buffer << 6) | value) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (buffer >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, so that every byte string has exactly one encoding.
  if ((buffer & ((1 << bits) - 1)) !== 0) return null;
  return bytes;
}

/**
 * Text form of every value this library exchanges: `<prefix>` (kind and version,
 * e.g. `ac1.`) followed by base64url of a fixed number of bytes.
 */
export function encodeTagged(prefix: string, bytes: Uint8Array): string {
  return prefix + toBase64url(bytes);
}

export function decodeTagged(text: unknown, prefix: string, length: number, subject: CodesSubject, what: string): Uint8Array {
  if (typeof text !== 'string') throw new CodesError(subject, 'wrong-type', `${what} must be a string`);
  if (!text.startsWith(prefix)) throw new CodesError(subject, 'bad-prefix', `${what} must start with '${prefix}'`);
  const bytes = fromBase64url(text.slice(prefix.length));
  if (bytes === null) throw new CodesError(subject, 'bad-base64url', `${what} is not canonical unpadded base64url`);
  if (bytes.length !== length) {
    throw new CodesError(subject, 'wrong-length', `${what} must encode ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** Equality whose running time depends on the length only, not on where the bytes differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Unambiguous concatenation: each part is preceded by its 4-byte big-endian length. */
export function lengthPrefixed(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + 4 + part.length, 0));
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const part of parts) {
    view.setUint32(offset, part.length);
    out.set(part, offset + 4);
    offset += 4 + part.length;
  }
  return out;
}
