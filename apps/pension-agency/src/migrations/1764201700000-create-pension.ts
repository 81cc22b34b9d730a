import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePension1764201700000 implements MigrationInterface {
  name = 'CreatePension1764201700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE pension_enrolment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL UNIQUE REFERENCES person(id),
        category text NOT NULL CHECK (category IN ('category-1', 'category-2', 'category-3')),
        enrolled_on date NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE contribution_record (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        fiscal_year int NOT NULL,
        months_paid int NOT NULL CHECK (months_paid BETWEEN 0 AND 12),
        months_exempt int NOT NULL CHECK (months_exempt BETWEEN 0 AND 12),
        UNIQUE (person_id, fiscal_year)
      )`);
    await queryRunner.query(`
      CREATE TABLE premium_exemption (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        fiscal_year int NOT NULL,
        status text NOT NULL CHECK (status IN ('applied', 'granted', 'denied')),
        UNIQUE (person_id, fiscal_year)
      )`);
    await queryRunner.query(`
      CREATE TABLE pension_benefit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL UNIQUE REFERENCES person(id),
        status text NOT NULL CHECK (status IN ('not-receiving', 'receiving', 'suspended')),
        annual_amount_yen bigint NOT NULL CHECK (annual_amount_yen >= 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['pension_benefit', 'premium_exemption', 'contribution_record', 'pension_enrolment']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
