import { Ciphertext, type ElGamalPublicKey } from './elgamal';
import { add, divideScalars, multiply, multiplyBase, randomScalar } from './group';
import type { PartyId } from './party-id';
import { osRandom, type RandomSource } from './random-source';
import { SecretScalar } from './secret-scalar';

/**
 * What the hub holds for one permitted direction requester A → provider B:
 * n_AB = s_B / s_A turns A's code into B's, k_AB = x_B / x_A moves the
 * ciphertext from A's key to B's. Neither reveals s or x on its own.
 */
export interface PairFactors {
  readonly requester: PartyId;
  readonly provider: PartyId;
  /** n_AB = s_B / s_A */
  readonly reshuffle: SecretScalar;
  /** k_AB = x_B / x_A */
  readonly rekey: SecretScalar;
}

export interface PartySecrets {
  readonly pseudonymKey: SecretScalar;
  readonly elgamalKey: SecretScalar;
}

/** Computed by the key ceremony, which alone sees both parties' secrets. */
export function derivePairFactors(requester: PartyId, provider: PartyId, a: PartySecrets, b: PartySecrets): PairFactors {
  return {
    requester,
    provider,
    reshuffle: SecretScalar.fromScalar(divideScalars(b.pseudonymKey.reveal(), a.pseudonymKey.reveal())),
    rekey: SecretScalar.fromScalar(divideScalars(b.elgamalKey.reveal(), a.elgamalKey.reveal())),
  };
}

/**
 * Enc(Y_A, P_A) → Enc(Y_B, P_B) for a permitted pair, without decrypting:
 * reshuffle by n and rekey by k in one pass, (n/k · C1, n · C2), then rerandomize
 * under Y_B so the output cannot be matched to the input. 4 scalar multiplications.
 */
export function transform(
  ciphertext: Ciphertext,
  factors: PairFactors,
  providerKey: ElGamalPublicKey,
  rng: RandomSource = osRandom,
): Ciphertext {
  const n = factors.reshuffle.reveal();
  const nOverK = divideScalars(n, factors.rekey.reveal());
  const r = randomScalar(rng);
  return Ciphertext.of(
    add(multiply(ciphertext.c1, nOverK), multiplyBase(r)),
    add(multiply(ciphertext.c2, n), multiply(providerKey.groupElement(), r)),
  );
}
