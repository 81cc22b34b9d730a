import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hub's exchange log, replay guard and rejection log. Metadata and
 * ciphertexts only: no column can hold a My Number, a serial, an agency code in
 * the clear or a payload in the clear (subjects are ct1. ciphertexts; tokens are
 * signed envelopes whose payloads are sealed to their readers).
 */
export class CreateExchangeLog1795758953895 implements MigrationInterface {
  name = 'CreateExchangeLog1795758953895';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE exchange (
        id uuid PRIMARY KEY,
        inquiry_id uuid NOT NULL CONSTRAINT exchange_inquiry_id_key UNIQUE,
        inquiry_job_id text NOT NULL,
        requester text NOT NULL,
        provider text NOT NULL,
        rule text NOT NULL,
        item text NOT NULL,
        status text NOT NULL CONSTRAINT exchange_status_check CHECK (status IN ('delivered', 'answered', 'no-record', 'denied')),
        reason text,
        requester_subject text NOT NULL CONSTRAINT exchange_requester_subject_format CHECK (requester_subject ~ '^ct1\\.[A-Za-z0-9_-]{86}$'),
        delivery_token text,
        answer_message_id text,
        result_token text,
        record_token text,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        -- Open exactly while delivered; a denied exchange never reached a provider.
        CONSTRAINT exchange_open_check CHECK ((status = 'delivered') = (closed_at IS NULL)),
        CONSTRAINT exchange_delivery_check CHECK ((status = 'denied') = (delivery_token IS NULL)),
        CONSTRAINT exchange_closing_check CHECK ((status = 'delivered') = (result_token IS NULL AND record_token IS NULL)),
        CONSTRAINT exchange_answer_check CHECK ((status IN ('answered', 'no-record')) = (answer_message_id IS NOT NULL))
      )`);
    await queryRunner.query('CREATE INDEX exchange_created_at_idx ON exchange (created_at DESC)');
    await queryRunner.query('CREATE INDEX exchange_status_created_at_idx ON exchange (status, created_at DESC)');
    await queryRunner.query(`
      CREATE TABLE seen_message (
        id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 128),
        sender text NOT NULL,
        job_id text NOT NULL,
        expires_at timestamptz NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX seen_message_expires_at_idx ON seen_message (expires_at)');
    await queryRunner.query(`
      CREATE TABLE rejected_message (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    await queryRunner.query('DROP TABLE seen_message');
    await queryRunner.query('DROP TABLE exchange');
  }
}
