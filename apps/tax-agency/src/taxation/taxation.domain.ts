import { z } from 'zod';
import { defineAgencyDomain } from '@myna/agency';
import { IncomeRecord, TaxAssessment } from './taxation.entities';

const fiscalYear = z.number().int().min(1990).max(2100);
const yen = z.number().int().min(0).max(1e12);

export const taxRecordsSchema = z.strictObject({
  incomes: z.array(z.strictObject({ fiscalYear, incomeYen: yen })).max(50).optional(),
  assessments: z.array(z.strictObject({ fiscalYear, residentTaxYen: yen })).max(50).optional(),
});

/** Items tax provides under the legal table: annual income (R-PEN-TAX-INCOME, R-HEA-TAX-INCOME). */
const incomeQuery = z.strictObject({ fiscalYear: z.coerce.number().int().min(1990).max(2100).optional() });

export const taxationDomain = defineAgencyDomain(
  taxRecordsSchema,
  [
    { key: 'incomes', entity: IncomeRecord },
    { key: 'assessments', entity: TaxAssessment },
  ],
  {
    'annual-income': async (manager, personId, parameters) => {
      const { fiscalYear } = incomeQuery.parse(parameters);
      // Without a year, the latest assessed one.
      const [record] = await manager.find(IncomeRecord, {
        where: fiscalYear === undefined ? { personId } : { personId, fiscalYear },
        order: { fiscalYear: 'DESC' },
        take: 1,
      });
      return record ? { fiscalYear: record.fiscalYear, incomeYen: record.incomeYen } : null;
    },
  },
);
