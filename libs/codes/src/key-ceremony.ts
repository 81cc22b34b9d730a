/**
 * The key ceremony: a trusted dealer. It alone ever sees every party's secrets at
 * once; it hands each party only its own bundle and is then forgotten. Pure
 * computation: the caller writes the bundles wherever each party reads them.
 */
import { CodesError } from './codes.exception';
import { lengthPrefixed, utf8 } from './encoding';
import { ElGamalPublicKey } from './elgamal';
import { hashToScalar, isZeroScalar } from './group';
import { pairKey, type HubBundle, type IssuerBundle, type PartyBundle } from './key-bundles';
import { derivePairFactors, type PairFactors, type PartySecrets } from './pair-factors';
import { assertPartyId, type PartyId } from './party-id';
import { osRandom, type RandomSource } from './random-source';
import { SecretScalar } from './secret-scalar';

/** A direction the legal table permits: `requester` may ask `provider` about a person. */
export interface PermittedPair {
  readonly requester: PartyId;
  readonly provider: PartyId;
}

export interface KeyCeremonyInput {
  readonly parties: readonly PartyId[];
  /** Duplicates are allowed (one legal rule per data item) and count once. */
  readonly permittedPairs: readonly PermittedPair[];
}

/**
 * Where the secrets come from: a seed (deterministic; for tests and demos only,
 * since the seed then is every key) or a random source (default: the OS RNG).
 */
export type KeyCeremonyEntropy = { readonly seed: string | Uint8Array } | { readonly rng: RandomSource };

export interface KeyCeremonyResult {
  readonly issuer: IssuerBundle;
  /** One bundle per party, each holding that party's secret only. */
  readonly parties: ReadonlyMap<PartyId, PartyBundle>;
  readonly hub: HubBundle;
}

const SEED_DST = 'myna-codes-v1:key-ceremony:seed';

export function runKeyCeremony(input: KeyCeremonyInput, entropy: KeyCeremonyEntropy = { rng: osRandom }): KeyCeremonyResult {
  const parties = checkParties(input.parties);
  const pairs = checkPairs(input.permittedPairs, new Set(parties));
  const draw = secretSource(entropy);

  const secrets = new Map<PartyId, PartySecrets>(
    parties.map((party) => [party, { pseudonymKey: draw('pseudonym-key', party), elgamalKey: draw('elgamal-key', party) }]),
  );
  const secretsOf = (party: PartyId) => secrets.get(party) as PartySecrets;
  const publicKeys = new Map(parties.map((party) => [party, ElGamalPublicKey.of(secretsOf(party).elgamalKey)]));
  const pairFactors = new Map<string, PairFactors>(
    pairs.map(({ requester, provider }) => [
      pairKey(requester, provider),
      derivePairFactors(requester, provider, secretsOf(requester), secretsOf(provider)),
    ]),
  );

  return {
    issuer: {
      kind: 'issuer',
      pseudonymKeys: new Map(parties.map((party) => [party, secretsOf(party).pseudonymKey])),
      publicKeys,
    },
    parties: new Map(
      parties.map((party) => [
        party,
        { kind: 'party', party, secretKey: secretsOf(party).elgamalKey, publicKey: publicKeys.get(party) as ElGamalPublicKey },
      ]),
    ),
    hub: { kind: 'hub', publicKeys, pairFactors },
  };
}

type SecretSource = (label: string, party: PartyId) => SecretScalar;

function secretSource(entropy: KeyCeremonyEntropy): SecretSource {
  if ('seed' in entropy) {
    const seed = typeof entropy.seed === 'string' ? utf8(entropy.seed) : entropy.seed;
    if (!(seed instanceof Uint8Array) || seed.length === 0) {
      throw new CodesError('key-ceremony', 'malformed', 'ceremony seed must be a non-empty string or byte array');
    }
    // Each secret is hashed from (seed, label, party): adding a party leaves the others' keys unchanged.
    return (label, party) => {
      for (let attempt = 0; ; attempt++) {
        const scalar = hashToScalar(lengthPrefixed(seed, utf8(label), utf8(party), utf8(String(attempt))), SEED_DST);
        if (!isZeroScalar(scalar)) return SecretScalar.fromScalar(scalar);
      }
    };
  }
  return () => SecretScalar.random(entropy.rng);
}

function checkParties(parties: readonly PartyId[]): PartyId[] {
  if (!Array.isArray(parties) || parties.length === 0) {
    throw new CodesError('key-ceremony', 'malformed', 'parties must be a non-empty array');
  }
  const seen = new Set<PartyId>();
  for (const party of parties) {
    assertPartyId(party, 'every party');
    if (seen.has(party)) throw new CodesError('key-ceremony', 'duplicate', `party '${party}' is listed twice`);
    seen.add(party);
  }
  return [...parties];
}

function checkPairs(pairs: readonly PermittedPair[], parties: ReadonlySet<PartyId>): PermittedPair[] {
  if (!Array.isArray(pairs)) throw new CodesError('key-ceremony', 'malformed', 'permittedPairs must be an array');
  const unique = new Map<string, PermittedPair>();
  for (const pair of pairs) {
    if (typeof pair !== 'object' || pair === null) {
      throw new CodesError('key-ceremony', 'malformed', 'every permitted pair must be { requester, provider }');
    }
    const { requester, provider } = pair;
    for (const party of [requester, provider]) {
      if (!parties.has(party)) {
        throw new CodesError('key-ceremony', 'unknown-party', `permitted pair names '${String(party)}', which is not a party`);
      }
    }
    if (requester === provider) {
      throw new CodesError('key-ceremony', 'malformed', `permitted pair '${requester}' → '${provider}' pairs a party with itself`);
    }
    unique.set(pairKey(requester, provider), { requester, provider });
  }
  return [...unique.values()];
}
