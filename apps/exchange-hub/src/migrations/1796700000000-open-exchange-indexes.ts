import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The expiry sweep looks only at open exchanges, and retention only at closed
 * ones, so each index holds only the rows it is asked about: an exchange enters
 * the expiry index when it opens and the retention index when it closes, never
 * both. Every exchange used to add an entry to each at both (one more index
 * write per open and per close), and the status index grew with the whole log.
 */
export class OpenExchangeIndexes1796700000000 implements MigrationInterface {
  name = 'OpenExchangeIndexes1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX exchange_status_created_at_idx');
    await queryRunner.query(`CREATE INDEX exchange_open_created_at_idx ON exchange (created_at) WHERE status = 'delivered'`);
    await queryRunner.query('DROP INDEX exchange_closed_at_idx');
    await queryRunner.query('CREATE INDEX exchange_closed_at_idx ON exchange (closed_at) WHERE closed_at IS NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX exchange_closed_at_idx');
    await queryRunner.query('CREATE INDEX exchange_closed_at_idx ON exchange (closed_at)');
    await queryRunner.query('DROP INDEX exchange_open_created_at_idx');
    await queryRunner.query('CREATE INDEX exchange_status_created_at_idx ON exchange (status, created_at DESC)');
  }
}
