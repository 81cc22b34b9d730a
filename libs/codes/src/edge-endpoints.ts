/**
 * A party's two ends of the scheme: sending its own code along an edge, and
 * receiving a code along an edge, closing the edge pseudonym into its own code.
 */
import { AgencyCode } from './agency-code';
import { CodesError } from './codes.exception';
import { describeEdge } from './edge';
import { decryptCode, encryptCodeForEach, type Ciphertext, type ElGamalPublicKey } from './elgamal';
import { multiply } from './group';
import type { PartyBundle } from './key-bundles';
import type { PartyId } from './party-id';
import { osRandom, type RandomSource } from './random-source';

/** Where a subject is sent: along the edge to another party, or back to the sender itself through the hub. */
export type SubjectTarget = PartyId | { readonly self: true };

function keyFor(bundle: PartyBundle, target: SubjectTarget): ElGamalPublicKey {
  if (typeof target === 'object') {
    if (!bundle.selfKey) throw new CodesError('party-bundle', 'unknown-party', `${bundle.party} has no self key`);
    return bundle.selfKey.publicKey;
  }
  const key = bundle.sending.get(target);
  if (!key) throw new CodesError('pair-factors', 'pair-not-permitted', `${bundle.party} has no sending key for ${describeEdge({ from: bundle.party, to: target })}`);
  return key.publicKey;
}

/**
 * The party's own code encrypted for each target, freshly randomized: Enc(Y_A→B, P_A)
 * per edge (one randomness for all, see encryptCodeForEach).
 */
export function encryptSubjects(
  bundle: PartyBundle,
  code: AgencyCode,
  targets: readonly SubjectTarget[],
  rng: RandomSource = osRandom,
): Ciphertext[] {
  return encryptCodeForEach(code, targets.map((target) => keyFor(bundle, target)), rng);
}

/**
 * Decrypts what arrived along the edge from → this party with x_B←A and closes the
 * edge pseudonym: P_B = c_B←A · P_B←A. One multiplication more than decrypting.
 */
export function receiveCode(bundle: PartyBundle, from: PartyId, ciphertext: Ciphertext): AgencyCode {
  const key = bundle.receiving.get(from);
  if (!key) throw new CodesError('pair-factors', 'pair-not-permitted', `${bundle.party} has no receiving key for ${describeEdge({ from, to: bundle.party })}`);
  const edgePseudonym = decryptCode(ciphertext, key.secretKey);
  return AgencyCode.fromGroupElement(multiply(edgePseudonym.groupElement(), key.closingScalar.reveal()));
}

/** A code this party addressed to itself, as the hub rerandomized it. */
export function openSelfAddressed(bundle: PartyBundle, ciphertext: Ciphertext): AgencyCode {
  if (!bundle.selfKey) throw new CodesError('party-bundle', 'unknown-party', `${bundle.party} has no self key`);
  return decryptCode(ciphertext, bundle.selfKey.secretKey);
}
