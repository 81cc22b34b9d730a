import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CARD_CERTIFICATE_VALIDITY_DAYS,
  publicKeyThumbprint,
  signCardCertificate,
  signCardStatus,
  signPinResetAuthorization,
  type CertificateStatus,
  type Ed25519PublicJwk,
  type IssuerPublicKey,
  type IssuerSigningKey,
} from '@myna/card';
import type { CardCertificateEntity, RevocationReason } from './card-certificate.entity';
import { CARD_ISSUER_PUBLIC_KEY, CARD_SIGNING_KEY } from './card-signing-key.provider';
import { CardsException } from './cards.exception';
import { CardsRepository, type CardEvent } from './cards.repository';
import { normaliseFact } from '../register/basic-facts';

export interface IssueCardRequest {
  myNumber?: string;
  residenceCode?: string;
  publicKey: Ed25519PublicJwk;
}

export interface IssuedCard {
  certificateSerial: string;
  certificate: string;
  issuedAt: string;
  expiresAt: string;
  /** Earlier certificates of the same citizen, revoked by this issuance. */
  superseded: string[];
}

export interface CertificateStatusView {
  certificateSerial: string;
  status: CertificateStatus;
  expiresAt: string;
  /** When the status last changed to suspended or revoked. */
  changedAt: string | null;
}

const DAY_MS = 86_400_000;
/** Serial collisions are 1 in 2^80; one redraw is more than enough. */
const SERIAL_DRAWS = 3;

/**
 * Card certificates at the issuer (the JPKI role): issuance when a card is made,
 * the suspension hotline, revocation, the status check relying parties make on
 * every login, and the authorization a chip needs to take a new PIN.
 */
@Injectable()
export class CardsService {
  private readonly logger = new Logger('cards');

  constructor(
    private readonly repository: CardsRepository,
    @Inject(CARD_SIGNING_KEY) private readonly signingKey: IssuerSigningKey,
    @Inject(CARD_ISSUER_PUBLIC_KEY) private readonly publicKey: IssuerPublicKey,
  ) {}

  issuerKey(): IssuerPublicKey {
    return this.publicKey;
  }

  async issue(request: IssueCardRequest): Promise<IssuedCard> {
    const identifier =
      request.myNumber !== undefined && request.residenceCode === undefined
        ? { myNumber: request.myNumber }
        : request.residenceCode !== undefined && request.myNumber === undefined
          ? { residenceCode: request.residenceCode }
          : undefined;
    if (!identifier) throw new CardsException('identifier-required', 'give exactly one of myNumber and residenceCode');
    const citizenId = await this.repository.findCitizenId(identifier);
    if (!citizenId) throw new CardsException('citizen-not-found', 'no citizen with this identifier is registered');

    const thumbprint = await publicKeyThumbprint(request.publicKey);
    const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const expiresAt = new Date(issuedAt.getTime() + CARD_CERTIFICATE_VALIDITY_DAYS * DAY_MS);
    for (let draw = 0; draw < SERIAL_DRAWS; draw++) {
      const serial = randomBytes(10).toString('hex').toUpperCase();
      if (await this.repository.find(serial)) continue;
      const outcome = await this.repository.issue({ serial, citizenId, publicKeyThumbprint: thumbprint, issuedAt, expiresAt });
      if (outcome === 'key-taken') throw new CardsException('public-key-already-certified', 'this public key is already certified: a chip makes a fresh key for every card');
      if (outcome === 'conflict') throw new CardsException('issuance-conflict', 'another card is being issued to this citizen right now; try again');
      const certificate = await signCardCertificate(this.signingKey, { serial, publicKey: request.publicKey, issuedAt, expiresAt });
      this.logger.log({ certificateSerial: serial, superseded: outcome.superseded }, 'card certificate issued');
      return { certificateSerial: serial, certificate, issuedAt: issuedAt.toISOString(), expiresAt: expiresAt.toISOString(), superseded: outcome.superseded };
    }
    throw new Error(`no unused certificate serial after ${SERIAL_DRAWS} draws`);
  }

  /** The status, as JSON for people and as an issuer-signed token (with the asker's nonce) for relying parties. */
  async status(serial: string, nonce?: string): Promise<CertificateStatusView & { statusToken: string }> {
    const view = await this.view(serial, await this.repository.find(serial));
    return { ...view, statusToken: await signCardStatus(this.signingKey, { serial, status: view.status, nonce }) };
  }

  /**
   * The hotline, open to anyone at any hour: suspends a valid certificate at once
   * when the caller names its holder (name and date of birth), and the next
   * status check already says so. It answers the same whatever happened, so it
   * tells a caller neither whether the serial exists nor which fact was wrong.
   */
  async reportLost(serial: string, holder: { name: string; dateOfBirth: string }): Promise<void> {
    await this.repository.suspendIfHolder(serial, { name: normaliseFact(holder.name), dateOfBirth: holder.dateOfBirth });
    this.logger.log('card suspension requested at the hotline');
  }

  /** Lifts a suspension (a registrar, once the holder has the card back). */
  async resume(serial: string): Promise<CertificateStatusView> {
    const view = await this.view(serial, await this.repository.resume(serial));
    this.logger.log({ certificateSerial: serial, status: view.status }, 'card suspension lifted');
    return view;
  }

  /** Every event of every card of this certificate's holder: what the citizen sees of their cards in the portal. */
  async events(serial: string): Promise<CardEvent[]> {
    return this.repository.eventsOfHolder(serial);
  }

  async revoke(serial: string, reason: Exclude<RevocationReason, 'superseded'>): Promise<CertificateStatusView> {
    const view = await this.view(serial, await this.repository.revoke(serial, reason));
    this.logger.log({ certificateSerial: serial, reason }, 'card certificate revoked');
    return view;
  }

  /**
   * Signs the authorization a locked (or forgetful) chip needs to take a new
   * PIN: bound to this certificate, to the key the issuer certified, and to the
   * nonce the chip drew. Only for a certificate still in use.
   */
  async authorizePinReset(serial: string, request: { keyThumbprint: string; nonce: string }): Promise<{ authorization: string }> {
    const certificate = await this.repository.find(serial);
    if (!certificate) throw new CardsException('certificate-not-found', `no card certificate ${serial}`);
    if (certificate.publicKeyThumbprint !== request.keyThumbprint) {
      throw new CardsException('public-key-mismatch', 'the chip asking is not the one this certificate was issued to');
    }
    if (!(await this.repository.recordPinReset(serial))) {
      const view = await this.view(serial, certificate);
      throw new CardsException('certificate-not-valid', `the certificate is ${view.status}: a PIN reset needs a certificate in use`);
    }
    this.logger.log({ certificateSerial: serial }, 'PIN reset authorized');
    return { authorization: await signPinResetAuthorization(this.signingKey, { serial, keyThumbprint: request.keyThumbprint, nonce: request.nonce }) };
  }

  private async view(serial: string, certificate: CardCertificateEntity | null): Promise<CertificateStatusView> {
    if (!certificate) throw new CardsException('certificate-not-found', `no card certificate ${serial}`);
    const status: CertificateStatus = certificate.status === 'valid' && certificate.expiresAt <= new Date() ? 'expired' : certificate.status;
    const changedAt = certificate.revokedAt ?? certificate.suspendedAt;
    return { certificateSerial: certificate.serial, status, expiresAt: certificate.expiresAt.toISOString(), changedAt: changedAt ? changedAt.toISOString() : null };
  }
}
