import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTaxation1764201700000 implements MigrationInterface {
  name = 'CreateTaxation1764201700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE income_record (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        fiscal_year int NOT NULL,
        income_yen bigint NOT NULL CHECK (income_yen >= 0),
        UNIQUE (person_id, fiscal_year)
      )`);
    await queryRunner.query(`
      CREATE TABLE tax_assessment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        fiscal_year int NOT NULL,
        resident_tax_yen bigint NOT NULL CHECK (resident_tax_yen >= 0),
        UNIQUE (person_id, fiscal_year)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE tax_assessment');
    await queryRunner.query('DROP TABLE income_record');
  }
}
