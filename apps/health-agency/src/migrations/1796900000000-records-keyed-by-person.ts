import { RecordsKeyedByPerson, type RecordKeys } from '@myna/agency';

/** This agency's own tables keyed by person (and year or month), without a random row id. */
export class RecordsKeyedByPerson1796900000000 extends RecordsKeyedByPerson {
  name = 'RecordsKeyedByPerson1796900000000';
  protected readonly tables: RecordKeys = {
    health_coverage: ['person_id'],
    medical_claim: ['person_id', 'service_month'],
    cost_cap_category: ['person_id', 'fiscal_year'],
  };
}
