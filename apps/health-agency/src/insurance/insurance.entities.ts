import { Column, Entity, PrimaryColumn } from 'typeorm';
import { yenColumn } from '@myna/agency';

/** High-cost medical expense cap categories (高額療養費 所得区分), from highest income (a) to lowest (e). */
export const COST_CAP_CATEGORIES = ['a', 'b', 'c', 'd', 'e'] as const;

/** Insurance eligibility (資格). */
@Entity({ name: 'health_coverage' })
export class HealthCoverage {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'eligible_from', type: 'date' })
  eligibleFrom!: string;

  @Column({ name: 'eligible_until', type: 'date', nullable: true })
  eligibleUntil!: string | null;
}

/** One month's medical claims (レセプト), summed. */
@Entity({ name: 'medical_claim' })
export class MedicalClaim {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @PrimaryColumn({ name: 'service_month', type: 'char', length: 7 })
  serviceMonth!: string;

  @Column({ name: 'amount_yen', ...yenColumn })
  amountYen!: number;
}

/** The high-cost medical expense cap category for one fiscal year. */
@Entity({ name: 'cost_cap_category' })
export class CostCapCategory {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @PrimaryColumn({ name: 'fiscal_year', type: 'int' })
  fiscalYear!: number;

  @Column({ type: 'text' })
  category!: (typeof COST_CAP_CATEGORIES)[number];
}
