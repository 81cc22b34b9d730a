import { calculateJwkThumbprint, errors, jwtVerify, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { z } from 'zod';
import { CertificateError } from '../card.exception';
import { CODE_ISSUER } from '@myna/protocol';

/**
 * The card's user-authentication certificate (利用者証明用電子証明書), as code-issuer
 * signs it: a compact JWS (EdDSA) binding a certificate serial to the chip's
 * public key (`cnf.jwk`, RFC 7800) for a validity period. It names no one: no My
 * Number, no name, no address. A relying party learns from it only that the
 * issuer vouches for this key.
 */
export const CARD_ISSUER = CODE_ISSUER;
export const CARD_CERTIFICATE_TYPE = 'card-certificate+jwt';
/** The issuer's signed answer to a status check (OCSP-like: serial, status, the asker's nonce). */
export const CARD_STATUS_TYPE = 'card-status+jwt';
/** The issuer's authorization for one chip to accept a new PIN. */
export const CARD_PIN_RESET_TYPE = 'card-pin-reset+jwt';

const ALGORITHM = 'EdDSA';
/** Five years, as for the real user-authentication certificate. */
export const CARD_CERTIFICATE_VALIDITY_DAYS = 5 * 365;
export const CARD_STATUS_TTL_SECONDS = 60;
export const PIN_RESET_TTL_SECONDS = 300;

/** 80 random bits as 20 upper-case hex digits; drawn by the issuer, derived from nothing about the holder. */
export const CERTIFICATE_SERIAL_PATTERN = /^[0-9A-F]{20}$/;
export const certificateSerialSchema = z.string().regex(CERTIFICATE_SERIAL_PATTERN, 'certificate serial must be 20 hex digits (0-9, A-F)');

export const CERTIFICATE_STATUSES = ['valid', 'suspended', 'revoked', 'expired'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const ed25519PublicJwkSchema = z.strictObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'x must be a 32-byte key in base64url'),
});
export type Ed25519PublicJwk = z.infer<typeof ed25519PublicJwkSchema>;

/** The issuer's public key as a chip keeps it (its trust anchor). */
export const issuerPublicKeySchema = z.strictObject({ kid: z.string().min(1).max(200), jwk: ed25519PublicJwkSchema });
export type IssuerPublicKey = z.infer<typeof issuerPublicKeySchema>;

/** The issuer's own signing key, as code-issuer's key ring holds it. */
export interface IssuerSigningKey {
  kid: string;
  key: KeyLike | Uint8Array;
}

/** Finds the issuer's public key for a `kid`; undefined when the kid is not the issuer's. */
export type IssuerKeyResolver = (kid: string | undefined) => KeyLike | Uint8Array | undefined | Promise<KeyLike | Uint8Array | undefined>;

export interface CardCertificate {
  serial: string;
  publicKey: Ed25519PublicJwk;
  issuedAt: Date;
  expiresAt: Date;
}

const certificateClaimsSchema = z.object({
  iss: z.literal(CARD_ISSUER),
  sub: certificateSerialSchema,
  cnf: z.strictObject({ jwk: ed25519PublicJwkSchema }),
  iat: z.number(),
  nbf: z.number(),
  exp: z.number(),
});

export function publicKeyThumbprint(jwk: Ed25519PublicJwk): Promise<string> {
  return calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, 'sha256');
}

export async function signCardCertificate(issuer: IssuerSigningKey, certificate: CardCertificate): Promise<string> {
  const publicKey = ed25519PublicJwkSchema.parse(certificate.publicKey);
  return new SignJWT({ cnf: { jwk: publicKey } })
    .setProtectedHeader({ alg: ALGORITHM, kid: issuer.kid, typ: CARD_CERTIFICATE_TYPE })
    .setIssuer(CARD_ISSUER)
    .setSubject(certificateSerialSchema.parse(certificate.serial))
    .setIssuedAt(seconds(certificate.issuedAt))
    .setNotBefore(seconds(certificate.issuedAt))
    .setExpirationTime(seconds(certificate.expiresAt))
    .sign(issuer.key);
}

/** Checks the issuer's signature (EdDSA only), the type and the validity period. */
export async function verifyCardCertificate(token: unknown, resolveKey: IssuerKeyResolver, now = new Date()): Promise<CardCertificate> {
  const payload = await verifyIssuerToken(token, resolveKey, CARD_CERTIFICATE_TYPE, { currentDate: now, requiredClaims: ['iss', 'sub', 'iat', 'nbf', 'exp'] }, 'certificate');
  const claims = certificateClaimsSchema.safeParse(payload);
  if (!claims.success) throw new CertificateError('the certificate does not have the claims of a card certificate');
  return {
    serial: claims.data.sub,
    publicKey: claims.data.cnf.jwk,
    issuedAt: new Date(claims.data.iat * 1000),
    expiresAt: new Date(claims.data.exp * 1000),
  };
}

export interface CardStatusClaims {
  serial: string;
  status: CertificateStatus;
  /** The relying party's nonce, echoed so that an old "valid" cannot be replayed. */
  nonce?: string;
}

export async function signCardStatus(issuer: IssuerSigningKey, status: CardStatusClaims, now = new Date()): Promise<string> {
  return new SignJWT({ status: status.status, ...(status.nonce ? { nonce: status.nonce } : {}) })
    .setProtectedHeader({ alg: ALGORITHM, kid: issuer.kid, typ: CARD_STATUS_TYPE })
    .setIssuer(CARD_ISSUER)
    .setSubject(certificateSerialSchema.parse(status.serial))
    .setIssuedAt(seconds(now))
    .setExpirationTime(seconds(now) + CARD_STATUS_TTL_SECONDS)
    .sign(issuer.key);
}

const statusClaimsSchema = z.object({ sub: certificateSerialSchema, status: z.enum(CERTIFICATE_STATUSES), nonce: z.string().optional(), iat: z.number() });

/** Checks a status answer is the issuer's, fresh, about this serial, and for this nonce. */
export async function verifyCardStatus(
  token: unknown,
  resolveKey: IssuerKeyResolver,
  expected: { serial: string; nonce: string },
): Promise<{ status: CertificateStatus; checkedAt: Date }> {
  const payload = await verifyIssuerToken(token, resolveKey, CARD_STATUS_TYPE, { maxTokenAge: `${CARD_STATUS_TTL_SECONDS}s`, requiredClaims: ['iss', 'sub', 'iat', 'exp'] }, 'status answer');
  const claims = statusClaimsSchema.safeParse(payload);
  if (!claims.success) throw new CertificateError('the status answer does not have the claims of a card status');
  if (claims.data.sub !== expected.serial) throw new CertificateError('the status answer is about another certificate');
  if (claims.data.nonce !== expected.nonce) throw new CertificateError('the status answer does not carry this check\'s nonce');
  return { status: claims.data.status, checkedAt: new Date(claims.data.iat * 1000) };
}

export interface PinResetClaims {
  serial: string;
  /** RFC 7638 thumbprint of the chip's public key: the authorization fits one chip only. */
  keyThumbprint: string;
  /** The nonce the chip drew when the reset began: an authorization works once. */
  nonce: string;
}

export async function signPinResetAuthorization(issuer: IssuerSigningKey, reset: PinResetClaims, now = new Date()): Promise<string> {
  return new SignJWT({ jkt: reset.keyThumbprint, nonce: reset.nonce })
    .setProtectedHeader({ alg: ALGORITHM, kid: issuer.kid, typ: CARD_PIN_RESET_TYPE })
    .setIssuer(CARD_ISSUER)
    .setSubject(certificateSerialSchema.parse(reset.serial))
    .setIssuedAt(seconds(now))
    .setExpirationTime(seconds(now) + PIN_RESET_TTL_SECONDS)
    .sign(issuer.key);
}

const pinResetClaimsSchema = z.object({ sub: certificateSerialSchema, jkt: z.string(), nonce: z.string() });

export async function verifyPinResetAuthorization(token: unknown, issuerKey: KeyLike | Uint8Array, expected: PinResetClaims): Promise<void> {
  const payload = await verifyIssuerToken(token, () => issuerKey, CARD_PIN_RESET_TYPE, { maxTokenAge: `${PIN_RESET_TTL_SECONDS}s`, requiredClaims: ['iss', 'sub', 'iat', 'exp'] }, 'PIN-reset authorization');
  const claims = pinResetClaimsSchema.safeParse(payload);
  if (!claims.success) throw new CertificateError('the PIN-reset authorization does not have the expected claims');
  if (claims.data.sub !== expected.serial || claims.data.jkt !== expected.keyThumbprint) {
    throw new CertificateError('the PIN-reset authorization is for another card');
  }
  if (claims.data.nonce !== expected.nonce) throw new CertificateError('the PIN-reset authorization is not for this reset (stale or replayed)');
}

async function verifyIssuerToken(
  token: unknown,
  resolveKey: IssuerKeyResolver,
  type: string,
  options: { currentDate?: Date; maxTokenAge?: string; requiredClaims: string[] },
  what: string,
): Promise<JWTPayload> {
  if (typeof token !== 'string' || token.length > 8192 || token.split('.').length !== 3) {
    throw new CertificateError(`the ${what} is not a compact JWS`);
  }
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        if (header.alg !== ALGORITHM) throw new CertificateError(`the ${what} uses algorithm ${String(header.alg)}, not ${ALGORITHM}`);
        const key = await resolveKey(header.kid);
        if (!key) throw new CertificateError(`the ${what} is signed by a key that is not the issuer's`);
        return key;
      },
      { algorithms: [ALGORITHM], issuer: CARD_ISSUER, typ: type, ...options },
    );
    return payload;
  } catch (error) {
    if (error instanceof CertificateError) throw error;
    if (error instanceof errors.JWTExpired) throw new CertificateError(`the ${what} has expired`);
    if (error instanceof errors.JWSSignatureVerificationFailed) throw new CertificateError(`the ${what}'s signature does not verify`);
    if (error instanceof errors.JWTClaimValidationFailed) throw new CertificateError(`the ${what} is not acceptable: ${error.claim} ${error.reason}`);
    throw new CertificateError(`the ${what} is unreadable`);
  }
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
