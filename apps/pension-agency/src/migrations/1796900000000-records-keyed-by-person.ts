import { RecordsKeyedByPerson, type RecordKeys } from '@myna/agency';

/** This agency's own tables keyed by person (and year or month), without a random row id. */
export class RecordsKeyedByPerson1796900000000 extends RecordsKeyedByPerson {
  name = 'RecordsKeyedByPerson1796900000000';
  protected readonly tables: RecordKeys = {
    pension_enrolment: ['person_id'],
    contribution_record: ['person_id', 'fiscal_year'],
    premium_exemption: ['person_id', 'fiscal_year'],
    pension_benefit: ['person_id'],
  };
}
