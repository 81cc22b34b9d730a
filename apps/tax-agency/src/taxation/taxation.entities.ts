import { Column, Entity, PrimaryColumn } from 'typeorm';
import { yenColumn } from '@myna/agency';

/** Income as assessed for one fiscal year (所得). */
@Entity({ name: 'income_record' })
export class IncomeRecord {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @PrimaryColumn({ name: 'fiscal_year', type: 'int' })
  fiscalYear!: number;

  @Column({ name: 'income_yen', ...yenColumn })
  incomeYen!: number;
}

/** Municipal resident tax assessed for one fiscal year (住民税). */
@Entity({ name: 'tax_assessment' })
export class TaxAssessment {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @PrimaryColumn({ name: 'fiscal_year', type: 'int' })
  fiscalYear!: number;

  @Column({ name: 'resident_tax_yen', ...yenColumn })
  residentTaxYen!: number;
}
