import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAgencyPerson1764201600000 implements MigrationInterface {
  name = 'CreateAgencyPerson1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_code text NOT NULL UNIQUE CHECK (agency_code ~ '^ac1\\.[A-Za-z0-9_-]{43}$'),
        enrolled_at timestamptz NOT NULL DEFAULT now(),
        contact_name text,
        contact_address text,
        contact_date_of_birth date
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE person');
  }
}
