import { parsePartyBundle, type PartyBundle } from '@myna/codes';
import { SERVICE_KEYS } from '@myna/platform';
import { LegalTable, type Agency, type ServiceKeyRing } from '@myna/protocol';

/** Injection tokens of the agency module. */
export const AGENCY_PARTY = Symbol('AGENCY_PARTY');
export const OWN_CODE_KEYS = Symbol('OWN_CODE_KEYS');
export const LEGAL_TABLE = Symbol('LEGAL_TABLE');

/** Providers built once at start: this agency's name, the keys of its edges (libs/codes), the legal table. */
export function agencyCoreProviders(party: Agency) {
  return [
    { provide: AGENCY_PARTY, useValue: party },
    {
      provide: OWN_CODE_KEYS,
      inject: [SERVICE_KEYS],
      useFactory: (keys: ServiceKeyRing): PartyBundle => parsePartyBundle(keys.codesBundle),
    },
    { provide: LEGAL_TABLE, useFactory: () => LegalTable.load() },
  ];
}
