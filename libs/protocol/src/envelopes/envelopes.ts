import { randomUUID } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, errors, UnsecuredJWT, type JWTPayload } from 'jose';
import {
  CONTENT_ENCRYPTION_ALGORITHM,
  KEY_MANAGEMENT_ALGORITHM,
  SIGNING_ALGORITHM,
  type ServiceKeyRing,
} from '../keys/key-ring';
import type { Service } from '../parties';
import { base64url, readCompactJws, signCompactEdDsa, verifyEd25519 } from './compact-jws';
import { EnvelopeError } from './envelope.exception';

export interface OutgoingMessage {
  /** Who the message is for (`aud`). */
  to: Service;
  /** Further audiences, for a message one party relays to another (e.g. an answer the hub forwards). */
  alsoTo?: readonly Service[];
  /** The message type, carried as the JWS `typ` header and checked on receipt. */
  type: string;
  claims: Record<string, unknown>;
  /** Seconds until it expires. */
  ttlSeconds: number;
  /** Message id (`jti`); a fresh UUID when absent. */
  id?: string;
}

export interface ExpectedMessage {
  type: string;
  /** Services allowed to have sent it. */
  from: readonly Service[];
  /** Oldest acceptable `iat`, in seconds, on top of `exp`. */
  maxAgeSeconds: number;
}

export interface VerifiedMessage<Claims = Record<string, unknown>> {
  id: string;
  from: Service;
  issuedAt: number;
  expiresAt: number;
  claims: Claims & JWTPayload;
}

const RESERVED = ['iss', 'aud', 'iat', 'exp', 'jti', 'nbf', 'sub'];

/**
 * Signs a message as this service (a JWT: JWS, EdDSA), with the claims and in the
 * order jose's `SignJWT` would write them; signed in this thread (compact-jws.ts).
 */
export async function signMessage(ring: ServiceKeyRing, message: OutgoingMessage): Promise<string> {
  const clash = Object.keys(message.claims).find((claim) => RESERVED.includes(claim));
  if (clash) throw new Error(`claim '${clash}' is set by the envelope, not the caller`);
  // A whole number of seconds, as jose's `setExpirationTime` took it (a negative one makes an expired message, for tests).
  if (!Number.isInteger(message.ttlSeconds)) throw new Error('a message lives a whole number of seconds');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    ...message.claims,
    iss: ring.service,
    aud: message.alsoTo?.length ? [message.to, ...message.alsoTo] : message.to,
    iat: now,
    exp: now + message.ttlSeconds,
    jti: message.id ?? randomUUID(),
  };
  return signCompactEdDsa(ring.signingKey, { alg: SIGNING_ALGORITHM, kid: ring.signingKid, typ: message.type }, JSON.stringify(claims));
}

/**
 * Verifies a message addressed to this service: EdDSA only, a key the directory
 * knows, `iss` equal to that key's owner, the expected type, audience and age.
 * The signature is checked in this thread (compact-jws.ts); every claim is then
 * checked by jose, with the options jose's `jwtVerify` would take, through its
 * `UnsecuredJWT.decode` over the verified payload. Same checks, same errors as
 * `jwtVerify` (the tests hold the two equal), without a trip to the thread pool.
 */
export async function verifyMessage<Claims = Record<string, unknown>>(
  ring: ServiceKeyRing,
  token: string,
  expected: ExpectedMessage,
): Promise<VerifiedMessage<Claims>> {
  const jws = typeof token === 'string' ? readCompactJws(token) : null;
  if (!jws) throw new EnvelopeError('malformed', 'not a compact JWS');
  const { alg, kid, typ } = jws.header;
  if (typeof alg !== 'string') throw new EnvelopeError('malformed', 'the JWS header names no algorithm');
  if (alg !== SIGNING_ALGORITHM) throw new EnvelopeError('algorithm-not-allowed', `algorithm ${alg} is not allowed`);
  const verifier = ring.verifierFor(typeof kid === 'string' ? kid : undefined);
  if (!verifier) throw new EnvelopeError('unknown-sender', `signing key ${String(kid)} belongs to no known service`);
  const signer = verifier.service;
  // No extension is understood, so none may be critical (RFC 7515 §4.1.11); jose refuses them too.
  if (jws.header.crit !== undefined) throw new EnvelopeError('malformed', 'the JWS header names a critical extension');
  if (!verifyEd25519(verifier.key, jws)) throw new EnvelopeError('bad-signature', `signature does not verify for ${signer}`);
  try {
    const verified = `${base64url(JSON.stringify(typeof typ === 'string' ? { alg: 'none', typ } : { alg: 'none' }))}.${jws.payload}.`;
    const { payload } = UnsecuredJWT.decode(verified, {
      audience: ring.service,
      issuer: [...expected.from],
      typ: expected.type,
      maxTokenAge: `${expected.maxAgeSeconds}s`,
      requiredClaims: ['iss', 'aud', 'iat', 'exp', 'jti'],
    });
    if (payload.iss !== signer) {
      throw new EnvelopeError('impersonation', `signed by ${signer} but claims to come from ${String(payload.iss)}`);
    }
    return {
      id: String(payload.jti),
      from: signer,
      issuedAt: payload.iat as number,
      expiresAt: payload.exp as number,
      claims: payload as Claims & JWTPayload,
    };
  } catch (error) {
    throw toEnvelopeError(error, signer);
  }
}

/** Signs as this service, then encrypts to the recipient (JWE A256KW under the edge key / A256GCM). */
export async function sealMessage(ring: ServiceKeyRing, message: OutgoingMessage): Promise<string> {
  const jws = await signMessage(ring, message);
  return encryptFor(ring, message.to, jws);
}

/**
 * Encrypts an already-signed token to a service; only that service (and this one)
 * can read it. A fresh content key, wrapped under K(this→to): `kid` names the
 * recipient's key and `skid` the sender's, the pair the edge key was derived from.
 */
export async function encryptFor(ring: ServiceKeyRing, to: Service, signedToken: string): Promise<string> {
  const recipient = ring.recipient(to);
  return new CompactEncrypt(new TextEncoder().encode(signedToken))
    .setProtectedHeader({ alg: KEY_MANAGEMENT_ALGORITHM, enc: CONTENT_ENCRYPTION_ALGORITHM, kid: recipient.kid, skid: ring.decryptionKid, cty: 'JWT' })
    .encrypt(ring.sendingKey(to).key);
}

/** Decrypts a JWE addressed to this service by a known one and returns the signed token inside. */
export async function decryptForMe(ring: ServiceKeyRing, jwe: string): Promise<string> {
  if (typeof jwe !== 'string' || jwe.split('.').length !== 5) throw new EnvelopeError('malformed', 'not a compact JWE');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwe);
  } catch {
    throw new EnvelopeError('malformed', 'unreadable JWE header');
  }
  if (header.kid !== ring.decryptionKid) {
    throw new EnvelopeError('not-for-me', `encrypted for key ${String(header.kid)}, not for ${ring.service}`);
  }
  if (header.alg !== KEY_MANAGEMENT_ALGORITHM || header.enc !== CONTENT_ENCRYPTION_ALGORITHM) {
    throw new EnvelopeError('algorithm-not-allowed', 'JWE algorithm is not allowed');
  }
  const edge = ring.receivingKeyFrom(typeof header.skid === 'string' ? header.skid : undefined);
  if (!edge) throw new EnvelopeError('unknown-sender', `sender key ${String(header.skid)} belongs to no known service`);
  try {
    const { plaintext } = await compactDecrypt(jwe, edge.key, {
      keyManagementAlgorithms: [KEY_MANAGEMENT_ALGORITHM],
      contentEncryptionAlgorithms: [CONTENT_ENCRYPTION_ALGORITHM],
    });
    return new TextDecoder().decode(plaintext);
  } catch (error) {
    if (error instanceof errors.JOSEAlgNotAllowed) throw new EnvelopeError('algorithm-not-allowed', 'JWE algorithm is not allowed');
    throw new EnvelopeError('not-for-me', `cannot decrypt: ${error instanceof Error ? error.message : 'unknown error'}`);
  }
}

/** Decrypts a sealed message addressed to this service and verifies the signature inside. */
export async function openMessage<Claims = Record<string, unknown>>(
  ring: ServiceKeyRing,
  jwe: string,
  expected: ExpectedMessage,
): Promise<VerifiedMessage<Claims>> {
  return verifyMessage<Claims>(ring, await decryptForMe(ring, jwe), expected);
}

function toEnvelopeError(error: unknown, signer: Service | undefined): EnvelopeError {
  if (error instanceof EnvelopeError) return error;
  if (error instanceof errors.JWTExpired) return new EnvelopeError('expired', 'message has expired');
  if (error instanceof errors.JOSEAlgNotAllowed) return new EnvelopeError('algorithm-not-allowed', 'algorithm is not allowed');
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new EnvelopeError('bad-signature', `signature does not verify${signer ? ` for ${signer}` : ''}`);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return new EnvelopeError('wrong-audience', 'message is addressed to another service');
    if (error.claim === 'iat' && /age|too old/i.test(error.message)) return new EnvelopeError('expired', 'message is too old');
    if (error.claim === 'typ') return new EnvelopeError('wrong-type', 'unexpected message type');
    if (error.claim === 'iss') return new EnvelopeError('unknown-sender', 'sender is not allowed to send this message');
    return new EnvelopeError('malformed', `claim ${error.claim}: ${error.reason}`);
  }
  return new EnvelopeError('malformed', error instanceof Error ? error.message : 'unreadable message');
}
