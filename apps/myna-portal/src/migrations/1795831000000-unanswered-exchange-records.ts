import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An exchange the provider never answered reaches the citizen too, as `unanswered`. */
export class UnansweredExchangeRecords1795831000000 implements MigrationInterface {
  name = 'UnansweredExchangeRecords1795831000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE exchange_record
        DROP CONSTRAINT exchange_record_status_check,
        ADD CONSTRAINT exchange_record_status_check CHECK (status IN ('permitted', 'denied', 'unanswered'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE exchange_record
        DROP CONSTRAINT exchange_record_status_check,
        ADD CONSTRAINT exchange_record_status_check CHECK (status IN ('permitted', 'denied'))`);
  }
}
