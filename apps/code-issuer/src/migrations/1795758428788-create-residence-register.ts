import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The residence register and the issuance ledger. Only code-issuer holds My
 * Numbers, residence codes and processing serials; the ledger records that a
 * code was issued, never the code itself.
 */
export class CreateResidenceRegister1795758428788 implements MigrationInterface {
  name = 'CreateResidenceRegister1795758428788';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE citizen (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        residence_code char(11) NOT NULL CONSTRAINT citizen_residence_code_key UNIQUE
          CONSTRAINT citizen_residence_code_digits CHECK (residence_code ~ '^[0-9]{11}$'),
        my_number char(12) NOT NULL CONSTRAINT citizen_my_number_key UNIQUE
          CONSTRAINT citizen_my_number_digits CHECK (my_number ~ '^[0-9]{12}$'),
        processing_serial text NOT NULL CONSTRAINT citizen_processing_serial_key UNIQUE
          CONSTRAINT citizen_processing_serial_format CHECK (processing_serial ~ '^ps1\\.[A-Za-z0-9_-]{22}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        address text NOT NULL CHECK (length(address) BETWEEN 1 AND 400),
        date_of_birth date NOT NULL,
        gender text NOT NULL CHECK (gender IN ('female', 'male', 'other')),
        registered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE issuance_request (
        id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 128),
        requester text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        person_count int NOT NULL CHECK (person_count >= 0),
        issued_count int NOT NULL CHECK (issued_count >= 0),
        refused_count int NOT NULL CHECK (refused_count >= 0),
        CHECK (issued_count + refused_count = person_count)
      )`);
    await queryRunner.query(`
      CREATE TABLE code_issuance (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        citizen_id uuid NOT NULL REFERENCES citizen (id),
        agency text NOT NULL,
        request_id text NOT NULL REFERENCES issuance_request (id),
        issued_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX code_issuance_citizen_id_idx ON code_issuance (citizen_id)');
    await queryRunner.query('CREATE INDEX code_issuance_request_id_idx ON code_issuance (request_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE code_issuance');
    await queryRunner.query('DROP TABLE issuance_request');
    await queryRunner.query('DROP TABLE citizen');
  }
}
