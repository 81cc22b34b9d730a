import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAgencyExchange1764201800000 implements MigrationInterface {
  name = 'CreateAgencyExchange1764201800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inquiry (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL REFERENCES person(id),
        provider text NOT NULL,
        rule text NOT NULL,
        item text NOT NULL,
        parameters jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('pending', 'answered', 'no-record', 'denied', 'failed')),
        reason text,
        result jsonb,
        exchange_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        answered_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX inquiry_person_idx ON inquiry (person_id)');
    await queryRunner.query(`
      CREATE TABLE provided_exchange (
        exchange_id uuid PRIMARY KEY,
        requester text NOT NULL,
        rule text NOT NULL,
        item text NOT NULL,
        person_id uuid REFERENCES person(id),
        outcome text NOT NULL CHECK (outcome IN ('answered', 'no-record')),
        answer_token text NOT NULL,
        provided_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE rejected_message (
        id uuid PRIMARY KEY,
        job_id text NOT NULL,
        job_name text NOT NULL,
        reason text NOT NULL,
        detail text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['rejected_message', 'provided_exchange', 'inquiry']) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
