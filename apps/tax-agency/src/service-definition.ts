import type { ServiceDefinition } from '@myna/platform';
import { migrations } from './migrations';

export const taxAgencyService: ServiceDefinition = {
  name: 'tax-agency',
  title: 'Tax agency (municipal tax office)',
  description:
    `Income and tax assessments, keyed by the tax agency's own agency code. Holds no My Number and no other agency's code.`,
  entities: [],
  migrations,
  imports: [],
};
