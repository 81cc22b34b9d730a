import { CodesError } from './codes.exception';
import type { Ciphertext } from './elgamal';
import { pairKey, type HubBundle } from './key-bundles';
import { transform, type PairFactors } from './pair-factors';
import type { PartyId } from './party-id';
import { osRandom, type RandomSource } from './random-source';

/** The hub's factors for requester → provider, or undefined when the legal table has no such pair. */
export function pairFactorsFor(hub: HubBundle, requester: PartyId, provider: PartyId): PairFactors | undefined {
  return hub.pairFactors.get(pairKey(requester, provider));
}

/**
 * The hub's one cryptographic step: Enc(Y_A, P_A) → Enc(Y_B, P_B). For a pair the
 * legal table does not permit the hub has no factors, so the translation is not
 * merely refused but impossible.
 */
export function translate(
  hub: HubBundle,
  requester: PartyId,
  provider: PartyId,
  subject: Ciphertext,
  rng: RandomSource = osRandom,
): Ciphertext {
  const factors = pairFactorsFor(hub, requester, provider);
  if (!factors) {
    throw new CodesError('pair-factors', 'pair-not-permitted', `no pair factors for '${requester}' → '${provider}'`);
  }
  const providerKey = hub.publicKeys.get(provider);
  if (!providerKey) throw new CodesError('hub-bundle', 'unknown-party', `no public key for party '${provider}'`);
  return transform(subject, factors, providerKey, rng);
}
