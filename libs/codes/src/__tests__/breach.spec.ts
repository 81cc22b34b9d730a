/**
 * Build 3 of issue 13, as tests: what the hub's factors allow on their own (a),
 * and together with one party's key file (b). The symbolic analysis decides it
 * for every composition; the search tries every composition of up to three
 * factors and inverses on the real keys of a ceremony; both are checked against
 * the scheme before edge keys, where they must find what the hub could do then.
 */
import { edgeFactorsFor } from '../blind-translation';
import { issueAgencyCode } from '../code-issuance';
import { describeEdge, type Edge } from '../edge';
import { ElGamalPublicKey } from '../elgamal';
import { invertScalar, multiply, multiplyScalars } from '../group';
import { AgencyCode } from '../agency-code';
import { analyseClosure, breachKnowledge, edgeKeyScheme, partyKeyScheme, secret } from '../breach/factor-algebra';
import { searchCompositions } from '../breach/composition-search';
import { runKeyCeremony } from '../key-ceremony';
import { generateProcessingSerial } from '../processing-serial';
import { seededRandom } from '../random-source';
import { SecretScalar } from '../secret-scalar';
import { CEREMONY_INPUT, CEREMONY_SEED, EDGES, PARTIES, SELF_ADDRESSED } from './fixtures';

const scheme = edgeKeyScheme(PARTIES, EDGES, SELF_ADDRESSED);
const incident = (party: string) => EDGES.filter((edge) => edge.from === party || edge.to === party);
const inNeighbours = (party: string) => EDGES.filter((edge) => edge.to === party).map((edge) => edge.from);

describe('(a) the closure of the hub’s factors under composition and inversion', () => {
  const analysis = analyseClosure(scheme);

  it('reaches exactly the permitted edges (and each sender reading its own ciphertext): nothing else any party can decrypt and close', () => {
    expect(analysis.beyondPermitted).toEqual([]);
    const key = (t: { input: string; party: string; key: string; closing: string | null }) => `${t.input}|${t.party}|${t.key}|${t.closing}`;
    expect(analysis.reachable.map(key).sort()).toEqual(scheme.permitted.map(key).sort());
    // Every factor is independent of the others: no composition of some equals another.
    expect(analysis.rank).toBe(analysis.factors);
    expect(analysis.candidates).toBeGreaterThan(500);
  });

  it('finds what the hub could do before edge keys: invert health → tax into tax → health, and more', () => {
    const before = analyseClosure(partyKeyScheme(PARTIES, EDGES));
    const forbidden = before.beyondPermitted.map((t) => `${t.input} → ${t.party}`);
    expect(forbidden).toContain("tax-agency's subject → health-agency");
    expect(forbidden.length).toBeGreaterThan(0);
  });

  it('on the real keys: every composition of up to 3 factors and inverses, on every kind of ciphertext, decrypts and closes only along a permitted edge', () => {
    const ceremony = runKeyCeremony(CEREMONY_INPUT, { seed: CEREMONY_SEED });
    const serial = generateProcessingSerial(seededRandom('composition search'));
    const search = searchCompositions(ceremony, serial, { maxLength: 3, sampledMisses: 6, rng: seededRandom('composition sample') });

    expect(search.operations).toBe(6 * EDGES.length);
    const g = search.operations;
    expect(search.compositions).toBe(1 + g + (g * (g + 1)) / 2 + (g * (g + 1) * (g + 2)) / 6);
    expect(search.inputs).toBe(EDGES.length + SELF_ADDRESSED.length);
    const effects = search.hits.map((hit) => `${hit.input}|${hit.party}|${hit.closing ?? '-'}`).sort();
    const permitted = [
      ...EDGES.flatMap((edge) => [`${describeEdge(edge)}|${edge.from}|-`, `${describeEdge(edge)}|${edge.to}|c[${describeEdge(edge)}]`]),
      ...SELF_ADDRESSED.map((party) => `${party} → itself|${party}|-`),
    ].sort();
    expect(effects).toEqual(permitted);
    // The permitted edge is reached by the hub's own step (t: reshuffle and rekey together).
    for (const edge of EDGES) {
      const hit = search.hits.find((candidate) => candidate.input === describeEdge(edge) && candidate.party === edge.to)!;
      expect(hit.composition).toEqual([`t[${describeEdge(edge)}]`]);
    }
    expect(search.replayed.every((replay) => replay.matches)).toBe(true);
    expect(search.sampledMisses.compositions).toBe(6);
    expect(search.sampledMisses.attempts).toBeGreaterThan(100);
    expect(search.sampledMisses.codesFound).toBe(0);
  });
});

describe('(b) the hub and one party’s key file', () => {
  it.each(PARTIES)('%s: recovers only the keys of its own edges, and links its persons only to the codes of the parties that send to it', (party) => {
    const knowledge = breachKnowledge(scheme, EDGES, party);
    const ownEdges = incident(party);
    expect(knowledge.keys.sort()).toEqual(
      [...ownEdges.flatMap((edge) => [secret.sending(edge), secret.receiving(edge)]), ...(SELF_ADDRESSED.includes(party as never) ? [secret.self(party)] : [])].sort(),
    );
    expect(knowledge.linkedCodes.sort()).toEqual(inNeighbours(party).sort());
    expect(knowledge.readableInputs.sort()).toEqual(
      [...ownEdges.map(describeEdge), ...(SELF_ADDRESSED.includes(party as never) ? [`${party} → itself`] : [])].sort(),
    );
  });

  it('compared with one key per party, where the hub and any one party recover every key', () => {
    const before = partyKeyScheme(PARTIES, EDGES);
    for (const party of PARTIES) expect(breachKnowledge(before, EDGES, party).keys).toHaveLength(PARTIES.length);
  });

  it('on the real keys: pension’s key file and the hub’s factors give the other end of each of pension’s edges and nothing that decrypts another edge', () => {
    const ceremony = runKeyCeremony(CEREMONY_INPUT, { seed: CEREMONY_SEED });
    const pension = ceremony.parties.get('pension-agency')!;
    const recovered: { edge: Edge; key: SecretScalar }[] = [];
    for (const [to, key] of pension.sending) {
      const k = edgeFactorsFor(ceremony.hub, 'pension-agency', to)!.rekey;
      recovered.push({ edge: { from: 'pension-agency', to }, key: SecretScalar.fromScalar(multiplyScalars(k.reveal(), key.secretKey.reveal())) });
    }
    for (const [from, key] of pension.receiving) {
      const k = edgeFactorsFor(ceremony.hub, from, 'pension-agency')!.rekey;
      recovered.push({ edge: { from, to: 'pension-agency' }, key: SecretScalar.fromScalar(multiplyScalars(invertScalar(k.reveal()), key.secretKey.reveal())) });
    }
    for (const { edge, key } of recovered) {
      const factors = edgeFactorsFor(ceremony.hub, edge.from, edge.to)!;
      const expected = edge.from === 'pension-agency' ? factors.receivingKey : factors.sendingKey;
      expect(ElGamalPublicKey.of(key).equals(expected)).toBe(true);
    }
    // Every other edge's keys stay out of reach: none of the recovered keys is theirs.
    const recoveredKeys = new Set(recovered.map(({ key }) => ElGamalPublicKey.of(key).toText()));
    for (const factors of ceremony.hub.edges.values()) {
      if (factors.from === 'pension-agency' || factors.to === 'pension-agency') continue;
      expect(recoveredKeys.has(factors.sendingKey.toText()) || recoveredKeys.has(factors.receivingKey.toText())).toBe(false);
    }

    // Linking: a pension person's code becomes the code of a party that sends to pension (P_A = (n·c)⁻¹ · P_pension) ...
    const serial = generateProcessingSerial(seededRandom('breach b'));
    const pensionCode = issueAgencyCode(ceremony.issuer, 'pension-agency', serial);
    const fromHealth = edgeFactorsFor(ceremony.hub, 'health-agency', 'pension-agency')!;
    const toHealth = invertScalar(multiplyScalars(fromHealth.reshuffle.reveal(), pension.receiving.get('health-agency')!.closingScalar.reveal()));
    expect(AgencyCode.fromGroupElement(multiply(pensionCode.groupElement(), toHealth)).equals(issueAgencyCode(ceremony.issuer, 'health-agency', serial))).toBe(true);
    // ... but along its own outgoing edge only into the receiver's edge pseudonym, never its code.
    const toTax = edgeFactorsFor(ceremony.hub, 'pension-agency', 'tax-agency')!;
    const pseudonym = AgencyCode.fromGroupElement(multiply(pensionCode.groupElement(), toTax.reshuffle.reveal()));
    expect(pseudonym.equals(issueAgencyCode(ceremony.issuer, 'tax-agency', serial))).toBe(false);
  });
});
