import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { CardStoreError } from '../card.exception';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM under the store key; `context` (card id and part) is bound as
 * associated data, so one card's sealed state cannot be swapped into another's.
 * Output: base64url(iv ‖ ciphertext ‖ tag).
 */
export function seal(key: KeyObject, context: string, plaintext: Uint8Array): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url');
}

export function unseal(key: KeyObject, context: string, sealed: string): Buffer {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new CardStoreError(`sealed ${context} is too short`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new CardStoreError(`sealed ${context} does not open under this store's key (damaged, or another store's)`);
  }
}
