import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { z } from 'zod';
import { UnknownItemError, type AgencyDomain, type ItemAnswer } from './agency-domain';

/** One of an agency's own tables: rows keyed by `person_id`, filled from `records[key]`. */
export interface AgencyRecordTable<Key extends string = string> {
  key: Key;
  entity: EntityTarget<ObjectLiteral & { personId: string }>;
}

const INSERT_CHUNK = 1000;

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
        for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
          await manager.createQueryBuilder().insert().into(entity).values(rows.slice(start, start + INSERT_CHUNK) as ObjectLiteral[]).execute();
        }
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
