import { computeAgencyCode, type AgencyCode } from './agency-code';
import { CodesError } from './codes.exception';
import type { IssuerBundle } from './key-bundles';
import type { PartyId } from './party-id';
import type { ProcessingSerial } from './processing-serial';

/** The issuer computes P_A = s_A · H(serial) for one party. */
export function issueAgencyCode(issuer: IssuerBundle, party: PartyId, serial: ProcessingSerial): AgencyCode {
  const pseudonymKey = issuer.pseudonymKeys.get(party);
  if (!pseudonymKey) throw new CodesError('issuer-bundle', 'unknown-party', `no pseudonym key for party '${party}'`);
  return computeAgencyCode(pseudonymKey, serial);
}
