import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { PinFormatError } from '../card.exception';

/** How many wrong PINs in a row lock the chip. */
export const PIN_TRIES = 3;

const PIN_FORMAT = /^\d{4}$/;

/** scrypt at 16 MiB per guess: slow enough that a copied store does not give the PIN away cheaply. */
const SCRYPT = { N: 1 << 14, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

/** What the chip keeps instead of the PIN. */
export interface PinVerifier {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  hash: string;
}

export function assertPinFormat(pin: unknown): asserts pin is string {
  if (typeof pin !== 'string' || !PIN_FORMAT.test(pin)) throw new PinFormatError();
}

export async function createPinVerifier(pin: string): Promise<PinVerifier> {
  assertPinFormat(pin);
  const salt = randomBytes(SCRYPT.saltLength);
  const hash = await derive(pin, salt, SCRYPT);
  return { algorithm: 'scrypt', N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, salt: salt.toString('base64url'), hash: hash.toString('base64url') };
}

/** Constant-time comparison of scrypt(pin) with the stored hash. */
export async function pinMatches(pin: string, verifier: PinVerifier): Promise<boolean> {
  const expected = Buffer.from(verifier.hash, 'base64url');
  const actual = await derive(pin, Buffer.from(verifier.salt, 'base64url'), { N: verifier.N, r: verifier.r, p: verifier.p, keyLength: expected.length });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function derive(pin: string, salt: Buffer, params: { N: number; r: number; p: number; keyLength: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, params.keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}
