import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every party keeps its refusals in the one `rejected_message` of the messaging
 * edge, keyed by a random uuid: the hub's sequence numbers (1, 2, 3, …) would be
 * ids another party could store too. Rows from before get a random id each;
 * their order stays in `received_at`.
 */
export class OneRejectedMessage1796650000000 implements MigrationInterface {
  name = 'OneRejectedMessage1796650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE rejected_message ADD COLUMN uid uuid NOT NULL DEFAULT gen_random_uuid()');
    await queryRunner.query('ALTER TABLE rejected_message DROP COLUMN id');
    await queryRunner.query('ALTER TABLE rejected_message RENAME COLUMN uid TO id');
    await queryRunner.query('ALTER TABLE rejected_message ALTER COLUMN id DROP DEFAULT, ADD CONSTRAINT rejected_message_pkey PRIMARY KEY (id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE rejected_message DROP CONSTRAINT rejected_message_pkey, DROP COLUMN id');
    await queryRunner.query('ALTER TABLE rejected_message ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY');
  }
}
