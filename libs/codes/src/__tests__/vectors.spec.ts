import { bytesToHex } from '@noble/hashes/utils';
import { computeAgencyCode, hashSerialToGroup, parseAgencyCode } from '../agency-code';
import { translate } from '../blind-translation';
import { receiveCode } from '../edge-endpoints';
import { decryptCode, parseCiphertext } from '../elgamal';
import { encodePoint, multiply } from '../group';
import { parseHubBundle, parseIssuerBundle, parsePartyBundle } from '../key-bundles';
import { parseMyNumber } from '../my-number';
import { parseProcessingSerial } from '../processing-serial';
import { seededRandom } from '../random-source';
import { parseResidenceCode } from '../residence-code';
import { buildVectors } from './build-vectors';
import committed from './vectors.json';

describe('committed test vectors', () => {
  it('are reproduced byte for byte by the current code', () => {
    expect(JSON.parse(JSON.stringify(buildVectors()))).toEqual(committed);
  });

  const issuer = parseIssuerBundle(committed.ceremony.issuerBundle);
  const hub = parseHubBundle(committed.ceremony.hubBundle);
  const parties = new Map(Object.entries(committed.ceremony.partyBundles).map(([id, json]) => [id, parsePartyBundle(json)]));

  it('hold valid identifiers', () => {
    for (const person of committed.persons) {
      expect(parseMyNumber(person.myNumber)).toBe(person.myNumber);
      expect(parseResidenceCode(person.residenceCode)).toBe(person.residenceCode);
    }
  });

  it('hold agency codes equal to s_A · H(serial) from the committed bundles', () => {
    for (const person of committed.persons) {
      const serial = parseProcessingSerial(person.serial);
      expect(bytesToHex(encodePoint(hashSerialToGroup(serial)))).toBe(person.baseElementHex);
      for (const [party, code] of Object.entries(person.agencyCodes)) {
        const s = issuer.pseudonymKeys.get(party)!;
        expect(computeAgencyCode(s, serial).toText()).toBe(code);
        expect(parseAgencyCode(code).toBytes()).toEqual(encodePoint(multiply(hashSerialToGroup(serial), s.reveal())));
      }
    }
  });

  it.each(committed.translations)(
    'translate $from → $to into the receiver’s edge pseudonym, which it closes into its own code',
    ({ from, to, rngSeed, request, translated, edgePseudonym, toCode, person }) => {
      const receiver = parties.get(to)!;
      expect(decryptCode(parseCiphertext(translated), receiver.receiving.get(from)!.secretKey).toText()).toBe(edgePseudonym);
      expect(receiveCode(receiver, from, parseCiphertext(translated)).toText()).toBe(toCode);
      expect(toCode).toBe((committed.persons[person].agencyCodes as Record<string, string>)[to]);
      expect(edgePseudonym).not.toBe(toCode);
      // The same seed replays the same hub randomness: the translation itself is pinned.
      const replay = seededRandom(rngSeed);
      replay(64); // the sender's encryption drew first
      expect(translate(hub, from, to, parseCiphertext(request), replay).toText()).toBe(translated);
    },
  );
});
