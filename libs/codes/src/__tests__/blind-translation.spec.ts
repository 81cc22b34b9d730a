import { hashSerialToGroup } from '../agency-code';
import { pairFactorsFor, translate } from '../blind-translation';
import { issueAgencyCode, issueEncryptedAgencyCode } from '../code-issuance';
import { CodesError } from '../codes.exception';
import { decryptCode, encryptCode, rekey, rerandomize, reshuffle } from '../elgamal';
import { encodePoint, invertScalar, multiply } from '../group';
import { runKeyCeremony } from '../key-ceremony';
import { transform } from '../pair-factors';
import { generateProcessingSerial } from '../processing-serial';
import { seededRandom } from '../random-source';
import { SecretScalar } from '../secret-scalar';
import { CEREMONY_SEED, FORBIDDEN_PAIRS, PARTIES, PERMITTED_PAIRS } from './fixtures';

const ceremony = runKeyCeremony({ parties: PARTIES, permittedPairs: PERMITTED_PAIRS }, { seed: CEREMONY_SEED });
const rng = seededRandom('blind translation spec');
const serial = generateProcessingSerial(rng);

function party(id: string) {
  const bundle = ceremony.parties.get(id);
  if (!bundle) throw new Error(`no bundle for ${id}`);
  return bundle;
}

describe('blind translation', () => {
  it.each(PERMITTED_PAIRS.map((pair) => [pair.requester, pair.provider]))(
    'turns Enc(Y_A, P_A) from %s into Enc(Y_B, P_B) for %s, P_B = s_B · H(serial) computed directly',
    (requester, provider) => {
      const codeA = issueAgencyCode(ceremony.issuer, requester, serial);
      const request = encryptCode(codeA, party(requester).publicKey, rng);
      const translated = translate(ceremony.hub, requester, provider, request, rng);

      const sB = ceremony.issuer.pseudonymKeys.get(provider);
      if (!sB) throw new Error('no pseudonym key');
      const direct = encodePoint(multiply(hashSerialToGroup(serial), sB.reveal()));
      expect(decryptCode(translated, party(provider).secretKey).toBytes()).toEqual(direct);
      // The requester cannot read the answer, and the input is not recognisable in the output.
      expect(decryptCode(translated, party(requester).secretKey).toBytes()).not.toEqual(direct);
      expect(translated.toText()).not.toBe(request.toText());
    },
  );

  it('is reshuffle by n, then rekey by k, then rerandomize under Y_B', () => {
    const [{ requester, provider }] = PERMITTED_PAIRS;
    const factors = pairFactorsFor(ceremony.hub, requester, provider);
    if (!factors) throw new Error('no factors');
    const request = encryptCode(issueAgencyCode(ceremony.issuer, requester, serial), party(requester).publicKey, rng);
    const stepwise = rerandomize(rekey(reshuffle(request, factors.reshuffle), factors.rekey), party(provider).publicKey, rng);
    const onePass = transform(request, factors, party(provider).publicKey, rng);
    const decrypt = (c: typeof request) => decryptCode(c, party(provider).secretKey).toText();
    expect(decrypt(onePass)).toBe(decrypt(stepwise));
    expect(decrypt(onePass)).toBe(issueAgencyCode(ceremony.issuer, provider, serial).toText());
  });

  it.each(FORBIDDEN_PAIRS.map((pair) => [pair.requester, pair.provider]))(
    'has no factors for %s → %s, which the legal table does not permit',
    (requester, provider) => {
      expect(pairFactorsFor(ceremony.hub, requester, provider)).toBeUndefined();
      const request = encryptCode(issueAgencyCode(ceremony.issuer, requester, serial), party(requester).publicKey, rng);
      expect(() => translate(ceremony.hub, requester, provider, request, rng)).toThrow(
        expect.objectContaining({ name: 'CodesError', reason: 'pair-not-permitted' }),
      );
    },
  );

  it('forbids tax → health, the absent rule of DESIGN §6', () => {
    expect(FORBIDDEN_PAIRS).toContainEqual({ requester: 'tax-agency', provider: 'health-agency' });
  });

  it('states what a hub breach reveals: factors alone link nothing, factors plus two agencies’ tables do', () => {
    // The hub's log holds ciphertexts only. But n_AB maps A's code to B's (P_B = n_AB · P_A),
    // so whoever holds the hub's factors AND both agencies' code tables can join them.
    const factors = pairFactorsFor(ceremony.hub, 'pension-agency', 'tax-agency');
    if (!factors) throw new Error('no factors');
    const pension = issueAgencyCode(ceremony.issuer, 'pension-agency', serial);
    const tax = issueAgencyCode(ceremony.issuer, 'tax-agency', serial);
    expect(encodePoint(multiply(pension.groupElement(), factors.reshuffle.reveal()))).toEqual(tax.toBytes());
  });

  it('states what arithmetic cannot enforce: a hub that misbehaves can invert and chain its factors', () => {
    // tax → health is not permitted, but health → tax is: 1/n and 1/k are the missing factors.
    // So the arithmetic bounds a compromised hub only to the connected components of the
    // legal table taken as an undirected graph; direction is enforced by the hub's policy.
    const reverse = pairFactorsFor(ceremony.hub, 'health-agency', 'tax-agency');
    if (!reverse) throw new Error('no factors');
    const forged = {
      requester: 'tax-agency',
      provider: 'health-agency',
      reshuffle: SecretScalar.fromScalar(invertScalar(reverse.reshuffle.reveal())),
      rekey: SecretScalar.fromScalar(invertScalar(reverse.rekey.reveal())),
    };
    const request = encryptCode(issueAgencyCode(ceremony.issuer, 'tax-agency', serial), party('tax-agency').publicKey, rng);
    const leaked = transform(request, forged, party('health-agency').publicKey, rng);
    expect(decryptCode(leaked, party('health-agency').secretKey).equals(issueAgencyCode(ceremony.issuer, 'health-agency', serial))).toBe(true);
  });

  it('lets the issuer answer an enrolment with the code encrypted to that agency only', () => {
    const answer = issueEncryptedAgencyCode(ceremony.issuer, 'tax-agency', serial, rng);
    const code = issueAgencyCode(ceremony.issuer, 'tax-agency', serial);
    expect(decryptCode(answer, party('tax-agency').secretKey).equals(code)).toBe(true);
    expect(decryptCode(answer, party('pension-agency').secretKey).equals(code)).toBe(false);
    expect(() => issueAgencyCode(ceremony.issuer, 'unknown-agency', serial)).toThrow(CodesError);
  });
});
