import { MESSAGING_ENTITIES } from '@myna/messaging';
import type { ServiceDefinition } from '@myna/platform';
import { PORTAL_ENTITIES, PortalModule } from './portal.module';
import { migrations } from './migrations';
import { MYNA_PORTAL } from '@myna/protocol';

export const mynaPortalService: ServiceDefinition = {
  name: MYNA_PORTAL,
  title: 'MynaPortal (citizen portal)',
  description:
    `Lets a citizen sign in with a My Number Card and PIN and see every exchange about them, addressed by the portal's own code (機関別符号).`,
  entities: [...PORTAL_ENTITIES, ...MESSAGING_ENTITIES],
  migrations,
  imports: (runtime) => [PortalModule.forRuntime(runtime)],
  usesKeys: true,
  // `/` sends a citizen to their records or to sign-in.
  ownHomePage: true,
};
