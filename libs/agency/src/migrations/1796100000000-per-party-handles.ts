import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-party handles (issue 13): the requester keeps its inquiry id only; the
 * provider keys what it gave by the handle the hub issued it, keeps its answer's
 * id instead of the signed answer, and keeps the time to the minute.
 */
export class PerPartyHandles1796100000000 implements MigrationInterface {
  name = 'PerPartyHandles1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE inquiry DROP COLUMN exchange_id');
    await queryRunner.query(`
      ALTER TABLE provided_exchange
        ADD COLUMN answer_message_id uuid NOT NULL DEFAULT gen_random_uuid(),
        DROP COLUMN answer_token,
        ALTER COLUMN provided_at SET DEFAULT date_trunc('minute', now())`);
    await queryRunner.query('ALTER TABLE provided_exchange ALTER COLUMN answer_message_id DROP DEFAULT');
    await queryRunner.query('ALTER TABLE provided_exchange RENAME COLUMN exchange_id TO handle');
    // Rows from before lose the precision their times had.
    await queryRunner.query(`UPDATE provided_exchange SET provided_at = date_trunc('minute', provided_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE provided_exchange RENAME COLUMN handle TO exchange_id');
    await queryRunner.query(`
      ALTER TABLE provided_exchange
        ALTER COLUMN provided_at SET DEFAULT now(),
        ADD COLUMN answer_token text NOT NULL DEFAULT '',
        DROP COLUMN answer_message_id`);
    await queryRunner.query('ALTER TABLE provided_exchange ALTER COLUMN answer_token DROP DEFAULT');
    await queryRunner.query('ALTER TABLE inquiry ADD COLUMN exchange_id uuid');
  }
}
