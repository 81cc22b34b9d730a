import type { EntityManager, EntityTarget, ObjectLiteral, ValueTransformer } from 'typeorm';
import type { z } from 'zod';
import { UnknownItemError, type AgencyDomain, type ItemAnswer } from './agency-domain';

/** One of an agency's own tables: rows keyed by `person_id`, filled from `records[key]`. */
export interface AgencyRecordTable<Key extends string = string> {
  key: Key;
  entity: EntityTarget<ObjectLiteral & { personId: string }>;
}

/**
 * Inserts rows of one of the agency's tables in a single statement whose one
 * parameter is the rows as JSON: PostgreSQL types each field by the table's own
 * row type (json_populate_recordset), so a value that does not fit its column is
 * refused there, and generated columns, if a table has any, take their defaults. TypeORM's
 * insert builder cost the agencies more CPU than anything else when enrolling a
 * population (a parameter and an escape pass per value).
 */
async function insertRows(manager: EntityManager, entity: EntityTarget<ObjectLiteral>, rows: readonly ObjectLiteral[]): Promise<void> {
  const metadata = manager.connection.getMetadata(entity);
  const columns = metadata.columns.filter((column) => !column.isGenerated);
  const escape = (name: string) => manager.connection.driver.escape(name);
  const names = columns.map((column) => escape(column.databaseName)).join(', ');
  const json = rows.map((row) => Object.fromEntries(columns.map((column) => [column.databaseName, toDatabase(column.transformer, row[column.propertyName])])));
  await manager.query(`INSERT INTO ${escape(metadata.tableName)} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${escape(metadata.tableName)}, $1)`, [
    JSON.stringify(json),
  ]);
}

function toDatabase(transformer: ValueTransformer | ValueTransformer[] | undefined, value: unknown): unknown {
  const transformers = transformer === undefined ? [] : Array.isArray(transformer) ? transformer : [transformer];
  return transformers.reduce((current, { to }) => to(current), value ?? null);
}

/**
 * Builds an AgencyDomain from a records schema and the tables that hold them, so
 * each agency declares only its data: `records.incomes` rows go to the table of
 * the entity listed under key `incomes`, with the person's id added.
 */
export function defineAgencyDomain<Records extends Partial<Record<string, ObjectLiteral[]>>>(
  recordsSchema: z.ZodType<Records>,
  tables: AgencyRecordTable<Extract<keyof Records, string>>[],
  answers: Record<string, ItemAnswer>,
): AgencyDomain<Records> {
  const domain: AgencyDomain<Records> = {
    recordsSchema,
    async saveRecords(manager: EntityManager, entries) {
      for (const { key, entity } of tables) {
        const rows = entries.flatMap(({ personId, records }) => ((records[key] ?? []) as ObjectLiteral[]).map((row) => ({ ...row, personId })));
        if (rows.length > 0) await insertRows(manager, entity, rows);
      }
    },
    async describePerson(manager: EntityManager, personId: string) {
      const description: Record<string, unknown> = {};
      for (const { key, entity } of tables) {
        const rows = await manager.find(entity, { where: { personId } });
        description[key] = rows.map(({ id: _id, personId: _personId, ...fields }) => fields);
      }
      return description;
    },
    async answer(manager, personId, item, parameters) {
      // Self-information disclosure (portal) is every agency's: the person sees all it holds.
      if (item === 'self-disclosure') return domain.describePerson(manager, personId);
      const answer = Object.hasOwn(answers, item) ? answers[item] : undefined;
      if (!answer) throw new UnknownItemError(item);
      return answer(manager, personId, parameters);
    },
  };
  return domain;
}

/** Column options for an amount in yen: bigint in the database, a number in TypeScript. */
export const yenColumn = {
  type: 'bigint' as const,
  transformer: { to: (value: number) => value, from: (value: string | null) => (value === null ? null : Number(value)) },
};
