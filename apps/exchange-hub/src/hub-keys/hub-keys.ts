import type { Provider } from '@nestjs/common';
import { parseHubBundle, type HubBundle } from '@myna/codes';
import { SERVICE_KEYS } from '@myna/platform';
import { EXCHANGE_HUB, LegalTable, type ServiceKeyRing } from '@myna/protocol';

/** The hub's key material, imported and parsed once at start: a bad key file stops the service. */
export class HubKeys {
  constructor(
    /** Its JOSE keys and the directory of every service's public keys. */
    readonly ring: ServiceKeyRing,
    /** Each permitted edge's factors and public keys, and the portal's public self key. */
    readonly codes: HubBundle,
  ) {}

  toString(): string {
    return '[HubKeys]';
  }

  toJSON(): string {
    return this.toString();
  }
}

export const hubKeysProvider: Provider<HubKeys> = {
  provide: HubKeys,
  inject: [SERVICE_KEYS],
  useFactory: (ring: ServiceKeyRing | null): HubKeys => {
    if (!ring || ring.service !== EXCHANGE_HUB) throw new Error('exchange-hub needs its own key file: set usesKeys in its service definition');
    return new HubKeys(ring, parseHubBundle(ring.codesBundle));
  },
};

/** The checked-in legal-basis table, validated once at start. */
export const legalTableProvider: Provider<LegalTable> = {
  provide: LegalTable,
  useFactory: () => LegalTable.load(),
};
