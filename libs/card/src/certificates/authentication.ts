import { createPublicKey, verify } from 'node:crypto';
import type { Ed25519PublicJwk } from './card-certificate';

/**
 * What a chip signs to log a holder in: a fixed context, the relying party's
 * name and its one-time nonce. Naming the relying party keeps a signature made
 * for one service from being accepted by another.
 */
export const AUTHENTICATION_CONTEXT = 'myna-card/user-authentication/v1';

export function authenticationMessage(relyingParty: string, nonce: string): Uint8Array {
  if (/[\n\r]/.test(relyingParty) || /[\n\r]/.test(nonce)) throw new Error('relying party and nonce must be single lines');
  return new TextEncoder().encode(`${AUTHENTICATION_CONTEXT}\n${relyingParty}\n${nonce}`);
}

/** Ed25519 signatures are 64 bytes: 86 characters of base64url. */
export const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{86}$/;

export function verifyAuthenticationSignature(publicKey: Ed25519PublicJwk, message: Uint8Array, signature: string): boolean {
  if (!SIGNATURE_PATTERN.test(signature)) return false;
  const key = createPublicKey({ key: { kty: publicKey.kty, crv: publicKey.crv, x: publicKey.x }, format: 'jwk' });
  return verify(null, message, key, Buffer.from(signature, 'base64url'));
}
