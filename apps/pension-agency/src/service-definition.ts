import type { ServiceDefinition } from '@myna/platform';
import { migrations } from './migrations';

export const pensionAgencyService: ServiceDefinition = {
  name: 'pension-agency',
  title: 'Pension agency (Japan Pension Service)',
  description:
    `Enrolment, contributions, premium exemptions and benefits, keyed by the pension agency's own agency code.`,
  entities: [],
  migrations,
  imports: [],
};
