import { parsePartyBundle, type PartyBundle } from '@myna/codes';
import { SERVICE_KEYS } from '@myna/platform';
import type { ServiceKeyRing } from '@myna/protocol';

/** The keys of the portal's edges and its self key (libs/codes), parsed once at start. */
export const PORTAL_CODE_KEYS = Symbol('PORTAL_CODE_KEYS');

export const portalCodeKeysProvider = {
  provide: PORTAL_CODE_KEYS,
  inject: [SERVICE_KEYS],
  useFactory: (keys: ServiceKeyRing): PartyBundle => parsePartyBundle(keys.codesBundle),
};
