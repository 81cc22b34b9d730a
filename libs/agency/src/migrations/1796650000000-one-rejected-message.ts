import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every party keeps its refusals in the one `rejected_message` of the messaging
 * edge: an agency's gains the verified sender and message id (null for the rows
 * from before, as for any message refused before its signature checked out) and
 * the hub's indexes.
 */
export class OneRejectedMessage1796650000000 implements MigrationInterface {
  name = 'OneRejectedMessage1796650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE rejected_message ADD COLUMN sender text, ADD COLUMN message_id text');
    await queryRunner.query('CREATE INDEX rejected_message_received_at_idx ON rejected_message (received_at DESC)');
    await queryRunner.query('CREATE INDEX rejected_message_job_id_idx ON rejected_message (job_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX rejected_message_job_id_idx');
    await queryRunner.query('DROP INDEX rejected_message_received_at_idx');
    await queryRunner.query('ALTER TABLE rejected_message DROP COLUMN message_id, DROP COLUMN sender');
  }
}
