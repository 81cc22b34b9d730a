import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A session's sealed card also keeps the name and photo on the card's face, for
 * the pages' header: sealed with the serial, under the key only the citizen's
 * cookie derives, so a copy of the table still names no one. A photo makes the
 * seal larger; 32 KiB bounds it (the sign-in body is limited to 32 KiB).
 */
export class SealTheCardHolderInSessions1796500000000 implements MigrationInterface {
  name = 'SealTheCardHolderInSessions1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE portal_session DROP CONSTRAINT portal_session_card_seal_check');
    await queryRunner.query('ALTER TABLE portal_session ADD CONSTRAINT portal_session_card_seal_check CHECK (length(card_seal) BETWEEN 48 AND 32768)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Sessions whose seal holds a photo do not fit the older bound: they end.
    await queryRunner.query('DELETE FROM portal_session WHERE length(card_seal) > 96');
    await queryRunner.query('ALTER TABLE portal_session DROP CONSTRAINT portal_session_card_seal_check');
    await queryRunner.query('ALTER TABLE portal_session ADD CONSTRAINT portal_session_card_seal_check CHECK (length(card_seal) BETWEEN 48 AND 96)');
  }
}
