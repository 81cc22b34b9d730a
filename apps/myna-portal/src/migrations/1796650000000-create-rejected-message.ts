import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The portal records the messages it refuses in the one `rejected_message` of the messaging edge, as the hub and the agencies do. */
export class CreateRejectedMessage1796650000000 implements MigrationInterface {
  name = 'CreateRejectedMessage1796650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE rejected_message (
        id uuid PRIMARY KEY,
        job_id text NOT NULL,
        job_name text NOT NULL,
        reason text NOT NULL,
        detail text NOT NULL,
        sender text,
        message_id text,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX rejected_message_received_at_idx ON rejected_message (received_at DESC)');
    await queryRunner.query('CREATE INDEX rejected_message_job_id_idx ON rejected_message (job_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE rejected_message');
  }
}
