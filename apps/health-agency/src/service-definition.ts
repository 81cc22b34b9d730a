import { AGENCY_BULK_ROUTES, AGENCY_ENTITIES, AgencyModule } from '@myna/agency';
import type { ServiceDefinition } from '@myna/platform';
import { insuranceDomain } from './insurance/insurance.domain';
import { CostCapCategory, HealthCoverage, MedicalClaim } from './insurance/insurance.entities';
import { migrations } from './migrations';
import { HEALTH_AGENCY } from '@myna/protocol';

export const healthAgencyService: ServiceDefinition = {
  name: HEALTH_AGENCY,
  title: 'Health agency (health insurer)',
  description:
    `Insurance eligibility, claims and the high-cost medical-expense cap category, keyed by the health agency's own agency code (機関別符号).`,
  entities: [...AGENCY_ENTITIES, HealthCoverage, MedicalClaim, CostCapCategory],
  migrations,
  imports: (runtime) => [AgencyModule.forAgency(HEALTH_AGENCY, insuranceDomain, runtime)],
  usesKeys: true,
  bulkRoutes: AGENCY_BULK_ROUTES,
};
