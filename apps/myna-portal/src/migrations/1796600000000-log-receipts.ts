import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hub's receipts (DESIGN §5, "The log"): with each exchange record, and with
 * each result of the portal's own inquiries; each the portal's own leaf in the hub's log.
 */
export class LogReceipts1796600000000 implements MigrationInterface {
  name = 'LogReceipts1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE exchange_record ADD COLUMN receipt jsonb');
    await queryRunner.query('ALTER TABLE self_disclosure ADD COLUMN receipt jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE self_disclosure DROP COLUMN receipt');
    await queryRunner.query('ALTER TABLE exchange_record DROP COLUMN receipt');
  }
}
