import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-party handles and the mix (issue 13): the exchange maps the requester's
 * inquiry id to the provider's and the portal's handles; relayed ciphertexts and
 * tokens leave the exchange row for the outbox, and are gone once sent; the
 * replay guard is keyed by sender.
 */
export class PerPartyHandles1796100000000 implements MigrationInterface {
  name = 'PerPartyHandles1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE exchange
        ADD COLUMN provider_handle uuid,
        ADD COLUMN portal_handle uuid,
        ADD COLUMN record_subject text CONSTRAINT exchange_record_subject_format CHECK (record_subject ~ '^ct1\\.[A-Za-z0-9_-]{86}$')`);
    // Rows from before: handles of their own, and the subject kept only while open (it was the record's source).
    await queryRunner.query(`
      UPDATE exchange SET
        provider_handle = CASE WHEN status = 'denied' THEN NULL ELSE gen_random_uuid() END,
        portal_handle = gen_random_uuid(),
        record_subject = CASE WHEN status = 'delivered' THEN requester_subject END`);
    await queryRunner.query(`
      ALTER TABLE exchange
        ALTER COLUMN portal_handle SET NOT NULL,
        DROP CONSTRAINT exchange_delivery_check,
        DROP CONSTRAINT exchange_closing_check,
        DROP CONSTRAINT exchange_inquiry_id_key,
        DROP COLUMN requester_subject,
        DROP COLUMN delivery_token,
        DROP COLUMN result_token,
        DROP COLUMN record_token,
        ADD CONSTRAINT exchange_requester_inquiry_key UNIQUE (requester, inquiry_id),
        ADD CONSTRAINT exchange_provider_handle_key UNIQUE (provider_handle),
        ADD CONSTRAINT exchange_portal_handle_key UNIQUE (portal_handle),
        ADD CONSTRAINT exchange_delivery_check CHECK ((status = 'denied') = (provider_handle IS NULL)),
        ADD CONSTRAINT exchange_record_subject_check CHECK ((status = 'delivered') = (record_subject IS NOT NULL))`);
    await queryRunner.query('CREATE INDEX exchange_closed_at_idx ON exchange (closed_at)');
    await queryRunner.query(`
      CREATE TABLE outbound_message (
        id uuid PRIMARY KEY,
        recipient text NOT NULL,
        job_name text NOT NULL,
        token text NOT NULL,
        queued_at timestamptz NOT NULL DEFAULT now(),
        claimed_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX outbound_message_queued_at_idx ON outbound_message (queued_at)');
    await queryRunner.query(`
      ALTER TABLE seen_message
        DROP CONSTRAINT seen_message_pkey,
        ADD PRIMARY KEY (sender, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE seen_message DROP CONSTRAINT seen_message_pkey, ADD PRIMARY KEY (id)');
    await queryRunner.query('DROP TABLE outbound_message');
    await queryRunner.query('DROP INDEX exchange_closed_at_idx');
    // Ciphertexts and tokens deleted after sending cannot come back: the old columns return empty.
    await queryRunner.query(`DELETE FROM exchange WHERE status = 'delivered'`);
    await queryRunner.query(`
      ALTER TABLE exchange
        DROP CONSTRAINT exchange_record_subject_check,
        DROP CONSTRAINT exchange_delivery_check,
        DROP CONSTRAINT exchange_portal_handle_key,
        DROP CONSTRAINT exchange_provider_handle_key,
        DROP CONSTRAINT exchange_requester_inquiry_key,
        ADD COLUMN requester_subject text,
        ADD COLUMN delivery_token text,
        ADD COLUMN result_token text,
        ADD COLUMN record_token text,
        DROP COLUMN record_subject,
        DROP COLUMN portal_handle,
        DROP COLUMN provider_handle,
        ADD CONSTRAINT exchange_inquiry_id_key UNIQUE (inquiry_id)`);
  }
}
