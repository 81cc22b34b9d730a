import type { ServiceDefinition } from '@myna/platform';
import { migrations } from './migrations';

export const mynaPortalService: ServiceDefinition = {
  name: 'myna-portal',
  title: 'MynaPortal (citizen portal)',
  description:
    `Lets a citizen sign in with a My Number Card and PIN and see every exchange about them, addressed by the portal's own code.`,
  entities: [],
  migrations,
  imports: [],
};
