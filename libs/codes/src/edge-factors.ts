import { Ciphertext, type ElGamalPublicKey } from './elgamal';
import { add, divideScalars, multiply, multiplyBase, multiplyScalars, randomScalar } from './group';
import type { PartyId } from './party-id';
import { osRandom, type RandomSource } from './random-source';
import { SecretScalar } from './secret-scalar';

/**
 * What the hub holds for one edge A → B, and nothing that relates two edges:
 * - reshuffle n = s_B / (c_B←A · s_A) turns A's code into B's edge pseudonym
 *   P_B←A = c_B←A⁻¹ · P_B, which only B can close;
 * - rekey k = x_B←A / x_A→B moves a ciphertext from the edge's sending key (A's
 *   only) to its receiving key (B's only).
 * The public keys are the edge's two ends: Y_A→B, to check k, and Y_B←A, to rerandomize under.
 */
export interface EdgeFactors {
  readonly from: PartyId;
  readonly to: PartyId;
  readonly sendingKey: ElGamalPublicKey;
  readonly receivingKey: ElGamalPublicKey;
  /** n = s_B / (c_B←A · s_A) */
  readonly reshuffle: SecretScalar;
  /** k = x_B←A / x_A→B */
  readonly rekey: SecretScalar;
}

/** The secrets of one edge and its two parties, which only the key ceremony ever sees together. */
export interface EdgeSecrets {
  /** s_A, s_B: the parties' pseudonym keys (the issuer's). */
  readonly fromPseudonymKey: SecretScalar;
  readonly toPseudonymKey: SecretScalar;
  /** x_A→B (A's), x_B←A and c_B←A (B's). */
  readonly sendingKey: SecretScalar;
  readonly receivingKey: SecretScalar;
  readonly closingScalar: SecretScalar;
}

/** Computed by the key ceremony, the trusted dealer. */
export function deriveEdgeFactors(
  from: PartyId,
  to: PartyId,
  secrets: EdgeSecrets,
  keys: { sendingKey: ElGamalPublicKey; receivingKey: ElGamalPublicKey },
): EdgeFactors {
  const closedFrom = multiplyScalars(secrets.closingScalar.reveal(), secrets.fromPseudonymKey.reveal());
  return {
    from,
    to,
    ...keys,
    reshuffle: SecretScalar.fromScalar(divideScalars(secrets.toPseudonymKey.reveal(), closedFrom)),
    rekey: SecretScalar.fromScalar(divideScalars(secrets.receivingKey.reveal(), secrets.sendingKey.reveal())),
  };
}

/**
 * Enc(Y_A→B, P_A) → Enc(Y_B←A, P_B←A) without decrypting: reshuffle by n and rekey
 * by k in one pass, (n/k · C1, n · C2), then rerandomize under Y_B←A so the output
 * cannot be matched to the input. 4 scalar multiplications, as with one key per party.
 */
export function transform(ciphertext: Ciphertext, factors: EdgeFactors, rng: RandomSource = osRandom): Ciphertext {
  const n = factors.reshuffle.reveal();
  const nOverK = firstComponentFactor(factors).reveal();
  const r = randomScalar(rng);
  return Ciphertext.of(
    add(multiply(ciphertext.c1, nOverK), multiplyBase(r)),
    add(multiply(ciphertext.c2, n), multiply(factors.receivingKey.groupElement(), r)),
  );
}

/** n/k of each edge, computed on its first translation: a scalar inversion it would otherwise pay on every one. */
const firstComponentFactors = new WeakMap<EdgeFactors, SecretScalar>();

function firstComponentFactor(factors: EdgeFactors): SecretScalar {
  let nOverK = firstComponentFactors.get(factors);
  if (!nOverK) {
    nOverK = SecretScalar.fromScalar(divideScalars(factors.reshuffle.reveal(), factors.rekey.reveal()));
    firstComponentFactors.set(factors, nOverK);
  }
  return nOverK;
}
