import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { authenticationMessage, CertificateError, verifyAuthenticationSignature, verifyCardCertificate } from '@myna/card';
import { CardIssuerClient } from '../issuer-client/card-issuer.client';
import { PORTAL_SETTINGS, type PortalSettings } from '../portal-settings';
import { readCookie, sessionCookie, signInCookieName } from '../sessions/session-cookie';
import { SessionService } from '../sessions/session.service';
import type { CompleteLoginDto, LoginChallengeDto } from './dtos/login.dto';
import { LoginChallengeRepository } from './login-challenge.repository';
import { LoginRefusedError } from './login.exception';

/** Long enough to type a PIN, short enough that a stolen challenge is soon worthless. */
export const CHALLENGE_TTL_SECONDS = 120;
/** Sign-ins in progress at once; beyond this a new one waits for others to finish or expire. */
export const MAX_PENDING_CHALLENGES = 10_000;

const BINDING = /^[A-Za-z0-9_-]{43}$/;

/**
 * Sign-in with a My Number Card, challenge-response: the portal issues a
 * one-time nonce, bound to the browser that asked (a cookie only it holds); the
 * chip signs it after the PIN; the portal checks the signature against the
 * certificate, the certificate against the issuer's key, and the certificate's
 * status at the issuer — on every sign-in — then asks the issuer for its own
 * code for the holder. The session keeps that code, and the card sealed.
 */
@Injectable()
export class LoginService {
  private readonly logger = new Logger('sign-in');
  readonly cookieName: string;

  constructor(
    @Inject(LoginChallengeRepository) private readonly challenges: LoginChallengeRepository,
    @Inject(CardIssuerClient) private readonly issuer: CardIssuerClient,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
  ) {
    this.cookieName = signInCookieName(settings.secureCookies);
  }

  /** A new challenge, and the Set-Cookie value that binds it to this browser. */
  async challenge(): Promise<{ challenge: LoginChallengeDto; cookie: string }> {
    await this.challenges.deleteExpired();
    const pending = await this.challenges.countPending();
    if (pending >= MAX_PENDING_CHALLENGES) throw new LoginRefusedError('too-many-sign-ins');
    const binding = randomBytes(32).toString('base64url');
    const challenge = {
      id: randomUUID(),
      nonce: randomBytes(32).toString('base64url'),
      bindingHash: hash(binding),
      expiresAt: new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000),
    };
    await this.challenges.add(challenge);
    return {
      challenge: {
        challengeId: challenge.id,
        toBeSigned: Buffer.from(authenticationMessage(this.settings.relyingParty, challenge.nonce)).toString('base64url'),
        expiresAt: challenge.expiresAt.toISOString(),
      },
      cookie: sessionCookie(this.cookieName, binding, { maxAgeSeconds: CHALLENGE_TTL_SECONDS, secure: this.settings.secureCookies }),
    };
  }

  /** Clears the sign-in cookie once it has served. */
  clearSignInCookie(): string {
    return sessionCookie(this.cookieName, '', { maxAgeSeconds: 0, secure: this.settings.secureCookies });
  }

  /** Verifies everything, in order, and returns the new session's Set-Cookie value; throws LoginRefusedError. */
  async complete(attempt: CompleteLoginDto, cookieHeader: string | undefined): Promise<string> {
    try {
      const nonce = await this.consume(attempt.challengeId, readCookie(cookieHeader, this.cookieName));
      const certificate = await verifyCardCertificate(attempt.certificate, this.issuer.resolveIssuerKey).catch((error: unknown) => {
        if (error instanceof CertificateError) throw new LoginRefusedError('certificate-invalid', error.message);
        throw error;
      });
      if (!verifyAuthenticationSignature(certificate.publicKey, authenticationMessage(this.settings.relyingParty, nonce), attempt.signature)) {
        throw new LoginRefusedError('signature-invalid');
      }
      const status = await this.issuer.certificateStatus(certificate.serial);
      if (status !== 'valid') throw new LoginRefusedError(`certificate-${status}`);
      const portalCode = await this.issuer.portalCode(certificate.serial);
      const holder = attempt.holderName ? { name: attempt.holderName, photo: attempt.holderPhoto } : undefined;
      const cookie = await this.sessions.start(portalCode, certificate.serial, holder);
      this.logger.log('signed in');
      return cookie;
    } catch (error) {
      if (error instanceof LoginRefusedError) this.logger.warn({ code: error.code, detail: error.detail }, 'sign-in refused');
      throw error;
    }
  }

  /** Marks the challenge used, in one statement: of two attempts with one nonce, one at most gets it, and only from the browser it was given to. */
  private async consume(challengeId: string, binding: string | undefined): Promise<string> {
    if (!binding || !BINDING.test(binding)) throw new LoginRefusedError('challenge-invalid', 'no sign-in cookie');
    const nonce = await this.challenges.consume(challengeId, hash(binding));
    if (nonce === undefined) throw new LoginRefusedError('challenge-invalid');
    return nonce;
  }
}

function hash(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
