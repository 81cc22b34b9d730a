import { z } from 'zod';
import { calendarDate, calendarMonth, defineAgencyDomain } from '@myna/agency';
import { COST_CAP_CATEGORIES, CostCapCategory, HealthCoverage, MedicalClaim } from './insurance.entities';

export const insuranceRecordsSchema = z.strictObject({
  coverage: z.array(z.strictObject({ eligibleFrom: calendarDate, eligibleUntil: calendarDate.nullable() })).max(1).optional(),
  claims: z
    .array(z.strictObject({ serviceMonth: calendarMonth, amountYen: z.number().int().min(0).max(1e10) }))
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
