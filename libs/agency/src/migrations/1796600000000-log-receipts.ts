import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hub's receipts (DESIGN §5, "The log"): the requester keeps the one its result
 * carried, the provider the one its delivery carried; each is that party's own.
 */
export class LogReceipts1796600000000 implements MigrationInterface {
  name = 'LogReceipts1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE inquiry ADD COLUMN receipt jsonb');
    await queryRunner.query('ALTER TABLE provided_exchange ADD COLUMN receipt jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE provided_exchange DROP COLUMN receipt');
    await queryRunner.query('ALTER TABLE inquiry DROP COLUMN receipt');
  }
}
