import { computeAgencyCode, type AgencyCode } from './agency-code';
import { CodesError } from './codes.exception';
import { encryptCode, type Ciphertext } from './elgamal';
import type { IssuerBundle } from './key-bundles';
import type { PartyId } from './party-id';
import type { ProcessingSerial } from './processing-serial';
import { osRandom, type RandomSource } from './random-source';

/** The issuer computes P_A = s_A · H(serial) for one party. */
export function issueAgencyCode(issuer: IssuerBundle, party: PartyId, serial: ProcessingSerial): AgencyCode {
  const pseudonymKey = issuer.pseudonymKeys.get(party);
  if (!pseudonymKey) throw new CodesError('issuer-bundle', 'unknown-party', `no pseudonym key for party '${party}'`);
  return computeAgencyCode(pseudonymKey, serial);
}

/** The code as Enc(Y_A, P_A): only the agency it belongs to can read the answer. */
export function issueEncryptedAgencyCode(
  issuer: IssuerBundle,
  party: PartyId,
  serial: ProcessingSerial,
  rng: RandomSource = osRandom,
): Ciphertext {
  const publicKey = issuer.publicKeys.get(party);
  if (!publicKey) throw new CodesError('issuer-bundle', 'unknown-party', `no public key for party '${party}'`);
  return encryptCode(issueAgencyCode(issuer, party, serial), publicKey, rng);
}
