import { randomUUID, timingSafeEqual } from 'node:crypto';
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
      if (decodeProtectedHeader(token).kid !== this.ring.signingKid) throw new InvalidCredentialsError('the token was not issued by this service');
      const { payload } = await jwtVerify(token, this.verifyingKey, {
        algorithms: [SIGNING_ALGORITHM],
        typ: ACCESS_TOKEN_TYPE,
        issuer: this.ring.service,
        audience: this.ring.service,
        maxTokenAge: `${OPERATOR_TOKEN_TTL_SECONDS}s`,
        requiredClaims: ['exp', 'iat', 'sub', 'scope'],
      });
      const operator = this.operators.get(String(payload.sub));
      if (!operator || payload.client_id !== operator.clientId) throw new InvalidCredentialsError('the token names a client this service no longer knows');
      const roles = String(payload.scope)
        .split(' ')
        .filter((role): role is OperatorRole => operator.roles.includes(role as OperatorRole));
      return { kind: 'operator', clientId: operator.clientId, roles };
    } catch (error) {
      if (error instanceof InvalidCredentialsError) throw error;
      if (error instanceof errors.JWTExpired) throw new InvalidCredentialsError('the access token has expired; ask the token endpoint for a new one');
      throw new InvalidCredentialsError('the access token is not valid here');
    }
  }
}

function secretMatches(expectedHash: string, secret: string): boolean {
  const given = Buffer.from(operatorSecretHash(secret));
  const expected = Buffer.from(expectedHash);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
