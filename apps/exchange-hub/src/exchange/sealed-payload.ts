import { decodeProtectedHeader } from 'jose';
import { CONTENT_ENCRYPTION_ALGORITHM, KEY_MANAGEMENT_ALGORITHM } from '@myna/protocol';

/**
 * Whether an answer's payload is a compact JWE for the given encryption key. The
 * hub relays and keeps only ciphertext: a payload in the clear, or sealed to
 * anyone but the requester, is refused rather than forwarded.
 */
export function isSealedFor(payload: string, recipientKid: string): boolean {
  if (payload.split('.').length !== 5) return false;
  try {
    const header = decodeProtectedHeader(payload);
    return header.alg === KEY_MANAGEMENT_ALGORITHM && header.enc === CONTENT_ENCRYPTION_ALGORITHM && header.kid === recipientKid;
  } catch {
    return false;
  }
}
