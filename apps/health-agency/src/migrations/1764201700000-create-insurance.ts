import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInsurance1764201700000 implements MigrationInterface {
  name = 'CreateInsurance1764201700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE health_coverage (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL UNIQUE REFERENCES person(id),
        eligible_from date NOT NULL,
        eligible_until date
      )`);
    await queryRunner.query(`
      CREATE TABLE medical_claim (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        service_month char(7) NOT NULL,
        amount_yen bigint NOT NULL CHECK (amount_yen >= 0),
        UNIQUE (person_id, service_month)
      )`);
    await queryRunner.query(`
      CREATE TABLE cost_cap_category (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        fiscal_year int NOT NULL,
        category text NOT NULL CHECK (category IN ('a', 'b', 'c', 'd', 'e')),
        UNIQUE (person_id, fiscal_year)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['cost_cap_category', 'medical_claim', 'health_coverage']) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
