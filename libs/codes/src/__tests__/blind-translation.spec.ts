import { hashSerialToGroup } from '../agency-code';
import { edgeFactorsFor, readdressToSelf, translate } from '../blind-translation';
import { issueAgencyCode } from '../code-issuance';
import { CodesError } from '../codes.exception';
import { transform } from '../edge-factors';
import { encryptSubjects, openSelfAddressed, receiveCode } from '../edge-endpoints';
import { decryptCode, encryptCode, rekey, rerandomize, reshuffle } from '../elgamal';
import { encodePoint, invertScalar, multiply, pointsEqual } from '../group';
import { runKeyCeremony } from '../key-ceremony';
import { generateProcessingSerial } from '../processing-serial';
import { seededRandom } from '../random-source';
import { SecretScalar } from '../secret-scalar';
import { CEREMONY_INPUT, CEREMONY_SEED, EDGES, FORBIDDEN_EDGES } from './fixtures';

const ceremony = runKeyCeremony(CEREMONY_INPUT, { seed: CEREMONY_SEED });
const rng = seededRandom('blind translation spec');
const serial = generateProcessingSerial(rng);

function party(id: string) {
  const bundle = ceremony.parties.get(id);
  if (!bundle) throw new Error(`no bundle for ${id}`);
  return bundle;
}
const codeAt = (id: string) => issueAgencyCode(ceremony.issuer, id, serial);

describe('blind translation along an edge', () => {
  it.each(EDGES.map((edge) => [edge.from, edge.to]))(
    'turns Enc(Y_A→B, P_A) from %s into Enc(Y_B←A, P_B←A) for %s, which B alone closes into P_B = s_B · H(serial)',
    (from, to) => {
      const [request] = encryptSubjects(party(from), codeAt(from), [to], rng);
      const translated = translate(ceremony.hub, from, to, request, rng);

      const sB = ceremony.issuer.pseudonymKeys.get(to)!;
      const direct = encodePoint(multiply(hashSerialToGroup(serial), sB.reveal()));
      expect(receiveCode(party(to), from, translated).toBytes()).toEqual(direct);
      // Decrypting alone gives the edge pseudonym, not the code: closing is B's own step.
      const edgePseudonym = decryptCode(translated, party(to).receiving.get(from)!.secretKey);
      expect(edgePseudonym.toBytes()).not.toEqual(direct);
      // The sender cannot read the output, and the input is not recognisable in it.
      expect(decryptCode(translated, party(from).sending.get(to)!.secretKey).toBytes()).not.toEqual(direct);
      expect(translated.toText()).not.toBe(request.toText());
    },
  );

  it('is reshuffle by n, then rekey by k, then rerandomize under Y_B←A', () => {
    const [{ from, to }] = EDGES;
    const factors = edgeFactorsFor(ceremony.hub, from, to)!;
    const [request] = encryptSubjects(party(from), codeAt(from), [to], rng);
    const stepwise = rerandomize(rekey(reshuffle(request, factors.reshuffle), factors.rekey), factors.receivingKey, rng);
    const onePass = transform(request, factors, rng);
    const receive = (c: typeof request) => receiveCode(party(to), from, c).toText();
    expect(receive(onePass)).toBe(receive(stepwise));
    expect(receive(onePass)).toBe(codeAt(to).toText());
  });

  it('encrypts one code for several edges with one randomness, each readable at its own end only', () => {
    const [toTax, toPortal] = encryptSubjects(party('pension-agency'), codeAt('pension-agency'), ['tax-agency', 'myna-portal'], rng);
    expect(pointsEqual(toTax.c1, toPortal.c1)).toBe(true);
    expect(toTax.toText()).not.toBe(toPortal.toText());
    const atTax = receiveCode(party('tax-agency'), 'pension-agency', translate(ceremony.hub, 'pension-agency', 'tax-agency', toTax, rng));
    const atPortal = receiveCode(party('myna-portal'), 'pension-agency', translate(ceremony.hub, 'pension-agency', 'myna-portal', toPortal, rng));
    expect(atTax.equals(codeAt('tax-agency'))).toBe(true);
    expect(atPortal.equals(codeAt('myna-portal'))).toBe(true);
    // A ciphertext for one edge translated along another gives nothing anyone holds.
    const crossed = translate(ceremony.hub, 'pension-agency', 'myna-portal', toTax, rng);
    expect(receiveCode(party('myna-portal'), 'pension-agency', crossed).equals(codeAt('myna-portal'))).toBe(false);
  });

  it('lets the portal address its own code to itself: rerandomized, not translated', () => {
    const [own] = encryptSubjects(party('myna-portal'), codeAt('myna-portal'), [{ self: true }], rng);
    const back = readdressToSelf(ceremony.hub, 'myna-portal', own, rng);
    expect(back.toText()).not.toBe(own.toText());
    expect(openSelfAddressed(party('myna-portal'), back).equals(codeAt('myna-portal'))).toBe(true);
    expect(() => readdressToSelf(ceremony.hub, 'tax-agency', own, rng)).toThrow(CodesError);
    expect(() => encryptSubjects(party('tax-agency'), codeAt('tax-agency'), [{ self: true }], rng)).toThrow(CodesError);
  });

  it.each(FORBIDDEN_EDGES.map((edge) => [edge.from, edge.to]))('has no keys or factors for %s → %s, which the legal table does not permit', (from, to) => {
    expect(edgeFactorsFor(ceremony.hub, from, to)).toBeUndefined();
    expect(party(from).sending.has(to)).toBe(false);
    expect(party(to).receiving.has(from)).toBe(false);
    const [someRequest] = encryptSubjects(party(from), codeAt(from), [[...party(from).sending.keys()][0]], rng);
    expect(() => translate(ceremony.hub, from, to, someRequest, rng)).toThrow(expect.objectContaining({ name: 'CodesError', reason: 'pair-not-permitted' }));
    expect(() => encryptSubjects(party(from), codeAt(from), [to], rng)).toThrow(expect.objectContaining({ reason: 'pair-not-permitted' }));
    expect(() => receiveCode(party(to), from, someRequest)).toThrow(expect.objectContaining({ reason: 'pair-not-permitted' }));
  });

  it('forbids tax → health, the absent rule of DESIGN §6', () => {
    expect(FORBIDDEN_EDGES).toContainEqual({ from: 'tax-agency', to: 'health-agency' });
  });

  it('no longer inverts: health → tax’s factors, inverted, give tax nothing health can decrypt or close', () => {
    // With one key per party this forged tax → health (the scheme before edge keys; see breach.spec.ts).
    const reverse = edgeFactorsFor(ceremony.hub, 'health-agency', 'tax-agency')!;
    const forged = {
      ...reverse,
      from: 'tax-agency',
      to: 'health-agency',
      reshuffle: SecretScalar.fromScalar(invertScalar(reverse.reshuffle.reveal())),
      rekey: SecretScalar.fromScalar(invertScalar(reverse.rekey.reveal())),
      receivingKey: reverse.sendingKey,
    };
    const health = party('health-agency');
    for (const [to] of party('tax-agency').sending) {
      const [request] = encryptSubjects(party('tax-agency'), codeAt('tax-agency'), [to], rng);
      const leaked = transform(request, forged, rng);
      const attempts = [
        ...[...health.sending.values()].map((key) => decryptCode(leaked, key.secretKey)),
        ...[...health.receiving.values()].flatMap((key) => {
          const plain = decryptCode(leaked, key.secretKey);
          return [plain, receiveCode(health, key.from, leaked)];
        }),
      ];
      expect(attempts.some((code) => code.equals(codeAt('health-agency')))).toBe(false);
    }
  });

  it('rejects a ciphertext that is not for this edge’s receiving key', () => {
    const stranger = encryptCode(codeAt('tax-agency'), party('tax-agency').sending.get('pension-agency')!.publicKey, rng);
    expect(receiveCode(party('pension-agency'), 'tax-agency', stranger).equals(codeAt('pension-agency'))).toBe(false);
  });
});
