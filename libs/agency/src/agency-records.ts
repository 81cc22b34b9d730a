import { getMetadataArgsStorage, type EntityManager, type EntityTarget, type ObjectLiteral, type ValueTransformer } from 'typeorm';
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
 * refused there, and generated columns, if a table has any, take their defaults.
 * TypeORM's insert builder cost the agencies more CPU than anything else when
 * enrolling a population (a parameter and an escape pass per value).
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
    recordsSchema: withDistinctRows(recordsSchema, tables),
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

/**
 * The records schema, refusing two rows of one table with the same key (a second
 * income for one fiscal year, a second claim for one month): the table's primary
 * key, person and year or month, would refuse them, as a 5xx after the issuer's
 * work; here the agency's edge refuses them with the row and field.
 */
function withDistinctRows<Records extends Partial<Record<string, ObjectLiteral[]>>>(
  recordsSchema: z.ZodType<Records>,
  tables: readonly AgencyRecordTable[],
): z.ZodType<Records> {
  const keyed = tables.map(({ key, entity }) => ({ key, fields: rowKeyOf(entity) }));
  return recordsSchema.superRefine((records, context) => {
    for (const { key, fields } of keyed) {
      const rows = records[key];
      if (!Array.isArray(rows)) continue;
      const seen = new Map<unknown, number>();
      rows.forEach((row, index) => {
        // A one-field key (the usual case: a year or a month) is its own identity; it is a number or a string by the schema.
        const identity = fields.length === 1 ? row[fields[0]] : JSON.stringify(fields.map((field) => row[field]));
        const first = seen.get(identity);
        if (first === undefined) seen.set(identity, index);
        else
          context.addIssue({
            code: 'custom',
            path: [key, index, ...fields.slice(0, 1)],
            message: fields.length === 0 ? `a person has one row here at most (row ${first} is one)` : `repeats the ${fields.join(' and ')} of row ${first}`,
          });
      });
    }
  });
}

/** What tells a table's rows of one person apart: its entity's primary columns besides the person. */
function rowKeyOf(entity: AgencyRecordTable['entity']): string[] {
  if (typeof entity !== 'function') return [];
  return getMetadataArgsStorage()
    .filterColumns(entity)
    .filter((column) => column.options.primary && column.propertyName !== 'personId')
    .map((column) => column.propertyName);
}

/** Column options for an amount in yen: bigint in the database, a number in TypeScript. */
export const yenColumn = {
  type: 'bigint' as const,
  transformer: { to: (value: number) => value, from: (value: string | null) => (value === null ? null : Number(value)) },
};
