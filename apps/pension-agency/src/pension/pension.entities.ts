import { Column, Entity, PrimaryColumn } from 'typeorm';
import { yenColumn } from '@myna/agency';

export const INSURED_CATEGORIES = ['category-1', 'category-2', 'category-3'] as const;
export const EXEMPTION_STATUSES = ['applied', 'granted', 'denied'] as const;
export const BENEFIT_STATUSES = ['not-receiving', 'receiving', 'suspended'] as const;

/** Enrolment in the National Pension (被保険者種別). */
@Entity({ name: 'pension_enrolment' })
export class PensionEnrolment {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'text' })
  category!: (typeof INSURED_CATEGORIES)[number];

  @Column({ name: 'enrolled_on', type: 'date' })
  enrolledOn!: string;
}

/** Contribution months for one fiscal year (納付月数). */
@Entity({ name: 'contribution_record' })
export class ContributionRecord {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @PrimaryColumn({ name: 'fiscal_year', type: 'int' })
  fiscalYear!: number;

  @Column({ name: 'months_paid', type: 'int' })
  monthsPaid!: number;

  @Column({ name: 'months_exempt', type: 'int' })
  monthsExempt!: number;
}

/** A premium exemption application and its outcome (保険料免除). */
@Entity({ name: 'premium_exemption' })
export class PremiumExemption {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @PrimaryColumn({ name: 'fiscal_year', type: 'int' })
  fiscalYear!: number;

  @Column({ type: 'text' })
  status!: (typeof EXEMPTION_STATUSES)[number];
}

/** Benefit status and annual amount (年金給付). */
@Entity({ name: 'pension_benefit' })
export class PensionBenefit {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'text' })
  status!: (typeof BENEFIT_STATUSES)[number];

  @Column({ name: 'annual_amount_yen', ...yenColumn })
  annualAmountYen!: number;
}
