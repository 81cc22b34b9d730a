/**
 * Build 3(a) on real keys: every composition of up to `maxLength` of the hub's
 * factors and their inverses, applied to a real ciphertext of every kind the hub
 * sees, tried against every key and closing scalar of every party. The test of
 * success is exact: (α·C1, β·C2) decrypts under K to β·P only when K·α = β·y, and
 * closes into P_X only when c·β·s_A = s_X (anything else would need a discrete
 * logarithm between H(serial) and G). The hits are then replayed with the curve
 * arithmetic itself, as is a sample of the misses.
 */
import { bytesToHex } from '@noble/hashes/utils';
import { AgencyCode, hashSerialToGroup } from '../agency-code';
import { describeEdge } from '../edge';
import { Ciphertext, decryptCode, encryptCode, type ElGamalPublicKey } from '../elgamal';
import { encodeScalar, invertScalar, multiply, multiplyScalars, SCALAR_ONE, type Scalar } from '../group';
import type { HubBundle, IssuerBundle, PartyBundle } from '../key-bundles';
import type { PartyId } from '../party-id';
import type { ProcessingSerial } from '../processing-serial';
import { osRandom, type RandomSource } from '../random-source';
import type { SecretScalar } from '../secret-scalar';

/** Every party's key material: only an auditor holding every key file has it. */
export interface CeremonyMaterial {
  readonly issuer: IssuerBundle;
  readonly parties: ReadonlyMap<PartyId, PartyBundle>;
  readonly hub: HubBundle;
}

/** A hub operation as its effect on (C1, C2): C2 is multiplied by `beta`, and the key by `rho` (= β/α). */
interface Operation {
  label: string;
  beta: Scalar;
  rho: Scalar;
}

interface KeyOwner {
  party: PartyId;
  key: string;
  secretKey: SecretScalar;
  closings: { label: string; scalar: SecretScalar }[];
}

interface Input {
  label: string;
  sender: PartyId;
  key: ElGamalPublicKey;
  secretKey: SecretScalar;
}

export interface CompositionHit {
  input: string;
  /** The composition, e.g. [`t[pension-agency → tax-agency]`]; empty for the sender reading its own. */
  composition: string[];
  party: PartyId;
  key: string;
  closing: string | null;
}

export interface CompositionSearch {
  /** Factors and inverses the compositions are drawn from. */
  operations: number;
  maxLength: number;
  /** Distinct compositions: the operations commute, so a multiset stands for every ordering of it. */
  compositions: number;
  /** Ordered sequences of up to maxLength operations that these cover. */
  sequencesCovered: number;
  inputs: number;
  /** Translations that decrypt and close, each with the shortest composition that reaches it. */
  hits: CompositionHit[];
  /** Hits replayed on real ciphertexts with curve arithmetic, and whether each gave the expected code. */
  replayed: { hit: CompositionHit; matches: boolean }[];
  /** Random misses applied to real ciphertexts, tried under every key and closing scalar: codes that came out (must be 0). */
  sampledMisses: { compositions: number; attempts: number; codesFound: number };
}

const hex = (scalar: Scalar) => bytesToHex(encodeScalar(scalar));

function operationsOf(hub: HubBundle): Operation[] {
  const operations: Operation[] = [];
  for (const factors of hub.edges.values()) {
    const edge = describeEdge(factors);
    const n = factors.reshuffle.reveal();
    const k = factors.rekey.reveal();
    const forward: Operation[] = [
      { label: `n[${edge}]`, beta: n, rho: SCALAR_ONE },
      { label: `k[${edge}]`, beta: SCALAR_ONE, rho: k },
      { label: `t[${edge}]`, beta: n, rho: k },
    ];
    for (const operation of forward) {
      operations.push(operation, { label: `${operation.label}⁻¹`, beta: invertScalar(operation.beta), rho: invertScalar(operation.rho) });
    }
  }
  return operations;
}

function keyOwners(material: CeremonyMaterial): Map<string, KeyOwner> {
  const owners = new Map<string, KeyOwner>();
  for (const bundle of material.parties.values()) {
    const closings = [...bundle.receiving.values()].map((key) => ({ label: `c[${describeEdge({ from: key.from, to: bundle.party })}]`, scalar: key.closingScalar }));
    const add = (key: string, secretKey: SecretScalar) => owners.set(hex(secretKey.reveal()), { party: bundle.party, key, secretKey, closings });
    for (const key of bundle.sending.values()) add(`x[${describeEdge({ from: bundle.party, to: key.to })}].send`, key.secretKey);
    for (const key of bundle.receiving.values()) add(`x[${describeEdge({ from: key.from, to: bundle.party })}].receive`, key.secretKey);
    if (bundle.selfKey) add(`x[${bundle.party}].self`, bundle.selfKey.secretKey);
  }
  return owners;
}

function inputsOf(material: CeremonyMaterial): Input[] {
  const inputs: Input[] = [];
  for (const bundle of material.parties.values()) {
    for (const key of bundle.sending.values()) {
      inputs.push({ label: describeEdge({ from: bundle.party, to: key.to }), sender: bundle.party, key: key.publicKey, secretKey: key.secretKey });
    }
    if (bundle.selfKey) inputs.push({ label: `${bundle.party} → itself`, sender: bundle.party, key: bundle.selfKey.publicKey, secretKey: bundle.selfKey.secretKey });
  }
  return inputs;
}

function pseudonymKey(material: CeremonyMaterial, party: PartyId): Scalar {
  const key = material.issuer.pseudonymKeys.get(party);
  if (!key) throw new Error(`the issuer bundle has no pseudonym key for ${party}`);
  return key.reveal();
}

/** Multisets of up to maxLength indices into `size` operations, as index lists (non-decreasing). */
function* multisets(size: number, maxLength: number, start = 0, prefix: number[] = []): Generator<number[]> {
  yield prefix;
  if (prefix.length === maxLength) return;
  for (let index = start; index < size; index++) yield* multisets(size, maxLength, index, [...prefix, index]);
}

export function searchCompositions(
  material: CeremonyMaterial,
  serial: ProcessingSerial,
  options: { maxLength?: number; sampledMisses?: number; rng?: RandomSource } = {},
): CompositionSearch {
  const maxLength = options.maxLength ?? 3;
  const rng = options.rng ?? osRandom;
  const operations = operationsOf(material.hub);
  const owners = keyOwners(material);
  const inputs = inputsOf(material);
  const s = new Map([...material.parties.keys()].map((party) => [party, pseudonymKey(material, party)]));
  const sHex = new Map([...s].map(([party, value]) => [party, hex(value)]));

  const hits = new Map<string, CompositionHit>();
  /** The translation a composition gives on one input, or null when no party can decrypt and close it. */
  const effect = (betaValue: Scalar, rhoValue: Scalar, input: Input): Omit<CompositionHit, 'composition'> | null => {
    const owner = owners.get(hex(multiplyScalars(input.secretKey.reveal(), rhoValue)));
    if (!owner) return null;
    const plaintext = multiplyScalars(betaValue, s.get(input.sender)!);
    for (const closing of [null, ...owner.closings]) {
      const closed = closing ? multiplyScalars(plaintext, closing.scalar.reveal()) : plaintext;
      if (hex(closed) === sHex.get(owner.party)) return { input: input.label, party: owner.party, key: owner.key, closing: closing?.label ?? null };
    }
    return null;
  };
  let compositions = 0;
  // Running products along the multiset's prefix, so each composition costs two multiplications.
  const beta: Scalar[] = [SCALAR_ONE];
  const rho: Scalar[] = [SCALAR_ONE];
  for (const indices of multisets(operations.length, maxLength)) {
    compositions++;
    const depth = indices.length;
    if (depth > 0) {
      const operation = operations[indices[depth - 1]];
      beta[depth] = multiplyScalars(beta[depth - 1], operation.beta);
      rho[depth] = multiplyScalars(rho[depth - 1], operation.rho);
    }
    for (const input of inputs) {
      const found = effect(beta[depth], rho[depth], input);
      if (!found) continue;
      const key = `${found.input}|${found.party}|${found.key}|${found.closing}`;
      // Keep the shortest composition that reaches each translation.
      if ((hits.get(key)?.composition.length ?? Infinity) > depth) hits.set(key, { ...found, composition: indices.map((index) => operations[index].label) });
    }
  }

  const codes = new Map([...s.keys()].map((party) => [party, AgencyCode.fromGroupElement(multiply(hashSerialToGroup(serial), s.get(party)!))]));
  const apply = (indices: readonly number[], input: Input): Ciphertext => {
    let b = SCALAR_ONE;
    let r = SCALAR_ONE;
    for (const index of indices) {
      b = multiplyScalars(b, operations[index].beta);
      r = multiplyScalars(r, operations[index].rho);
    }
    const ciphertext = encryptCode(codes.get(input.sender)!, input.key, rng);
    const alpha = multiplyScalars(b, invertScalar(r));
    return Ciphertext.of(multiply(ciphertext.c1, alpha), multiply(ciphertext.c2, b));
  };
  const labels = new Map(operations.map((operation, index) => [operation.label, index]));
  const replayed = [...hits.values()].map((hit) => {
    const input = inputs.find((candidate) => candidate.label === hit.input)!;
    const owner = [...owners.values()].find((candidate) => candidate.party === hit.party && candidate.key === hit.key)!;
    const output = apply(hit.composition.map((label) => labels.get(label)!), input);
    let code = decryptCode(output, owner.secretKey);
    const closing = owner.closings.find((candidate) => candidate.label === hit.closing);
    if (closing) code = AgencyCode.fromGroupElement(multiply(code.groupElement(), closing.scalar.reveal()));
    return { hit, matches: code.equals(codes.get(hit.party)!) };
  });

  // Random compositions that the exact test calls misses, replayed with curve arithmetic under every key and closing scalar.
  const randomIndex = (size: number) => Number(BigInt(`0x${bytesToHex(rng(6))}`) % BigInt(size));
  let attempts = 0;
  let codesFound = 0;
  let sampled = 0;
  const everyCode = [...codes.values()];
  while (sampled < (options.sampledMisses ?? 12)) {
    const indices = Array.from({ length: 1 + randomIndex(maxLength) }, () => randomIndex(operations.length));
    const input = inputs[randomIndex(inputs.length)];
    const b = indices.reduce((product, index) => multiplyScalars(product, operations[index].beta), SCALAR_ONE);
    const r = indices.reduce((product, index) => multiplyScalars(product, operations[index].rho), SCALAR_ONE);
    if (effect(b, r, input)) continue;
    sampled++;
    const output = apply(indices, input);
    for (const owner of owners.values()) {
      const plain = decryptCode(output, owner.secretKey);
      for (const closing of [null, ...owner.closings]) {
        attempts++;
        const code = closing ? AgencyCode.fromGroupElement(multiply(plain.groupElement(), closing.scalar.reveal())) : plain;
        if (everyCode.some((candidate) => candidate.equals(code))) codesFound++;
      }
    }
  }

  return {
    operations: operations.length,
    maxLength,
    compositions,
    sequencesCovered: Array.from({ length: maxLength + 1 }, (_, length) => operations.length ** length).reduce((sum, count) => sum + count, 0),
    inputs: inputs.length,
    hits: [...hits.values()],
    replayed,
    sampledMisses: { compositions: sampled, attempts, codesFound },
  };
}
