import type { Provider } from '@nestjs/common';
import { parseIssuerBundle, type IssuerBundle } from '@myna/codes';
import { SERVICE_KEYS } from '@myna/platform';
import type { ServiceKeyRing } from '@myna/protocol';

/** Every party's pseudonym key s_A, parsed once at start (a bad bundle stops the service). */
export const ISSUER_BUNDLE = Symbol('ISSUER_BUNDLE');

export const issuerBundleProvider: Provider<IssuerBundle> = {
  provide: ISSUER_BUNDLE,
  inject: [SERVICE_KEYS],
  useFactory: (ring: ServiceKeyRing | null): IssuerBundle => {
    if (!ring) throw new Error('code-issuer needs its key file: set usesKeys in its service definition');
    return parseIssuerBundle(ring.codesBundle);
  },
};
