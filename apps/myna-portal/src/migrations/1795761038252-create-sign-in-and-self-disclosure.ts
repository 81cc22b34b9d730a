import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in with a card and self-information disclosure. A session holds the
 * portal's own code for the citizen and nothing else about them: no My Number,
 * no certificate serial. Session ids are stored hashed.
 */
export class CreateSignInAndSelfDisclosure1795761038252 implements MigrationInterface {
  name = 'CreateSignInAndSelfDisclosure1795761038252';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE login_challenge (
        id uuid PRIMARY KEY,
        nonce text NOT NULL CHECK (nonce ~ '^[A-Za-z0-9_-]{43}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX login_challenge_expires_at_idx ON login_challenge (expires_at)');
    await queryRunner.query(`
      CREATE TABLE portal_session (
        id_hash bytea PRIMARY KEY CHECK (length(id_hash) = 32),
        portal_code text NOT NULL CHECK (portal_code ~ '^ac1\\.[A-Za-z0-9_-]{43}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX portal_session_expires_at_idx ON portal_session (expires_at)');
    await queryRunner.query(`
      CREATE TABLE self_disclosure (
        inquiry_id uuid PRIMARY KEY,
        batch_id uuid NOT NULL,
        portal_code text NOT NULL CHECK (portal_code ~ '^ac1\\.[A-Za-z0-9_-]{43}$'),
        provider text NOT NULL,
        rule text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'answered', 'no-record', 'denied', 'failed')),
        result jsonb,
        reason text,
        exchange_id uuid,
        requested_at timestamptz NOT NULL DEFAULT now(),
        answered_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX self_disclosure_portal_code_idx ON self_disclosure (portal_code, requested_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE self_disclosure');
    await queryRunner.query('DROP TABLE portal_session');
    await queryRunner.query('DROP TABLE login_challenge');
  }
}
