import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ProcessingSerial } from '@myna/codes';
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

const UNIQUE_VIOLATION = '23505';

/** TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, rowCount]. */
function updatedRows<Row = unknown>(result: unknown): Row[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as Row[];
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
        const superseded = updatedRows<{ serial: string }>(await manager.query(
          `UPDATE card_certificate SET status = 'revoked', revoked_at = now(), revocation_reason = 'superseded'
           WHERE citizen_id = $1 AND status <> 'revoked' RETURNING serial`,
          [certificate.citizenId],
        ));
        await manager.query(
          `INSERT INTO card_certificate (serial, citizen_id, public_key_thumbprint, status, issued_at, expires_at)
           VALUES ($1, $2, $3, 'valid', $4, $5)`,
          [certificate.serial, certificate.citizenId, certificate.publicKeyThumbprint, certificate.issuedAt, certificate.expiresAt],
        );
        return { superseded: superseded.map((row) => row.serial) };
      });
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (code === UNIQUE_VIOLATION && constraint === 'card_certificate_public_key_key') return 'key-taken';
      // Two cards issued for one citizen at the same moment: one wins, the other is told to retry.
      if (code === UNIQUE_VIOLATION) return 'conflict';
      throw error;
    }
  }

  find(serial: string): Promise<CardCertificateEntity | null> {
    return this.dataSource.getRepository(CardCertificateEntity).findOneBy({ serial });
  }

  /** valid → suspended, at once; any other status is left as it is. Returns the row as it now stands. */
  async suspend(serial: string): Promise<CardCertificateEntity | null> {
    await this.dataSource.query(`UPDATE card_certificate SET status = 'suspended', suspended_at = now() WHERE serial = $1 AND status = 'valid'`, [serial]);
    return this.find(serial);
  }

  /** valid or suspended → revoked, at once and for good. */
  async revoke(serial: string, reason: RevocationReason): Promise<CardCertificateEntity | null> {
    await this.dataSource.query(
      `UPDATE card_certificate SET status = 'revoked', revoked_at = now(), revocation_reason = $2 WHERE serial = $1 AND status <> 'revoked'`,
      [serial, reason],
    );
    return this.find(serial);
  }

  /** Counts a PIN reset of a certificate still in use; false when it is not valid (any more). */
  async recordPinReset(serial: string): Promise<boolean> {
    const rows = updatedRows(
      await this.dataSource.query(
        `UPDATE card_certificate SET pin_resets = pin_resets + 1, last_pin_reset_at = now()
         WHERE serial = $1 AND status = 'valid' AND expires_at > now() RETURNING serial`,
        [serial],
      ),
    );
    return rows.length > 0;
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
         VALUES ($1, 'myna-portal', 1, 1, 0) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [requestId],
      );
      if (inserted.length === 0) return 'replayed';
      await manager.query(`INSERT INTO code_issuance (citizen_id, agency, request_id) VALUES ($1, 'myna-portal', $2)`, [citizenId, requestId]);
      return 'recorded';
    });
  }
}
