import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Card certificates (JPKI's user-authentication certificates): which serial
 * certifies which public key, for which citizen, and its status. The
 * certificate itself names no one; this table is the only link from a serial to
 * a person, and it never leaves code-issuer.
 */
export class CreateCardCertificates1795760795258 implements MigrationInterface {
  name = 'CreateCardCertificates1795760795258';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE card_certificate (
        serial char(20) PRIMARY KEY CONSTRAINT card_certificate_serial_format CHECK (serial ~ '^[0-9A-F]{20}$'),
        citizen_id uuid NOT NULL REFERENCES citizen (id),
        public_key_thumbprint text NOT NULL CONSTRAINT card_certificate_public_key_key UNIQUE
          CHECK (public_key_thumbprint ~ '^[A-Za-z0-9_-]{43}$'),
        status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'suspended', 'revoked')),
        issued_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        suspended_at timestamptz,
        revoked_at timestamptz,
        revocation_reason text CHECK (revocation_reason IN ('holder-request', 'lost-or-stolen', 'superseded')),
        pin_resets int NOT NULL DEFAULT 0 CHECK (pin_resets >= 0),
        last_pin_reset_at timestamptz,
        CONSTRAINT card_certificate_revocation_recorded CHECK ((status = 'revoked') = (revoked_at IS NOT NULL AND revocation_reason IS NOT NULL)),
        CONSTRAINT card_certificate_suspension_recorded CHECK (status <> 'suspended' OR suspended_at IS NOT NULL)
      )`);
    await queryRunner.query('CREATE INDEX card_certificate_citizen_id_idx ON card_certificate (citizen_id)');
    // One card in use per citizen: issuing a new one revokes the old one in the same transaction.
    await queryRunner.query(
      "CREATE UNIQUE INDEX card_certificate_one_in_use_per_citizen ON card_certificate (citizen_id) WHERE status <> 'revoked'",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE card_certificate');
  }
}
