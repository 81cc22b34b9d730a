import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan } from 'typeorm';
import { authenticationMessage, CertificateError, verifyAuthenticationSignature, verifyCardCertificate } from '@myna/card';
import { CardIssuerClient } from '../issuer-client/card-issuer.client';
import { PORTAL_SETTINGS, type PortalSettings } from '../portal-settings';
import { SessionService } from '../sessions/session.service';
import type { CompleteLoginDto, LoginChallengeDto } from './dtos/login.dto';
import { LoginChallenge } from './login-challenge.entity';
import { LoginRefusedError } from './login.exception';

/** Long enough to type a PIN, short enough that a stolen challenge is soon worthless. */
export const CHALLENGE_TTL_SECONDS = 120;

/**
 * Sign-in with a My Number Card, challenge-response: the portal issues a
 * one-time nonce; the chip signs it after the PIN; the portal checks the
 * signature against the certificate, the certificate against the issuer's key,
 * and the certificate's status at the issuer — on every sign-in — then asks the
 * issuer for its own code for the holder. That code is all the session keeps.
 */
@Injectable()
export class LoginService {
  private readonly logger = new Logger('sign-in');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CardIssuerClient) private readonly issuer: CardIssuerClient,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
  ) {}

  async challenge(): Promise<LoginChallengeDto> {
    const repository = this.dataSource.getRepository(LoginChallenge);
    await repository.delete({ expiresAt: LessThan(new Date(Date.now() - 3600_000)) });
    const challenge = { id: randomUUID(), nonce: randomBytes(32).toString('base64url'), expiresAt: new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000) };
    await repository.insert(challenge);
    return {
      challengeId: challenge.id,
      toBeSigned: Buffer.from(authenticationMessage(this.settings.relyingParty, challenge.nonce)).toString('base64url'),
      expiresAt: challenge.expiresAt.toISOString(),
    };
  }

  /** Verifies everything, in order, and returns the new session's Set-Cookie value; throws LoginRefusedError. */
  async complete(attempt: CompleteLoginDto): Promise<string> {
    try {
      const nonce = await this.consume(attempt.challengeId);
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
      const cookie = await this.sessions.start(portalCode);
      this.logger.log('signed in');
      return cookie;
    } catch (error) {
      if (error instanceof LoginRefusedError) this.logger.warn({ reason: error.reason, detail: error.detail }, 'sign-in refused');
      throw error;
    }
  }

  /** Marks the challenge used, in one statement: of two attempts with one nonce, one at most gets it. */
  private async consume(challengeId: string): Promise<string> {
    const result: unknown = await this.dataSource.query(
      'UPDATE login_challenge SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now() RETURNING nonce',
      [challengeId],
    );
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, rowCount].
    const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as { nonce: string }[];
    if (rows.length === 0) throw new LoginRefusedError('challenge-invalid');
    return rows[0].nonce;
  }
}
