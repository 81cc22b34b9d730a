/**
 * Builds the deterministic test vectors from fixed seeds. `npx nx run codes:vectors`
 * prints them; vectors.json is that output, committed; vectors.spec.ts checks that
 * the code still reproduces it byte for byte.
 */
import { hashSerialToGroup } from '../agency-code';
import { issueAgencyCode } from '../code-issuance';
import { bytesToHex } from '@noble/hashes/utils';
import { translate } from '../blind-translation';
import { decryptCode, encryptCode } from '../elgamal';
import { encodePoint } from '../group';
import { serializeHubBundle, serializeIssuerBundle, serializePartyBundle } from '../key-bundles';
import { runKeyCeremony } from '../key-ceremony';
import { generateMyNumber } from '../my-number';
import { generateProcessingSerial } from '../processing-serial';
import { seededRandom } from '../random-source';
import { generateResidenceCode } from '../residence-code';
import { CEREMONY_SEED, PARTIES, PERMITTED_PAIRS } from './fixtures';

const PERSONS = 3;

export function buildVectors() {
  const ceremony = runKeyCeremony({ parties: PARTIES, permittedPairs: PERMITTED_PAIRS }, { seed: CEREMONY_SEED });
  const persons = Array.from({ length: PERSONS }, (_, index) => {
    const rng = seededRandom(`person ${index}`);
    const myNumber = generateMyNumber(rng);
    const residenceCode = generateResidenceCode(rng);
    const serial = generateProcessingSerial(rng);
    return {
      rngSeed: `person ${index}`,
      myNumber,
      residenceCode,
      serial: serial.toText(),
      baseElementHex: bytesToHex(encodePoint(hashSerialToGroup(serial))),
      agencyCodes: Object.fromEntries(PARTIES.map((party) => [party, issueAgencyCode(ceremony.issuer, party, serial).toText()])),
      serialObject: serial,
    };
  });

  const translations = PERMITTED_PAIRS.map(({ requester, provider }, index) => {
    const person = persons[index % PERSONS];
    const rngSeed = `translation ${index}`;
    const rng = seededRandom(rngSeed);
    const requesterCode = issueAgencyCode(ceremony.issuer, requester, person.serialObject);
    const requesterBundle = ceremony.parties.get(requester);
    const providerBundle = ceremony.parties.get(provider);
    if (!requesterBundle || !providerBundle) throw new Error('ceremony lost a party');
    const request = encryptCode(requesterCode, requesterBundle.publicKey, rng);
    const translated = translate(ceremony.hub, requester, provider, request, rng);
    return {
      person: index % PERSONS,
      requester,
      provider,
      rngSeed,
      request: request.toText(),
      translated: translated.toText(),
      providerCode: decryptCode(translated, providerBundle.secretKey).toText(),
    };
  });

  return {
    description:
      'Deterministic vectors for @myna/codes. Regenerate with `npx nx run codes:vectors` only when the scheme changes on purpose.',
    ceremony: {
      seed: CEREMONY_SEED,
      partyIds: [...PARTIES],
      permittedPairs: PERMITTED_PAIRS,
      issuerBundle: serializeIssuerBundle(ceremony.issuer),
      partyBundles: Object.fromEntries([...ceremony.parties].map(([party, bundle]) => [party, serializePartyBundle(bundle)])),
      hubBundle: serializeHubBundle(ceremony.hub),
    },
    persons: persons.map(({ serialObject: _serial, ...person }) => person),
    translations,
  };
}

export type Vectors = ReturnType<typeof buildVectors>;
