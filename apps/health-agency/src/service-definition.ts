import type { ServiceDefinition } from '@myna/platform';
import { migrations } from './migrations';

export const healthAgencyService: ServiceDefinition = {
  name: 'health-agency',
  title: 'Health agency (health insurer)',
  description:
    `Insurance eligibility, claims and the high-cost medical-expense cap category, keyed by the health agency's own agency code.`,
  entities: [],
  migrations,
  imports: [],
};
