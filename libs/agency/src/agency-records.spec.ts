import { Column, Entity, PrimaryColumn, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { UnknownItemError } from './agency-domain';
import { defineAgencyDomain } from './agency-records';
import { calendarDate, calendarMonth } from './record-fields';

class Income {
  id!: string;
  personId!: string;
  incomeYen!: number;
}

describe('an agency domain', () => {
  const manager = {
    find: jest.fn(async () => [{ id: 'row-1', personId: 'person-1', incomeYen: 5_000_000 }]),
  } as unknown as EntityManager;
  const domain = defineAgencyDomain(z.object({ incomes: z.array(z.object({ incomeYen: z.number() })).optional() }), [{ key: 'incomes', entity: Income }], {
    'annual-income': async () => ({ incomeYen: 5_000_000 }),
  });

  it('answers the items it declares', async () => {
    await expect(domain.answer(manager, 'person-1', 'annual-income', {})).resolves.toEqual({ incomeYen: 5_000_000 });
  });

  it('answers self-disclosure with everything it holds about the person, without internal ids', async () => {
    await expect(domain.answer(manager, 'person-1', 'self-disclosure', {})).resolves.toEqual({ incomes: [{ incomeYen: 5_000_000 }] });
  });

  it('refuses an item it does not provide, including inherited object keys', async () => {
    await expect(domain.answer(manager, 'person-1', 'medical-claims', {})).rejects.toThrow(UnknownItemError);
    await expect(domain.answer(manager, 'person-1', 'toString', {})).rejects.toThrow(UnknownItemError);
  });
});

@Entity({ name: 'spec_claim' })
class Claim {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @PrimaryColumn({ name: 'service_month', type: 'char', length: 7 })
  serviceMonth!: string;

  @Column({ type: 'int' })
  amountYen!: number;
}

@Entity({ name: 'spec_coverage' })
class Coverage {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'date' })
  eligibleFrom!: string;
}

describe("an agency domain's records schema", () => {
  const domain = defineAgencyDomain(
    z.strictObject({
      claims: z.array(z.strictObject({ serviceMonth: z.string(), amountYen: z.number() })).optional(),
      coverage: z.array(z.strictObject({ eligibleFrom: z.string() })).optional(),
    }),
    [
      { key: 'claims', entity: Claim },
      { key: 'coverage', entity: Coverage },
    ],
    {},
  );
  const issues = (records: unknown) => domain.recordsSchema.safeParse(records).error?.issues.map(({ path, message }) => ({ path, message }));

  it('refuses two rows with the same key, by the table’s primary columns besides the person, naming the row', () => {
    expect(issues({ claims: [{ serviceMonth: '2024-04', amountYen: 1 }, { serviceMonth: '2024-05', amountYen: 1 }, { serviceMonth: '2024-04', amountYen: 2 }] })).toEqual([
      { path: ['claims', 2, 'serviceMonth'], message: 'repeats the serviceMonth of row 0' },
    ]);
    expect(issues({ coverage: [{ eligibleFrom: '2020-04-01' }, { eligibleFrom: '2021-04-01' }] })).toEqual([
      { path: ['coverage', 1], message: 'a person has one row here at most (row 0 is one)' },
    ]);
  });

  it('takes rows with distinct keys, and no rows at all', () => {
    expect(domain.recordsSchema.safeParse({ claims: [{ serviceMonth: '2024-04', amountYen: 1 }, { serviceMonth: '2024-05', amountYen: 1 }], coverage: [{ eligibleFrom: '2020-04-01' }] }).success).toBe(true);
    expect(domain.recordsSchema.safeParse({}).success).toBe(true);
  });
});

describe('the record fields', () => {
  it('take calendar dates and months only', () => {
    expect(['2024-02-29', '1980-04-01'].map((value) => calendarDate.safeParse(value).success)).toEqual([true, true]);
    expect(['2023-02-29', '2024-04-31', '2024-13-01', '2024-4-1'].map((value) => calendarDate.safeParse(value).success)).toEqual([false, false, false, false]);
    expect(['2024-01', '2024-12'].map((value) => calendarMonth.safeParse(value).success)).toEqual([true, true]);
    expect(['2024-00', '2024-13', '2024-1'].map((value) => calendarMonth.safeParse(value).success)).toEqual([false, false, false]);
  });
});
