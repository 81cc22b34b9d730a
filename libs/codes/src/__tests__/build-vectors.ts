/**
 * Builds the deterministic test vectors from fixed seeds. `npx nx run codes:vectors`
 * prints them; vectors.json is that output, committed; vectors.spec.ts checks that
 * the code still reproduces it byte for byte.
 */
import { hashSerialToGroup } from '../agency-code';
import { issueAgencyCode } from '../code-issuance';
import { bytesToHex } from '@noble/hashes/utils';
import { translate } from '../blind-translation';
import { encryptSubjects, receiveCode } from '../edge-endpoints';
import { decryptCode } from '../elgamal';
import { encodePoint } from '../group';
import { serializeHubBundle, serializeIssuerBundle, serializePartyBundle } from '../key-bundles';
import { runKeyCeremony } from '../key-ceremony';
import { generateMyNumber } from '../my-number';
import { generateProcessingSerial } from '../processing-serial';
import { seededRandom } from '../random-source';
import { generateResidenceCode } from '../residence-code';
import { CEREMONY_INPUT, CEREMONY_SEED, EDGES, PARTIES } from './fixtures';

const PERSONS = 3;

export function buildVectors() {
  const ceremony = runKeyCeremony(CEREMONY_INPUT, { seed: CEREMONY_SEED });
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

  const translations = EDGES.map(({ from, to }, index) => {
    const person = persons[index % PERSONS];
    const rngSeed = `translation ${index}`;
    const rng = seededRandom(rngSeed);
    const fromCode = issueAgencyCode(ceremony.issuer, from, person.serialObject);
    const sender = ceremony.parties.get(from);
    const receiver = ceremony.parties.get(to);
    if (!sender || !receiver) throw new Error('ceremony lost a party');
    const [request] = encryptSubjects(sender, fromCode, [to], rng);
    const translated = translate(ceremony.hub, from, to, request, rng);
    return {
      person: index % PERSONS,
      from,
      to,
      rngSeed,
      request: request.toText(),
      translated: translated.toText(),
      edgePseudonym: decryptCode(translated, receiver.receiving.get(from)!.secretKey).toText(),
      toCode: receiveCode(receiver, from, translated).toText(),
    };
  });

  return {
    description:
      'Deterministic vectors for @myna/codes (edge keys and closing scalars). Regenerate with `npx nx run codes:vectors` only when the scheme changes on purpose.',
    ceremony: {
      seed: CEREMONY_SEED,
      partyIds: [...PARTIES],
      edges: EDGES,
      selfAddressed: CEREMONY_INPUT.selfAddressed,
      issuerBundle: serializeIssuerBundle(ceremony.issuer),
      partyBundles: Object.fromEntries([...ceremony.parties].map(([party, bundle]) => [party, serializePartyBundle(bundle)])),
      hubBundle: serializeHubBundle(ceremony.hub),
    },
    persons: persons.map(({ serialObject: _serial, ...person }) => person),
    translations,
  };
}

export type Vectors = ReturnType<typeof buildVectors>;
