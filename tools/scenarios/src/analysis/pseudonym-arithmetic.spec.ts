import { decryptCode, encryptCode, generateProcessingSerial, issueAgencyCode, runKeyCeremony, translate, type PartyId } from '@myna/codes';
import { derivablePairs, derivedReshuffles, GROUP_ORDER, heldPairs, modInverse, recoverElGamalKeys, reshuffleCode } from './pseudonym-arithmetic';

const PARTIES = ['tax-agency', 'pension-agency', 'health-agency', 'myna-portal'] as const;
const ceremony = runKeyCeremony(
  {
    parties: [...PARTIES],
    permittedPairs: [
      { requester: 'pension-agency', provider: 'tax-agency' },
      { requester: 'health-agency', provider: 'tax-agency' },
    ],
  },
  { seed: 'scenario arithmetic tests' },
);
const serial = generateProcessingSerial();
const codeAt = (party: PartyId) => issueAgencyCode(ceremony.issuer, party, serial);

describe('what a breached hub can compute from its factors', () => {
  it('inverts scalars modulo the group order', () => {
    const value = 123456789n;
    expect((value * modInverse(value)) % GROUP_ORDER).toBe(1n);
  });

  it('holds the permitted pairs only, but derives the reverse and chained ones', () => {
    expect(heldPairs(ceremony.hub)).toEqual(['health-agency → tax-agency', 'pension-agency → tax-agency']);
    const pairs = derivablePairs(ceremony.hub);
    // tax, pension and health are connected through tax; the portal is in no pair here.
    expect(pairs.map((pair) => pair.pair)).toContain('tax-agency → health-agency');
    expect(pairs.map((pair) => pair.pair)).toContain('pension-agency → health-agency');
    expect(pairs.filter((pair) => pair.held)).toHaveLength(2);
    expect(pairs).toHaveLength(6);
    expect(pairs.some((pair) => pair.pair.includes('myna-portal'))).toBe(false);
  });

  it('turns one person’s code at one party into their code at any connected party: P_B = n_AB · P_A', () => {
    const fromTax = derivedReshuffles(ceremony.hub, 'tax-agency');
    expect(reshuffleCode(codeAt('tax-agency'), fromTax.get('health-agency')!).equals(codeAt('health-agency'))).toBe(true);
    expect(reshuffleCode(codeAt('tax-agency'), fromTax.get('pension-agency')!).equals(codeAt('pension-agency'))).toBe(true);
    expect(fromTax.has('myna-portal')).toBe(false);
  });

  it('recovers every connected party’s ElGamal secret from one of them, checked against the public keys', () => {
    const recovered = recoverElGamalKeys(ceremony.hub, 'pension-agency', ceremony.parties.get('pension-agency')!.secretKey);
    expect([...recovered.keys()].sort()).toEqual(['health-agency', 'pension-agency', 'tax-agency']);
    for (const [, key] of recovered) expect(key.matchesPublicKey).toBe(true);
    // And with it, reads what only health could: a subject health sent to the hub.
    const subject = encryptCode(codeAt('health-agency'), ceremony.parties.get('health-agency')!.publicKey);
    expect(decryptCode(subject, recovered.get('health-agency')!.secret).equals(codeAt('health-agency'))).toBe(true);
    const forTax = translate(ceremony.hub, 'health-agency', 'tax-agency', subject);
    expect(decryptCode(forTax, recovered.get('tax-agency')!.secret).equals(codeAt('tax-agency'))).toBe(true);
  });
});
