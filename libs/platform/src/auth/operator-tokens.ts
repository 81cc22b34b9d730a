import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { decodeProtectedHeader, errors, jwtVerify, SignJWT, type KeyLike } from 'jose';
import {
  ACCESS_TOKEN_TYPE,
  OPERATOR_TOKEN_TTL_SECONDS,
  operatorSecretHash,
  SIGNING_ALGORITHM,
  type OperatorRole,
  type RegisteredOperator,
  type ServiceKeyRing,
} from '@myna/protocol';
import { SERVICE_KEYS } from '../config/service-config.token';
import { InvalidCredentialsError } from './access.exception';
import type { Principal } from './principal';
import { BoundedMap } from '../memory/bounded-map';

/** What a verified token said, kept until it expires. */
interface VerifiedToken {
  subject: string;
  clientId: unknown;
  scope: string;
  /** ms since the epoch: the earlier of `exp` and `iat` plus the tokens' lifetime. */
  validUntil: number;
}

/** Verified tokens kept at most: an operator client holds one token at a time, and a service has a handful of clients. */
const VERIFIED_TOKENS_KEPT = 1_000;

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  scope: string;
}

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) for this service's operators, with
 * JWT access tokens (RFC 9068): the service signs them with its own key, for
 * itself only (`iss` = `aud` = the service), for five minutes, with the granted
 * roles as `scope`. The operators' secrets are checked against the hashes in the
 * service's key file; nothing about them is stored.
 */
@Injectable()
export class OperatorTokens {
  private readonly operators: ReadonlyMap<string, RegisteredOperator>;
  private readonly verifyingKey: KeyLike | Uint8Array | undefined;
  /**
   * Tokens already verified, by their SHA-256: a client sends the same token with every
   * request for five minutes, and its signature and claims cannot change meanwhile. The
   * client is still looked up on every request, and an expired token is verified (and
   * refused) again.
   */
  private readonly verified = new BoundedMap<string, VerifiedToken>(VERIFIED_TOKENS_KEPT);

  constructor(@Inject(SERVICE_KEYS) private readonly ring: ServiceKeyRing | null) {
    this.operators = new Map((ring?.operators ?? []).map((operator) => [operator.clientId, operator]));
    this.verifyingKey = ring ? ring.verifierFor(ring.signingKid)?.key : undefined;
  }

  /** Checks the client's secret and issues a token for the requested roles (all its roles when none are asked). */
  async issue(clientId: string, clientSecret: string, requestedScope?: string): Promise<IssuedToken> {
    const operator = this.operators.get(clientId);
    if (!this.ring || !operator || !secretMatches(operator.secretHash, clientSecret)) throw new InvalidCredentialsError('unknown client or wrong secret');
    const requested = requestedScope?.split(' ').filter(Boolean) ?? [...operator.roles];
    const granted = requested.filter((role): role is OperatorRole => operator.roles.includes(role as OperatorRole));
    if (granted.length === 0 || granted.length !== new Set(requested).size) {
      throw new InvalidCredentialsError(`this client may ask only for ${operator.roles.join(' ')}`);
    }
    const accessToken = await new SignJWT({ client_id: clientId, scope: granted.join(' ') })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid: this.ring.signingKid })
      .setIssuer(this.ring.service)
      .setAudience(this.ring.service)
      .setSubject(clientId)
      .setIssuedAt()
      .setExpirationTime(`${OPERATOR_TOKEN_TTL_SECONDS}s`)
      .setJti(randomUUID())
      .sign(this.ring.signingKey);
    return { accessToken, expiresIn: OPERATOR_TOKEN_TTL_SECONDS, scope: granted.join(' ') };
  }

  /** The operator a bearer token names: EdDSA, at+jwt, issued by and for this service, unexpired, for a client it still knows. */
  async verify(token: string): Promise<Extract<Principal, { kind: 'operator' }>> {
    if (!this.ring || !this.verifyingKey) throw new InvalidCredentialsError('this service issues no operator tokens');
    try {
      const verified = await this.verifiedToken(this.ring, this.verifyingKey, token);
      const operator = this.operators.get(verified.subject);
      if (!operator || verified.clientId !== operator.clientId) throw new InvalidCredentialsError('the token names a client this service no longer knows');
      const roles = verified.scope
        .split(' ')
        .filter((role): role is OperatorRole => operator.roles.includes(role as OperatorRole));
      return { kind: 'operator', clientId: operator.clientId, roles };
    } catch (error) {
      if (error instanceof InvalidCredentialsError) throw error;
      if (error instanceof errors.JWTExpired) throw new InvalidCredentialsError('the access token has expired; ask the token endpoint for a new one');
      throw new InvalidCredentialsError('the access token is not valid here');
    }
  }

  /** The token's claims, from the cache of verified tokens or by verifying it: EdDSA, at+jwt, issued by and for this service, unexpired. */
  private async verifiedToken(ring: ServiceKeyRing, key: KeyLike | Uint8Array, token: string): Promise<VerifiedToken> {
    const digest = createHash('sha256').update(token).digest('base64url');
    const known = this.verified.get(digest);
    if (known && Date.now() < known.validUntil) return known;
    this.verified.delete(digest);
    if (decodeProtectedHeader(token).kid !== ring.signingKid) throw new InvalidCredentialsError('the token was not issued by this service');
    const { payload } = await jwtVerify(token, key, {
      algorithms: [SIGNING_ALGORITHM],
      typ: ACCESS_TOKEN_TYPE,
      issuer: ring.service,
      audience: ring.service,
      maxTokenAge: `${OPERATOR_TOKEN_TTL_SECONDS}s`,
      requiredClaims: ['exp', 'iat', 'sub', 'scope'],
    });
    const verified: VerifiedToken = {
      subject: String(payload.sub),
      clientId: payload.client_id,
      scope: String(payload.scope),
      validUntil: Math.min(Number(payload.exp), Number(payload.iat) + OPERATOR_TOKEN_TTL_SECONDS) * 1000,
    };
    this.verified.set(digest, verified);
    return verified;
  }
}

function secretMatches(expectedHash: string, secret: string): boolean {
  const given = Buffer.from(operatorSecretHash(secret));
  const expected = Buffer.from(expectedHash);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
