import { z } from 'zod';
import { defineAgencyDomain } from '@myna/agency';
import { preparedStatement, runPrepared } from '@myna/platform';
import { IncomeRecord, TaxAssessment } from './taxation.entities';

const fiscalYear = z.number().int().min(1990).max(2100);
const yen = z.number().int().min(0).max(1e12);

export const taxRecordsSchema = z.strictObject({
  incomes: z.array(z.strictObject({ fiscalYear, incomeYen: yen })).max(50).optional(),
  assessments: z.array(z.strictObject({ fiscalYear, residentTaxYen: yen })).max(50).optional(),
});

/** Items tax provides under the legal table: annual income (R-PEN-TAX-INCOME, R-HEA-TAX-INCOME). */
const incomeQuery = z.strictObject({ fiscalYear: z.coerce.number().int().min(1990).max(2100).optional() });

const LATEST_INCOME = preparedStatement(
  'SELECT fiscal_year, income_yen FROM income_record WHERE person_id = $1 AND ($2::int IS NULL OR fiscal_year = $2) ORDER BY fiscal_year DESC LIMIT 1',
);

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
      // Asked on every exchange that reaches tax: one plain statement.
      const [record] = await runPrepared<{ fiscal_year: number; income_yen: string }[]>(manager, LATEST_INCOME, [personId, fiscalYear ?? null]);
      return record ? { fiscalYear: record.fiscal_year, incomeYen: Number(record.income_yen) } : null;
    },
  },
);
