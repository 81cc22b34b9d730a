import { ristretto255 } from '@noble/curves/ed25519';
import { AgencyCode, ElGamalPublicKey, parseAgencyCode, SecretScalar, type HubBundle } from '@myna/codes';

/**
 * What a breached hub can compute from its own key material (libs/codes
 * README, "What arithmetic does not enforce"): scalars invert and multiply, so
 * its pair factors n_AB = s_B/s_A and k_AB = x_B/x_A give the factors of every
 * pair connected to a permitted one, in either direction — and, with one
 * party's ElGamal key x_A, every other party's x_B = k_AB · x_A.
 */

/** ℓ, the prime order of ristretto255. */
export const GROUP_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

export function modInverse(value: bigint, modulus = GROUP_ORDER): bigint {
  let [a, b] = [((value % modulus) + modulus) % modulus, modulus];
  let [x0, x1] = [1n, 0n];
  while (b !== 0n) {
    const q = a / b;
    [a, b] = [b, a - q * b];
    [x0, x1] = [x1, x0 - q * x1];
  }
  if (a !== 1n) throw new Error('not invertible');
  return ((x0 % modulus) + modulus) % modulus;
}

const mul = (a: bigint, b: bigint) => (a * b) % GROUP_ORDER;

interface Edge {
  from: string;
  to: string;
  /** The factor that maps `from`'s value to `to`'s: the held factor, or its inverse for a reversed pair. */
  reshuffle: bigint;
  rekey: bigint;
  held: boolean;
}

function edges(hub: HubBundle): Edge[] {
  const list: Edge[] = [];
  for (const factors of hub.pairFactors.values()) {
    const n = factors.reshuffle.reveal();
    const k = factors.rekey.reveal();
    list.push({ from: factors.requester, to: factors.provider, reshuffle: n, rekey: k, held: true });
    list.push({ from: factors.provider, to: factors.requester, reshuffle: modInverse(n), rekey: modInverse(k), held: false });
  }
  return list;
}

/** The pairs the hub holds factors for, as `A → B`. */
export function heldPairs(hub: HubBundle): string[] {
  return [...hub.pairFactors.values()].map((factors) => `${factors.requester} → ${factors.provider}`).sort();
}

/**
 * From `origin`, the reshuffle factor n_{origin→X} = s_X / s_origin for every
 * party X reachable through held pairs, inverted and chained.
 */
export function derivedReshuffles(hub: HubBundle, origin: string): Map<string, bigint> {
  return walk(hub, origin, 1n, (edge) => edge.reshuffle);
}

/** Every ordered pair (A, B) whose translation the hub can compute, held or derived. */
export function derivablePairs(hub: HubBundle): { pair: string; held: boolean }[] {
  const parties = [...hub.publicKeys.keys()].sort();
  const held = new Set(heldPairs(hub));
  const pairs: { pair: string; held: boolean }[] = [];
  for (const from of parties) {
    const reachable = derivedReshuffles(hub, from);
    for (const to of parties) {
      if (to !== from && reachable.has(to)) pairs.push({ pair: `${from} → ${to}`, held: held.has(`${from} → ${to}`) });
    }
  }
  return pairs;
}

/**
 * With one party's ElGamal secret x_known, every ElGamal secret reachable
 * through the hub's rekey factors, each checked against the party's public key.
 */
export function recoverElGamalKeys(hub: HubBundle, known: string, secret: SecretScalar): Map<string, { secret: SecretScalar; matchesPublicKey: boolean }> {
  const values = walk(hub, known, secret.reveal(), (edge) => edge.rekey);
  const recovered = new Map<string, { secret: SecretScalar; matchesPublicKey: boolean }>();
  for (const [party, value] of values) {
    const scalar = SecretScalar.fromScalar(value);
    const publicKey = hub.publicKeys.get(party);
    recovered.set(party, { secret: scalar, matchesPublicKey: publicKey ? ElGamalPublicKey.of(scalar).equals(publicKey) : false });
  }
  return recovered;
}

/**
 * P_B = n_AB · P_A: a person's code at another party, from their code at one. The
 * attacker's own arithmetic (noble, on the code's public encoding), not the library's.
 */
export function reshuffleCode(code: AgencyCode, factor: bigint): AgencyCode {
  const point = ristretto255.Point.fromBytes(code.toBytes()).multiply(factor);
  return parseAgencyCode(`ac1.${Buffer.from(point.toBytes()).toString('base64url')}`);
}

/** Breadth-first over held and inverted pairs: value(to) = factor(edge) · value(from). */
function walk(hub: HubBundle, origin: string, start: bigint, factor: (edge: Edge) => bigint): Map<string, bigint> {
  const all = edges(hub);
  const values = new Map<string, bigint>([[origin, start]]);
  const queue = [origin];
  while (queue.length > 0) {
    const from = queue.shift()!;
    for (const edge of all.filter((candidate) => candidate.from === from)) {
      if (values.has(edge.to)) continue;
      values.set(edge.to, mul(factor(edge), values.get(from)!));
      queue.push(edge.to);
    }
  }
  return values;
}
