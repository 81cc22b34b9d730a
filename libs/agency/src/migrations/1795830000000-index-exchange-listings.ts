import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The agency’s exchange listing (GET /exchange-records: newest inquiries and provided
 * exchanges first) reads an index instead of sorting the whole table: a benchmark
 * or a busy day leaves tens of thousands of rows.
 */
export class IndexExchangeListings1795830000000 implements MigrationInterface {
  name = 'IndexExchangeListings1795830000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX inquiry_created_at_idx ON inquiry (created_at DESC)');
    await queryRunner.query('CREATE INDEX provided_exchange_provided_at_idx ON provided_exchange (provided_at DESC)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX provided_exchange_provided_at_idx');
    await queryRunner.query('DROP INDEX inquiry_created_at_idx');
  }
}
