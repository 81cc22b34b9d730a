import { z } from 'zod';
import { calendarDate, defineAgencyDomain } from '@myna/agency';
import {
  BENEFIT_STATUSES,
  ContributionRecord,
  EXEMPTION_STATUSES,
  INSURED_CATEGORIES,
  PensionBenefit,
  PensionEnrolment,
  PremiumExemption,
} from './pension.entities';

const fiscalYear = z.number().int().min(1990).max(2100);
const months = z.number().int().min(0).max(12);

export const pensionRecordsSchema = z.strictObject({
  enrolments: z.array(z.strictObject({ category: z.enum(INSURED_CATEGORIES), enrolledOn: calendarDate })).max(1).optional(),
  contributions: z.array(z.strictObject({ fiscalYear, monthsPaid: months, monthsExempt: months })).max(60).optional(),
  exemptions: z.array(z.strictObject({ fiscalYear, status: z.enum(EXEMPTION_STATUSES) })).max(60).optional(),
  benefits: z
    .array(z.strictObject({ status: z.enum(BENEFIT_STATUSES), annualAmountYen: z.number().int().min(0).max(1e9) }))
    .max(1)
    .optional(),
});

/** Items pension provides: benefit status (R-HEA-PEN-BENEFIT) and the annual benefit (R-TAX-PEN-BENEFIT). */
export const pensionDomain = defineAgencyDomain(
  pensionRecordsSchema,
  [
    { key: 'enrolments', entity: PensionEnrolment },
    { key: 'contributions', entity: ContributionRecord },
    { key: 'exemptions', entity: PremiumExemption },
    { key: 'benefits', entity: PensionBenefit },
  ],
  {
    'benefit-status': async (manager, personId) => {
      const benefit = await manager.findOneBy(PensionBenefit, { personId });
      return benefit ? { status: benefit.status } : null;
    },
    'annual-benefit': async (manager, personId) => {
      const benefit = await manager.findOneBy(PensionBenefit, { personId });
      return benefit ? { status: benefit.status, annualAmountYen: benefit.annualAmountYen } : null;
    },
  },
);
