import { CodesError, type CodesErrorReason } from '../codes.exception';
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
import { CEREMONY_SEED, PARTIES, PERMITTED_PAIRS } from './fixtures';

const input = { parties: PARTIES, permittedPairs: PERMITTED_PAIRS };
const ceremony = runKeyCeremony(input, { seed: CEREMONY_SEED });

const issuerJson = serializeIssuerBundle(ceremony.issuer);
const hubJson = serializeHubBundle(ceremony.hub);
const partyJson = Object.fromEntries([...ceremony.parties].map(([id, bundle]) => [id, serializePartyBundle(bundle)]));

/** Every secret text the ceremony produced, by who should hold it. */
const pseudonymSecrets = [...ceremony.issuer.pseudonymKeys.values()].map((s) => s.exportText());
const elgamalSecrets = [...ceremony.parties.values()].map((p) => p.secretKey.exportText());
const pairSecrets = [...ceremony.hub.pairFactors.values()].flatMap((f) => [f.reshuffle.exportText(), f.rekey.exportText()]);

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
  it('gives each party its own ElGamal secret and nothing else', () => {
    for (const id of PARTIES) {
      const text = JSON.stringify(partyJson[id]);
      expect(Object.keys(partyJson[id]).sort()).toEqual(['format', 'party', 'publicKey', 'secretKey', 'version']);
      expect(partyJson[id].party).toBe(id);
      const others = [...pseudonymSecrets, ...pairSecrets, ...elgamalSecrets.filter((s) => s !== partyJson[id].secretKey)];
      for (const secret of others) expect(text).not.toContain(secret);
    }
  });

  it('gives the issuer every pseudonym key but no ElGamal secret or pair factor', () => {
    const text = JSON.stringify(issuerJson);
    for (const secret of pseudonymSecrets) expect(text).toContain(secret);
    for (const secret of [...elgamalSecrets, ...pairSecrets]) expect(text).not.toContain(secret);
  });

  it('gives the hub public keys and pair factors for permitted pairs only, and no party secret', () => {
    const text = JSON.stringify(hubJson);
    for (const secret of [...pseudonymSecrets, ...elgamalSecrets]) expect(text).not.toContain(secret);
    expect(hubJson.pairFactors.map((f) => `${f.requester}>${f.provider}`).sort()).toEqual(
      PERMITTED_PAIRS.map((p) => `${p.requester}>${p.provider}`).sort(),
    );
    expect(Object.keys(hubJson.publicKeys)).toEqual([...PARTIES]);
  });

  it('gives every secret scalar a different value', () => {
    const all = [...pseudonymSecrets, ...elgamalSecrets, ...pairSecrets];
    expect(new Set(all).size).toBe(all.length);
  });

  it('is deterministic from a seed, and adding a party leaves the others unchanged', () => {
    const again = runKeyCeremony(input, { seed: CEREMONY_SEED });
    expect(serializeHubBundle(again.hub)).toEqual(hubJson);
    const bigger = runKeyCeremony({ parties: [...PARTIES, 'city-office'], permittedPairs: PERMITTED_PAIRS }, { seed: CEREMONY_SEED });
    expect(serializeHubBundle(bigger.hub).pairFactors).toEqual(hubJson.pairFactors);
    expect(serializePartyBundle(bigger.parties.get('tax-agency')!)).toEqual(partyJson['tax-agency']);
    expect(serializeHubBundle(runKeyCeremony(input, { seed: 'another seed' }).hub)).not.toEqual(hubJson);
  });

  it('draws fresh keys from the OS RNG by default, or from a given source', () => {
    expect(serializeHubBundle(runKeyCeremony(input).hub)).not.toEqual(serializeHubBundle(runKeyCeremony(input).hub));
    const a = runKeyCeremony(input, { rng: seededRandom('ceremony rng') });
    const b = runKeyCeremony(input, { rng: seededRandom('ceremony rng') });
    expect(serializeHubBundle(a.hub)).toEqual(serializeHubBundle(b.hub));
  });

  it('counts a pair named by several legal rules once', () => {
    const twice = runKeyCeremony({ parties: PARTIES, permittedPairs: [...PERMITTED_PAIRS, ...PERMITTED_PAIRS] }, { seed: CEREMONY_SEED });
    expect(serializeHubBundle(twice.hub)).toEqual(hubJson);
  });

  it.each<[string, Parameters<typeof runKeyCeremony>[0], CodesErrorReason]>([
    ['no parties', { parties: [], permittedPairs: [] }, 'malformed'],
    ['a duplicated party', { parties: ['tax-agency', 'tax-agency'], permittedPairs: [] }, 'duplicate'],
    ['a party id that is not kebab-case', { parties: ['Tax Agency'], permittedPairs: [] }, 'malformed'],
    ['a prototype key as party id', { parties: ['__proto__'], permittedPairs: [] }, 'malformed'],
    ['a pair naming an unknown party', { parties: PARTIES, permittedPairs: [{ requester: 'tax-agency', provider: 'police' }] }, 'unknown-party'],
    ['a party paired with itself', { parties: PARTIES, permittedPairs: [{ requester: 'tax-agency', provider: 'tax-agency' }] }, 'malformed'],
    ['a pair that is not an object', { parties: PARTIES, permittedPairs: [null as never] }, 'malformed'],
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

  it('rejects a bundle of another kind or version', () => {
    expect(reasonOf(() => parseHubBundle(clone(issuerJson)))).toBe('malformed');
    expect(reasonOf(() => parseHubBundle({ ...clone(hubJson), version: 2 }))).toBe('malformed');
    expect(reasonOf(() => parsePartyBundle({ ...clone(partyJson['tax-agency']), format: 'myna-codes/hub-bundle' }))).toBe('malformed');
  });

  it('rejects missing and extra fields', () => {
    const { secretKey: _secretKey, ...missing } = clone(partyJson['tax-agency']);
    expect(reasonOf(() => parsePartyBundle(missing))).toBe('malformed');
    expect(reasonOf(() => parsePartyBundle({ ...clone(partyJson['tax-agency']), note: 'x' }))).toBe('malformed');
    const hub = clone(hubJson);
    (hub.pairFactors[0] as unknown as Record<string, unknown>).legalRule = 'R1';
    expect(reasonOf(() => parseHubBundle(hub))).toBe('malformed');
  });

  it('rejects a party bundle whose public key is not its secret key times G', () => {
    const bundle = { ...clone(partyJson['tax-agency']), publicKey: partyJson['pension-agency'].publicKey };
    expect(reasonOf(() => parsePartyBundle(bundle))).toBe('key-mismatch');
  });

  it('rejects hub pair factors whose rekey does not map Y_A to Y_B', () => {
    const hub = clone(hubJson);
    [hub.pairFactors[0].rekey, hub.pairFactors[1].rekey] = [hub.pairFactors[1].rekey, hub.pairFactors[0].rekey];
    expect(() => parseHubBundle(hub)).toThrow("pairFactors[0].rekey does not map the requester's key to the provider's");
  });

  it('rejects hub pairs that repeat, pair a party with itself or name a party without a key', () => {
    const repeated = clone(hubJson);
    repeated.pairFactors.push(repeated.pairFactors[0]);
    expect(reasonOf(() => parseHubBundle(repeated))).toBe('duplicate');
    const self = clone(hubJson);
    self.pairFactors[0].provider = self.pairFactors[0].requester;
    expect(reasonOf(() => parseHubBundle(self))).toBe('malformed');
    const unknown = clone(hubJson);
    delete (unknown.publicKeys as Record<string, string>)['tax-agency'];
    expect(reasonOf(() => parseHubBundle(unknown))).toBe('unknown-party');
  });

  it('names the path of a bad nested value and keeps its reason', () => {
    const issuer = clone(issuerJson);
    issuer.parties['tax-agency'].pseudonymKey = 'sk1.' + '_'.repeat(42) + 'w';
    expect(() => parseIssuerBundle(issuer)).toThrow(
      expect.objectContaining({ subject: 'issuer-bundle', reason: 'non-canonical' }),
    );
    expect(() => parseIssuerBundle(issuer)).toThrow(/^parties\.tax-agency\.pseudonymKey: /);
  });
});
