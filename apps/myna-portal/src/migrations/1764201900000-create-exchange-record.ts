import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateExchangeRecord1764201900000 implements MigrationInterface {
  name = 'CreateExchangeRecord1764201900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE exchange_record (
        exchange_id uuid PRIMARY KEY,
        portal_code text NOT NULL CHECK (portal_code ~ '^ac1\\.[A-Za-z0-9_-]{43}$'),
        requester text NOT NULL,
        provider text NOT NULL,
        rule text NOT NULL,
        item text NOT NULL,
        procedure text NOT NULL,
        status text NOT NULL CHECK (status IN ('permitted', 'denied')),
        reason text,
        at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX exchange_record_portal_code_at_idx ON exchange_record (portal_code, at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE exchange_record');
  }
}
