import { CodesError } from './codes.exception';
import { describeEdge, edgeKey } from './edge';
import { transform, type EdgeFactors } from './edge-factors';
import { rerandomize, type Ciphertext } from './elgamal';
import type { HubBundle } from './key-bundles';
import type { PartyId } from './party-id';
import { osRandom, type RandomSource } from './random-source';

/** The hub's factors for the edge from → to, or undefined when no rule permits it. */
export function edgeFactorsFor(hub: HubBundle, from: PartyId, to: PartyId): EdgeFactors | undefined {
  return hub.edges.get(edgeKey(from, to));
}

/**
 * The hub's one cryptographic step: Enc(Y_A→B, P_A) → Enc(Y_B←A, P_B←A). Only B
 * can decrypt it, and only B can close the edge pseudonym into its own code. For
 * an edge the legal table does not permit the hub has no factors, and none of the
 * factors it has relate two edges: the translation is not refused but impossible.
 */
export function translate(hub: HubBundle, from: PartyId, to: PartyId, subject: Ciphertext, rng: RandomSource = osRandom): Ciphertext {
  const factors = edgeFactorsFor(hub, from, to);
  if (!factors) {
    throw new CodesError('pair-factors', 'pair-not-permitted', `no edge factors for ${describeEdge({ from, to })}`);
  }
  return transform(subject, factors, rng);
}

/**
 * A code a party addressed to itself (the portal, for the record of its own
 * inquiry): rerandomized under its self key, so the copy it gets back cannot be
 * matched to the one it sent. No factor: nothing is translated.
 */
export function readdressToSelf(hub: HubBundle, party: PartyId, subject: Ciphertext, rng: RandomSource = osRandom): Ciphertext {
  const selfKey = hub.selfKeys.get(party);
  if (!selfKey) throw new CodesError('hub-bundle', 'unknown-party', `no self key for party '${party}'`);
  return rerandomize(subject, selfKey, rng);
}
