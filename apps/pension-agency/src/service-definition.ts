import { AGENCY_BULK_ROUTES, AGENCY_ENTITIES, AgencyModule } from '@myna/agency';
import type { ServiceDefinition } from '@myna/platform';
import { migrations } from './migrations';
import { pensionDomain } from './pension/pension.domain';
import { ContributionRecord, PensionBenefit, PensionEnrolment, PremiumExemption } from './pension/pension.entities';
import { PENSION_AGENCY } from '@myna/protocol';

export const pensionAgencyService: ServiceDefinition = {
  name: PENSION_AGENCY,
  title: 'Pension agency (Japan Pension Service)',
  description:
    `Enrolment, contributions, premium exemptions and benefits, keyed by the pension agency's own agency code (機関別符号).`,
  entities: [...AGENCY_ENTITIES, PensionEnrolment, ContributionRecord, PremiumExemption, PensionBenefit],
  migrations,
  imports: (runtime) => [AgencyModule.forAgency(PENSION_AGENCY, pensionDomain, runtime)],
  usesKeys: true,
  bulkRoutes: AGENCY_BULK_ROUTES,
};
