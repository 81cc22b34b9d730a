import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An exchange the provider did not answer by the deadline is closed as `expired`. */
export class ExpiredExchanges1795831000000 implements MigrationInterface {
  name = 'ExpiredExchanges1795831000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE exchange
        DROP CONSTRAINT exchange_status_check,
        ADD CONSTRAINT exchange_status_check CHECK (status IN ('delivered', 'answered', 'no-record', 'denied', 'expired'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE exchange
        DROP CONSTRAINT exchange_status_check,
        ADD CONSTRAINT exchange_status_check CHECK (status IN ('delivered', 'answered', 'no-record', 'denied'))`);
  }
}
