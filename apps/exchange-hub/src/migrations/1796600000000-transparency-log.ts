import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transparency log (DESIGN §5, "The log"): append-only leaves, one per message
 * the hub sends, and the tree heads it signed, each with its frontier (the right
 * edge of the tree) so that appending never rereads the leaves. The outbox keeps a
 * message's unsigned draft until the mix round that gives it its receipt signs it.
 */
export class TransparencyLog1796600000000 implements MigrationInterface {
  name = 'TransparencyLog1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE log_leaf (
        idx bigint PRIMARY KEY CHECK (idx >= 0),
        leaf text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE log_tree_head (
        size bigint PRIMARY KEY CHECK (size > 0),
        root text NOT NULL,
        frontier text[] NOT NULL,
        signed text NOT NULL,
        signed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      ALTER TABLE outbound_message
        ALTER COLUMN token DROP NOT NULL,
        ADD COLUMN draft jsonb,
        ADD COLUMN receipt jsonb,
        ADD CONSTRAINT outbound_message_token_or_draft CHECK ((token IS NULL) <> (draft IS NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM outbound_message WHERE token IS NULL');
    await queryRunner.query(`
      ALTER TABLE outbound_message
        DROP CONSTRAINT outbound_message_token_or_draft,
        DROP COLUMN receipt,
        DROP COLUMN draft,
        ALTER COLUMN token SET NOT NULL`);
    await queryRunner.query('DROP TABLE log_tree_head');
    await queryRunner.query('DROP TABLE log_leaf');
  }
}
