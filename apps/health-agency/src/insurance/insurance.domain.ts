import { z } from 'zod';
import { defineAgencyDomain } from '@myna/agency';
import { COST_CAP_CATEGORIES, CostCapCategory, HealthCoverage, MedicalClaim } from './insurance.entities';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

export const insuranceRecordsSchema = z.strictObject({
  coverage: z.array(z.strictObject({ eligibleFrom: date, eligibleUntil: date.nullable() })).max(1).optional(),
  claims: z
    .array(z.strictObject({ serviceMonth: z.string().regex(/^\d{4}-\d{2}$/, 'must be YYYY-MM'), amountYen: z.number().int().min(0).max(1e10) }))
    .max(120)
    .optional(),
  costCaps: z
    .array(z.strictObject({ fiscalYear: z.number().int().min(1990).max(2100), category: z.enum(COST_CAP_CATEGORIES) }))
    .max(50)
    .optional(),
});

/** The legal table lets no one ask health for claims; it provides only self-disclosure to the portal. */
export const insuranceDomain = defineAgencyDomain(
  insuranceRecordsSchema,
  [
    { key: 'coverage', entity: HealthCoverage },
    { key: 'claims', entity: MedicalClaim },
    { key: 'costCaps', entity: CostCapCategory },
  ],
  {},
);
