import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { UnknownItemError } from './agency-domain';
import { defineAgencyDomain } from './agency-records';

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
