import { AGENCY_BULK_ROUTES, AGENCY_ENTITIES, AgencyModule } from '@myna/agency';
import type { ServiceDefinition } from '@myna/platform';
import { migrations } from './migrations';
import { taxationDomain } from './taxation/taxation.domain';
import { IncomeRecord, TaxAssessment } from './taxation/taxation.entities';
import { TAX_AGENCY } from '@myna/protocol';

export const taxAgencyService: ServiceDefinition = {
  name: TAX_AGENCY,
  title: 'Tax agency (municipal tax office)',
  description:
    `Income and tax assessments, keyed by the tax agency's own agency code (機関別符号). Holds no My Number and no other agency's code.`,
  entities: [...AGENCY_ENTITIES, IncomeRecord, TaxAssessment],
  migrations,
  imports: (runtime) => [AgencyModule.forAgency(TAX_AGENCY, taxationDomain, runtime)],
  usesKeys: true,
  bulkRoutes: AGENCY_BULK_ROUTES,
};
