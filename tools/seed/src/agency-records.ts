import { HEALTH_AGENCY, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';
// The records each agency keeps, shaped as its enrolment API's `records` field
// (apps/*/src/*/*.domain.ts). Tooling may not import apps, so the shapes are
// restated here; the integration test posts them to the real agencies, whose
// strict schemas are the final word.

export const INSURED_CATEGORIES = ['category-1', 'category-2', 'category-3'] as const;
export const EXEMPTION_STATUSES = ['applied', 'granted', 'denied'] as const;
export const BENEFIT_STATUSES = ['not-receiving', 'receiving', 'suspended'] as const;
export const COST_CAP_CATEGORIES = ['a', 'b', 'c', 'd', 'e'] as const;

export type InsuredCategory = (typeof INSURED_CATEGORIES)[number];
export type ExemptionStatus = (typeof EXEMPTION_STATUSES)[number];
export type BenefitStatus = (typeof BENEFIT_STATUSES)[number];
export type CostCapCategory = (typeof COST_CAP_CATEGORIES)[number];

export interface TaxRecords {
  incomes: { fiscalYear: number; incomeYen: number }[];
  assessments: { fiscalYear: number; residentTaxYen: number }[];
}

export interface PensionRecords {
  enrolments: { category: InsuredCategory; enrolledOn: string }[];
  contributions: { fiscalYear: number; monthsPaid: number; monthsExempt: number }[];
  exemptions: { fiscalYear: number; status: ExemptionStatus }[];
  benefits: { status: BenefitStatus; annualAmountYen: number }[];
}

export interface HealthRecords {
  coverage: { eligibleFrom: string; eligibleUntil: string | null }[];
  claims: { serviceMonth: string; amountYen: number }[];
  costCaps: { fiscalYear: number; category: CostCapCategory }[];
}

/** Keyed by agency: indexing it with an `Agency` fails to compile if an agency is missing. */
export interface AgencyRecords {
  [TAX_AGENCY]: TaxRecords;
  [PENSION_AGENCY]: PensionRecords;
  [HEALTH_AGENCY]: HealthRecords;
}

