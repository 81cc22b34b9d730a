import { CodesError, type CodesErrorReason } from '../codes.exception';
import { edgeKey } from '../edge';
import {
  parseHubBundle,
  parseIssuerBundle,
  parsePartyBundle,
  serializeHubBundle,
  serializeIssuerBundle,
  serializePartyBundle,
} from '../key-bundles';
import { runKeyCeremony } from '../key-ceremony';
import { seededRandom } from '../random-source';
import { CEREMONY_INPUT, CEREMONY_SEED, EDGES, PARTIES } from './fixtures';

const input = CEREMONY_INPUT;
const ceremony = runKeyCeremony(input, { seed: CEREMONY_SEED });

const issuerJson = serializeIssuerBundle(ceremony.issuer);
const hubJson = serializeHubBundle(ceremony.hub);
const partyJson = Object.fromEntries([...ceremony.parties].map(([id, bundle]) => [id, serializePartyBundle(bundle)]));

/** Every secret text the ceremony produced, by who should hold it. */
const pseudonymSecrets = [...ceremony.issuer.pseudonymKeys.values()].map((s) => s.exportText());
const partySecrets = new Map(
  [...ceremony.parties].map(([id, bundle]) => [
    id,
    [
      ...[...bundle.sending.values()].map((key) => key.secretKey.exportText()),
      ...[...bundle.receiving.values()].flatMap((key) => [key.secretKey.exportText(), key.closingScalar.exportText()]),
      ...(bundle.selfKey ? [bundle.selfKey.secretKey.exportText()] : []),
    ],
  ]),
);
const allPartySecrets = [...partySecrets.values()].flat();
const factorSecrets = [...ceremony.hub.edges.values()].flatMap((f) => [f.reshuffle.exportText(), f.rekey.exportText()]);

function reasonOf(run: () => unknown): CodesErrorReason {
  try {
    run();
  } catch (error) {
    if (error instanceof CodesError) return error.reason;
    throw error;
  }
  throw new Error('expected a CodesError');
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('key ceremony', () => {
  it('gives each party the keys of its own edges, a closing scalar per incoming edge, and nothing else', () => {
    for (const id of PARTIES) {
      const json = partyJson[id];
      expect(Object.keys(json).sort()).toEqual(['format', 'party', 'receiving', 'selfKey', 'sending', 'version']);
      expect(Object.keys(json.sending).sort()).toEqual(EDGES.filter((edge) => edge.from === id).map((edge) => edge.to).sort());
      expect(Object.keys(json.receiving).sort()).toEqual(EDGES.filter((edge) => edge.to === id).map((edge) => edge.from).sort());
      const text = JSON.stringify(json);
      const others = [...pseudonymSecrets, ...factorSecrets, ...allPartySecrets.filter((s) => !partySecrets.get(id)!.includes(s))];
      for (const secret of others) expect(text).not.toContain(secret);
    }
    expect(partyJson['myna-portal'].selfKey).not.toBeNull();
    expect(partyJson['tax-agency'].selfKey).toBeNull();
  });

  it('gives the issuer every pseudonym key and nothing else', () => {
    expect(Object.keys(issuerJson).sort()).toEqual(['format', 'pseudonymKeys', 'version']);
    const text = JSON.stringify(issuerJson);
    for (const secret of pseudonymSecrets) expect(text).toContain(secret);
    for (const secret of [...allPartySecrets, ...factorSecrets]) expect(text).not.toContain(secret);
  });

  it('gives the hub one set of factors per permitted edge, public keys, and no party secret', () => {
    const text = JSON.stringify(hubJson);
    for (const secret of [...pseudonymSecrets, ...allPartySecrets]) expect(text).not.toContain(secret);
    expect(hubJson.edges.map((f) => edgeKey(f.from, f.to)).sort()).toEqual(EDGES.map((e) => edgeKey(e.from, e.to)).sort());
    expect(Object.keys(hubJson.selfKeys)).toEqual(['myna-portal']);
  });

  it('gives every secret scalar and every public key a different value: no two edges share a key', () => {
    const all = [...pseudonymSecrets, ...allPartySecrets, ...factorSecrets];
    expect(new Set(all).size).toBe(all.length);
    const publicKeys = [...hubJson.edges.flatMap((edge) => [edge.sendingKey, edge.receivingKey]), ...Object.values(hubJson.selfKeys)];
    expect(new Set(publicKeys).size).toBe(2 * EDGES.length + 1);
  });

  it('is deterministic from a seed, and adding a party or an edge leaves the others unchanged', () => {
    const again = runKeyCeremony(input, { seed: CEREMONY_SEED });
    expect(serializeHubBundle(again.hub)).toEqual(hubJson);
    const bigger = runKeyCeremony(
      { ...input, parties: [...PARTIES, 'city-office'], edges: [...EDGES, { from: 'city-office', to: 'tax-agency' }] },
      { seed: CEREMONY_SEED },
    );
    expect(serializeHubBundle(bigger.hub).edges.filter((edge) => edge.from !== 'city-office')).toEqual(hubJson.edges);
    expect(serializePartyBundle(bigger.parties.get('pension-agency')!)).toEqual(partyJson['pension-agency']);
    expect(serializeHubBundle(runKeyCeremony(input, { seed: 'another seed' }).hub)).not.toEqual(hubJson);
  });

  it('draws fresh keys from the OS RNG by default, or from a given source', () => {
    expect(serializeHubBundle(runKeyCeremony(input).hub)).not.toEqual(serializeHubBundle(runKeyCeremony(input).hub));
    const a = runKeyCeremony(input, { rng: seededRandom('ceremony rng') });
    const b = runKeyCeremony(input, { rng: seededRandom('ceremony rng') });
    expect(serializeHubBundle(a.hub)).toEqual(serializeHubBundle(b.hub));
  });

  it('counts an edge named by several legal rules once', () => {
    const twice = runKeyCeremony({ ...input, edges: [...EDGES, ...EDGES] }, { seed: CEREMONY_SEED });
    expect(serializeHubBundle(twice.hub)).toEqual(hubJson);
  });

  it.each<[string, Parameters<typeof runKeyCeremony>[0], CodesErrorReason]>([
    ['no parties', { parties: [], edges: [] }, 'malformed'],
    ['a duplicated party', { parties: ['tax-agency', 'tax-agency'], edges: [] }, 'duplicate'],
    ['a party id that is not kebab-case', { parties: ['Tax Agency'], edges: [] }, 'malformed'],
    ['a prototype key as party id', { parties: ['__proto__'], edges: [] }, 'malformed'],
    ['an edge naming an unknown party', { parties: PARTIES, edges: [{ from: 'tax-agency', to: 'police' }] }, 'unknown-party'],
    ['an edge from a party to itself', { parties: PARTIES, edges: [{ from: 'tax-agency', to: 'tax-agency' }] }, 'malformed'],
    ['an edge that is not an object', { parties: PARTIES, edges: [null as never] }, 'malformed'],
    ['a self-addressed party that is not a party', { parties: PARTIES, edges: [], selfAddressed: ['police'] }, 'unknown-party'],
  ])('rejects %s', (_case, badInput, reason) => {
    expect(reasonOf(() => runKeyCeremony(badInput, { seed: CEREMONY_SEED }))).toBe(reason);
  });

  it('rejects an empty seed', () => {
    expect(reasonOf(() => runKeyCeremony(input, { seed: '' }))).toBe('malformed');
  });
});

describe('bundle JSON', () => {
  it('round-trips every bundle', () => {
    expect(serializeIssuerBundle(parseIssuerBundle(clone(issuerJson)))).toEqual(issuerJson);
    expect(serializeHubBundle(parseHubBundle(clone(hubJson)))).toEqual(hubJson);
    for (const id of PARTIES) expect(serializePartyBundle(parsePartyBundle(clone(partyJson[id])))).toEqual(partyJson[id]);
  });

  it('rejects a bundle of another kind or version, naming a key file from before edge keys', () => {
    expect(reasonOf(() => parseHubBundle(clone(issuerJson)))).toBe('malformed');
    expect(() => parseHubBundle({ ...clone(hubJson), version: 1 })).toThrow(/before edge keys/);
    expect(reasonOf(() => parsePartyBundle({ ...clone(partyJson['tax-agency']), format: 'myna-codes/hub-bundle' }))).toBe('malformed');
  });

  it('rejects missing and extra fields', () => {
    const { sending: _sending, ...missing } = clone(partyJson['tax-agency']);
    expect(reasonOf(() => parsePartyBundle(missing))).toBe('malformed');
    expect(reasonOf(() => parsePartyBundle({ ...clone(partyJson['tax-agency']), note: 'x' }))).toBe('malformed');
    const hub = clone(hubJson);
    (hub.edges[0] as unknown as Record<string, unknown>).legalRule = 'R1';
    expect(reasonOf(() => parseHubBundle(hub))).toBe('malformed');
  });

  it('rejects a party bundle whose public key is not its secret key times G, or that uses one key on two edges', () => {
    const [first, second] = Object.keys(partyJson['tax-agency'].sending);
    const mismatched = clone(partyJson['tax-agency']);
    mismatched.sending[first].publicKey = partyJson['tax-agency'].sending[second].publicKey;
    expect(reasonOf(() => parsePartyBundle(mismatched))).toBe('key-mismatch');
    const shared = clone(partyJson['tax-agency']);
    shared.sending[second] = shared.sending[first];
    expect(reasonOf(() => parsePartyBundle(shared))).toBe('duplicate');
  });

  it('rejects hub factors whose rekey does not map the sending key to the receiving key', () => {
    const hub = clone(hubJson);
    [hub.edges[0].rekey, hub.edges[1].rekey] = [hub.edges[1].rekey, hub.edges[0].rekey];
    expect(() => parseHubBundle(hub)).toThrow("edges[0].rekey does not map the edge's sending key to its receiving key");
  });

  it('rejects hub edges that repeat, join a party to itself, or share a key with another edge', () => {
    const repeated = clone(hubJson);
    repeated.edges.push(repeated.edges[0]);
    expect(reasonOf(() => parseHubBundle(repeated))).toBe('duplicate');
    const self = clone(hubJson);
    self.edges[0].to = self.edges[0].from;
    expect(reasonOf(() => parseHubBundle(self))).toBe('malformed');
    const shared = clone(hubJson);
    shared.edges[1].sendingKey = shared.edges[0].sendingKey;
    expect(reasonOf(() => parseHubBundle(shared))).toBe('duplicate');
  });

  it('names the path of a bad nested value and keeps its reason', () => {
    const issuer = clone(issuerJson);
    issuer.pseudonymKeys['tax-agency'] = 'sk1.' + '_'.repeat(42) + 'w';
    expect(() => parseIssuerBundle(issuer)).toThrow(expect.objectContaining({ subject: 'issuer-bundle', reason: 'non-canonical' }));
    expect(() => parseIssuerBundle(issuer)).toThrow(/^pseudonymKeys\.tax-agency: /);
  });
});
