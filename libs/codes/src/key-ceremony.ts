/**
 * The key ceremony: a trusted dealer. It alone ever sees every party's secrets at
 * once; it hands each party only its own bundle and is then forgotten. Pure
 * computation: the caller writes the bundles wherever each party reads them.
 */
import { CodesError } from './codes.exception';
import { edgeKey, type Edge } from './edge';
import { deriveEdgeFactors, type EdgeFactors } from './edge-factors';
import { lengthPrefixed, utf8 } from './encoding';
import { ElGamalPublicKey, type ElGamalKeyPair } from './elgamal';
import { hashToScalar, isZeroScalar } from './group';
import type { HubBundle, IssuerBundle, PartyBundle, ReceivingKey, SendingKey } from './key-bundles';
import { assertPartyId, type PartyId } from './party-id';
import { osRandom, type RandomSource } from './random-source';
import { SecretScalar } from './secret-scalar';

export interface KeyCeremonyInput {
  readonly parties: readonly PartyId[];
  /** Duplicates are allowed (one legal rule per data item) and count once. */
  readonly edges: readonly Edge[];
  /** Parties that address codes to themselves through the hub (the portal's records of its own inquiries). */
  readonly selfAddressed?: readonly PartyId[];
}

/**
 * Where the secrets come from: a seed (deterministic; for tests and demos only,
 * since the seed then is every key) or a random source (default: the OS RNG).
 */
export type KeyCeremonyEntropy = { readonly seed: string | Uint8Array } | { readonly rng: RandomSource };

export interface KeyCeremonyResult {
  readonly issuer: IssuerBundle;
  /** One bundle per party, each holding the secrets of its own edges only. */
  readonly parties: ReadonlyMap<PartyId, PartyBundle>;
  readonly hub: HubBundle;
}

const SEED_DST = 'myna-codes-v2:key-ceremony:seed';

export function runKeyCeremony(input: KeyCeremonyInput, entropy: KeyCeremonyEntropy = { rng: osRandom }): KeyCeremonyResult {
  const parties = checkParties(input.parties);
  const known = new Set(parties);
  const edges = checkEdges(input.edges, known);
  const selfAddressed = checkSelfAddressed(input.selfAddressed ?? [], known);
  const draw = secretSource(entropy);

  const pseudonymKeys = new Map(parties.map((party) => [party, draw('pseudonym-key', party)]));
  const keyPair = (label: string, owner: string): ElGamalKeyPair => {
    const secretKey = draw(label, owner);
    return { secretKey, publicKey: ElGamalPublicKey.of(secretKey) };
  };

  const sending = new Map<PartyId, Map<PartyId, SendingKey>>(parties.map((party) => [party, new Map()]));
  const receiving = new Map<PartyId, Map<PartyId, ReceivingKey>>(parties.map((party) => [party, new Map()]));
  const factors = new Map<string, EdgeFactors>();
  for (const { from, to } of edges) {
    const key = edgeKey(from, to);
    // Every edge draws its own three secrets: no two edges share a key, so no factor relates two edges.
    const sendingKey: SendingKey = { to, ...keyPair('edge-sending-key', key) };
    const receivingKey: ReceivingKey = { from, ...keyPair('edge-receiving-key', key), closingScalar: draw('edge-closing-scalar', key) };
    sending.get(from)!.set(to, sendingKey);
    receiving.get(to)!.set(from, receivingKey);
    factors.set(
      key,
      deriveEdgeFactors(
        from,
        to,
        {
          fromPseudonymKey: pseudonymKeys.get(from)!,
          toPseudonymKey: pseudonymKeys.get(to)!,
          sendingKey: sendingKey.secretKey,
          receivingKey: receivingKey.secretKey,
          closingScalar: receivingKey.closingScalar,
        },
        { sendingKey: sendingKey.publicKey, receivingKey: receivingKey.publicKey },
      ),
    );
  }
  const selfKeys = new Map(selfAddressed.map((party) => [party, keyPair('self-key', party)]));

  return {
    issuer: { kind: 'issuer', pseudonymKeys },
    parties: new Map(
      parties.map((party) => [
        party,
        { kind: 'party', party, sending: sending.get(party)!, receiving: receiving.get(party)!, selfKey: selfKeys.get(party) ?? null },
      ]),
    ),
    hub: { kind: 'hub', edges: factors, selfKeys: new Map([...selfKeys].map(([party, pair]) => [party, pair.publicKey])) },
  };
}

type SecretSource = (label: string, owner: string) => SecretScalar;

function secretSource(entropy: KeyCeremonyEntropy): SecretSource {
  if ('seed' in entropy) {
    const seed = typeof entropy.seed === 'string' ? utf8(entropy.seed) : entropy.seed;
    if (!(seed instanceof Uint8Array) || seed.length === 0) {
      throw new CodesError('key-ceremony', 'malformed', 'ceremony seed must be a non-empty string or byte array');
    }
    // Each secret is hashed from (seed, label, owner): adding a party or an edge leaves the others' keys unchanged.
    return (label, owner) => {
      for (let attempt = 0; ; attempt++) {
        const scalar = hashToScalar(lengthPrefixed(seed, utf8(label), utf8(owner), utf8(String(attempt))), SEED_DST);
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

function checkEdges(edges: readonly Edge[], parties: ReadonlySet<PartyId>): Edge[] {
  if (!Array.isArray(edges)) throw new CodesError('key-ceremony', 'malformed', 'edges must be an array');
  const unique = new Map<string, Edge>();
  for (const edge of edges) {
    if (typeof edge !== 'object' || edge === null) {
      throw new CodesError('key-ceremony', 'malformed', 'every edge must be { from, to }');
    }
    const { from, to } = edge;
    for (const party of [from, to]) {
      if (!parties.has(party)) {
        throw new CodesError('key-ceremony', 'unknown-party', `edge names '${String(party)}', which is not a party`);
      }
    }
    if (from === to) throw new CodesError('key-ceremony', 'malformed', `edge '${from}' → '${to}' joins a party to itself`);
    unique.set(edgeKey(from, to), { from, to });
  }
  return [...unique.values()];
}

function checkSelfAddressed(selfAddressed: readonly PartyId[], parties: ReadonlySet<PartyId>): PartyId[] {
  if (!Array.isArray(selfAddressed)) throw new CodesError('key-ceremony', 'malformed', 'selfAddressed must be an array');
  for (const party of selfAddressed) {
    if (!parties.has(party)) throw new CodesError('key-ceremony', 'unknown-party', `selfAddressed names '${String(party)}', which is not a party`);
  }
  return [...new Set(selfAddressed)];
}
