import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sign-in challenge is bound to the browser that asked for it (the hash of a
 * cookie only that browser holds), and a session remembers its card — sealed
 * under a key derived from the session id that only the citizen's cookie holds —
 * so that it ends the moment the card is suspended or revoked. A copy of the
 * table opens no session and names no card.
 */
export class BindSignInAndSessionsToCards1796400000000 implements MigrationInterface {
  name = 'BindSignInAndSessionsToCards1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM login_challenge');
    await queryRunner.query('ALTER TABLE login_challenge ADD COLUMN binding_hash bytea NOT NULL CHECK (length(binding_hash) = 32)');
    // Sessions from before cards were bound to them cannot be checked against the card: they end.
    await queryRunner.query('DELETE FROM portal_session');
    await queryRunner.query('ALTER TABLE portal_session ADD COLUMN card_seal bytea NOT NULL CHECK (length(card_seal) BETWEEN 48 AND 96)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE portal_session DROP COLUMN card_seal');
    await queryRunner.query('ALTER TABLE login_challenge DROP COLUMN binding_hash');
  }
}
