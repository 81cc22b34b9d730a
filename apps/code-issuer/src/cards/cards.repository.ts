import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUniqueViolation } from '@myna/platform';
import { ProcessingSerial } from '@myna/codes';
import { MYNA_PORTAL } from '@myna/protocol';
import { DataSource } from 'typeorm';
import { CardCertificateEntity, type RevocationReason, type StoredCertificateStatus } from './card-certificate.entity';

export interface NewCertificate {
  serial: string;
  citizenId: string;
  publicKeyThumbprint: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** What the portal-code answer needs: the status, and the holder's processing serial (never leaves the issuer). */
export interface CertificateHolder {
  citizenId: string;
  status: StoredCertificateStatus;
  expiresAt: Date;
  processingSerial: ProcessingSerial;
}

/** What the citizen sees of their cards' lives in the portal. */
export const CARD_EVENT_KINDS = ['issued', 'superseded', 'suspended', 'resumed', 'pin-reset', 'revoked'] as const;
export type CardEventKind = (typeof CARD_EVENT_KINDS)[number];

export interface CardEvent {
  certificateSerial: string;
  kind: CardEventKind;
  detail: string | null;
  at: Date;
}

/** Appends one event per changed certificate row of a data-modifying CTE named `changed` (serial, citizen_id). */
function recordChanged(kind: CardEventKind, detail = 'NULL'): string {
  return `INSERT INTO card_event (citizen_id, certificate_serial, kind, detail) SELECT citizen_id, serial, '${kind}', ${detail} FROM changed`;
}

/** `card_certificate`: status changes are single statements, so the hotline takes effect the moment it answers. */
@Injectable()
export class CardsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findCitizenId(by: { myNumber: string } | { residenceCode: string }): Promise<string | undefined> {
    const [column, value] = 'myNumber' in by ? ['my_number', by.myNumber] : ['residence_code', by.residenceCode];
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM citizen WHERE ${column} = $1`, [value]);
    return rows[0]?.id;
  }

  /**
   * Records a new certificate and, in the same transaction, revokes the citizen's
   * earlier ones as superseded (one card in use per citizen). Returns the
   * superseded serials, or 'key-taken' when this public key is already certified.
   */
  async issue(certificate: NewCertificate): Promise<{ superseded: string[] } | 'key-taken' | 'conflict'> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const superseded: { serial: string }[] = await manager.query(
          `WITH changed AS (
             UPDATE card_certificate SET status = 'revoked', revoked_at = now(), revocation_reason = 'superseded'
             WHERE citizen_id = $1 AND status <> 'revoked' RETURNING serial, citizen_id),
           logged AS (${recordChanged('superseded')})
           SELECT serial FROM changed`,
          [certificate.citizenId],
        );
        await manager.query(
          `WITH changed AS (
             INSERT INTO card_certificate (serial, citizen_id, public_key_thumbprint, status, issued_at, expires_at)
             VALUES ($1, $2, $3, 'valid', $4, $5) RETURNING serial, citizen_id)
           ${recordChanged('issued')}`,
          [certificate.serial, certificate.citizenId, certificate.publicKeyThumbprint, certificate.issuedAt, certificate.expiresAt],
        );
        return { superseded: superseded.map((row) => row.serial) };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'card_certificate_public_key_key')) return 'key-taken';
      // Two cards issued for one citizen at the same moment: one wins, the other is told to retry.
      if (isUniqueViolation(error)) return 'conflict';
      throw error;
    }
  }

  find(serial: string): Promise<CardCertificateEntity | null> {
    return this.dataSource.getRepository(CardCertificateEntity).findOneBy({ serial });
  }

  /**
   * The hotline: valid → suspended at once, but only when the holder's name and
   * date of birth match the register. Says nothing of why not: the caller is anyone.
   */
  async suspendIfHolder(serial: string, holder: { name: string; dateOfBirth: string }): Promise<void> {
    await this.dataSource.query(
      `WITH changed AS (
         UPDATE card_certificate k SET status = 'suspended', suspended_at = now()
         FROM citizen c
         WHERE k.serial = $1 AND k.status = 'valid' AND c.id = k.citizen_id AND c.name = $2 AND c.date_of_birth = $3::date
         RETURNING k.serial, k.citizen_id)
       ${recordChanged('suspended', "'hotline'")}`,
      [serial, holder.name, holder.dateOfBirth],
    );
  }

  /** suspended → valid (a registrar, once the holder has found the card). Returns the row as it now stands. */
  async resume(serial: string): Promise<CardCertificateEntity | null> {
    await this.dataSource.query(
      `WITH changed AS (UPDATE card_certificate SET status = 'valid' WHERE serial = $1 AND status = 'suspended' RETURNING serial, citizen_id)
       ${recordChanged('resumed')}`,
      [serial],
    );
    return this.find(serial);
  }

  /** valid or suspended → revoked, at once and for good. */
  async revoke(serial: string, reason: RevocationReason): Promise<CardCertificateEntity | null> {
    await this.dataSource.query(
      `WITH changed AS (
         UPDATE card_certificate SET status = 'revoked', revoked_at = now(), revocation_reason = $2 WHERE serial = $1 AND status <> 'revoked'
         RETURNING serial, citizen_id)
       ${recordChanged('revoked', '$2')}`,
      [serial, reason],
    );
    return this.find(serial);
  }

  /** Counts a PIN reset of a certificate still in use; false when it is not valid (any more). */
  async recordPinReset(serial: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH changed AS (
         UPDATE card_certificate SET pin_resets = pin_resets + 1, last_pin_reset_at = now()
         WHERE serial = $1 AND status = 'valid' AND expires_at > now() RETURNING serial, citizen_id),
       logged AS (${recordChanged('pin-reset')})
       SELECT serial FROM changed`,
      [serial],
    );
    return rows.length > 0;
  }

  /** Every event of every card of the holder of `serial`, oldest first; empty when no card has that serial. */
  async eventsOfHolder(serial: string): Promise<CardEvent[]> {
    const rows: { certificate_serial: string; kind: CardEventKind; detail: string | null; at: Date }[] = await this.dataSource.query(
      `SELECT e.certificate_serial, e.kind, e.detail, e.at FROM card_event e
       WHERE e.citizen_id = (SELECT citizen_id FROM card_certificate WHERE serial = $1)
       ORDER BY e.at, e.kind`,
      [serial],
    );
    return rows.map((row) => ({ certificateSerial: row.certificate_serial, kind: row.kind, detail: row.detail, at: row.at }));
  }

  async findHolder(serial: string): Promise<CertificateHolder | undefined> {
    const rows: { citizen_id: string; status: StoredCertificateStatus; expires_at: Date; processing_serial: string }[] = await this.dataSource.query(
      `SELECT k.citizen_id, k.status, k.expires_at, c.processing_serial
       FROM card_certificate k JOIN citizen c ON c.id = k.citizen_id WHERE k.serial = $1`,
      [serial],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { citizenId: row.citizen_id, status: row.status, expiresAt: row.expires_at, processingSerial: ProcessingSerial.parse(row.processing_serial) };
  }

  /**
   * Records, in the issuance ledger, that the portal was given its code for this
   * citizen. The request id is the ledger's key: a replayed request records
   * nothing and gets 'replayed'.
   */
  async recordPortalCodeIssuance(requestId: string, citizenId: string): Promise<'recorded' | 'replayed'> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO issuance_request (id, requester, person_count, issued_count, refused_count)
         VALUES ($1, $2, 1, 1, 0) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [requestId, MYNA_PORTAL],
      );
      if (inserted.length === 0) return 'replayed';
      await manager.query(`INSERT INTO code_issuance (citizen_id, agency, request_id) VALUES ($1, $2, $3)`, [citizenId, MYNA_PORTAL, requestId]);
      return 'recorded';
    });
  }
}
