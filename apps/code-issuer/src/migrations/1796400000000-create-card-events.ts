import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every event in a card's life (issued, superseded, suspended, resumed, PIN
 * reset, revoked), so that the citizen can see them all in the portal. Kept at
 * the issuer only, next to the certificates it is about.
 */
export class CreateCardEvents1796400000000 implements MigrationInterface {
  name = 'CreateCardEvents1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE card_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        citizen_id uuid NOT NULL REFERENCES citizen (id),
        certificate_serial char(20) NOT NULL REFERENCES card_certificate (serial),
        kind text NOT NULL CHECK (kind IN ('issued', 'superseded', 'suspended', 'resumed', 'pin-reset', 'revoked')),
        detail text CHECK (length(detail) <= 200),
        -- The wall clock, not the transaction's: a new card's issuance comes after the old one's supersession.
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query('CREATE INDEX card_event_citizen_at_idx ON card_event (citizen_id, at)');
    // Cards issued before events were kept: their issuance, and where they stand.
    await queryRunner.query(`INSERT INTO card_event (citizen_id, certificate_serial, kind, at) SELECT citizen_id, serial, 'issued', issued_at FROM card_certificate`);
    await queryRunner.query(
      `INSERT INTO card_event (citizen_id, certificate_serial, kind, detail, at)
       SELECT citizen_id, serial, CASE WHEN revocation_reason = 'superseded' THEN 'superseded' ELSE 'revoked' END, revocation_reason, revoked_at
       FROM card_certificate WHERE status = 'revoked'`,
    );
    await queryRunner.query(`INSERT INTO card_event (citizen_id, certificate_serial, kind, at) SELECT citizen_id, serial, 'suspended', suspended_at FROM card_certificate WHERE status = 'suspended'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE card_event');
  }
}
