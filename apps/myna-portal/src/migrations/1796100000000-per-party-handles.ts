import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-party handles (issue 13): the portal keys its exchange records by the
 * handle the hub issued it, and keeps their times to the minute; its own
 * inquiries keep no exchange id.
 */
export class PortalHandles1796100000000 implements MigrationInterface {
  name = 'PortalHandles1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE exchange_record RENAME COLUMN exchange_id TO handle');
    await queryRunner.query(`ALTER TABLE exchange_record ALTER COLUMN received_at SET DEFAULT date_trunc('minute', now())`);
    await queryRunner.query(`UPDATE exchange_record SET at = date_trunc('minute', at), received_at = date_trunc('minute', received_at)`);
    await queryRunner.query('ALTER TABLE self_disclosure DROP COLUMN exchange_id');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE self_disclosure ADD COLUMN exchange_id uuid');
    await queryRunner.query('ALTER TABLE exchange_record ALTER COLUMN received_at SET DEFAULT now()');
    await queryRunner.query('ALTER TABLE exchange_record RENAME COLUMN handle TO exchange_id');
  }
}
