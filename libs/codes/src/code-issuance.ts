import { AgencyCode, agencyCodeFromBase, hashSerialToGroup } from './agency-code';
import { CodesError } from './codes.exception';
import { encodePoint } from './group';
import type { IssuerBundle } from './key-bundles';
import type { PartyId } from './party-id';
import { multiplyPointFromBytes } from './point-text';
import type { ProcessingSerial } from './processing-serial';
import type { SecretScalar } from './secret-scalar';

/** The issuer computes P_A = s_A · H(serial) for one party. */
export function issueAgencyCode(issuer: IssuerBundle, party: PartyId, serial: ProcessingSerial): AgencyCode {
  return agencyCodeFromBase(pseudonymKeyOf(issuer, party), hashSerialToGroup(serial));
}

/**
 * A person's base point H(serial), encoded: the part of a code computation that is
 * the same for every party. The issuer may keep it, as it keeps the serial, to give
 * the same person's next code without hashing to the group again; it is as secret
 * as the serial and never leaves the issuer.
 */
export function serialBasePoint(serial: ProcessingSerial): Uint8Array {
  return encodePoint(hashSerialToGroup(serial));
}

/**
 * `issueAgencyCode` from the person's base point (`serialBasePoint`) instead of the
 * serial. The encoding is decoded, and refused when it is not canonical, by the
 * multiplication itself: once, not twice.
 */
export function issueAgencyCodeFromBase(issuer: IssuerBundle, party: PartyId, basePoint: Uint8Array): AgencyCode {
  const code = multiplyPointFromBytes(basePoint, pseudonymKeyOf(issuer, party).reveal(), 'processing-serial', 'a base point');
  return AgencyCode.fromGroupElement(code);
}

function pseudonymKeyOf(issuer: IssuerBundle, party: PartyId): SecretScalar {
  const pseudonymKey = issuer.pseudonymKeys.get(party);
  if (!pseudonymKey) throw new CodesError('issuer-bundle', 'unknown-party', `no pseudonym key for party '${party}'`);
  return pseudonymKey;
}
