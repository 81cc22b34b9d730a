/**
 * What the hub's factors allow, computed symbolically. Every secret the ceremony
 * draws is an independent uniform scalar, so a secret is derivable from others
 * (or a translation reachable) exactly when its exponent vector is in the span
 * of theirs (rational-span.ts): the closure of the hub's factor set under
 * composition and inversion is that span. The argument of libs/codes' README, as code.
 */
import { edgeKey, type Edge } from '../edge';
import type { PartyId } from '../party-id';
import { quotient, RationalSpan, type Monomial } from './rational-span';

/** The ceremony's secrets, by name. */
export const secret = {
  pseudonym: (party: PartyId) => `s[${party}]`,
  sending: (edge: Edge) => `x[${edgeKey(edge.from, edge.to)}].send`,
  receiving: (edge: Edge) => `x[${edgeKey(edge.from, edge.to)}].receive`,
  closing: (edge: Edge) => `c[${edgeKey(edge.from, edge.to)}]`,
  self: (party: PartyId) => `x[${party}].self`,
  /** The scheme before edge keys: one ElGamal key per party. */
  partyKey: (party: PartyId) => `x[${party}]`,
};

export interface Factor {
  readonly label: string;
  readonly monomial: Monomial;
}

/** A ciphertext the hub sees: the sender's own code under one of its keys. */
export interface SymbolicInput {
  readonly label: string;
  readonly sender: PartyId;
  readonly key: string;
}

/** What one party holds: its decryption keys and closing scalars. */
export interface Holder {
  readonly party: PartyId;
  readonly keys: readonly string[];
  readonly closings: readonly string[];
}

/** A translation as its effect: which input, decrypted by whom under which key, closed with which scalar. */
export interface Translation {
  readonly input: string;
  readonly party: PartyId;
  readonly key: string;
  readonly closing: string | null;
}

export interface SymbolicScheme {
  readonly name: string;
  readonly parties: readonly PartyId[];
  /** Every factor the hub holds (reshuffle and rekey alike: it can multiply by any of them). */
  readonly factors: readonly Factor[];
  readonly inputs: readonly SymbolicInput[];
  readonly holders: readonly Holder[];
  /** The translations the legal table permits, including a sender reading its own ciphertext. */
  readonly permitted: readonly Translation[];
}

/** The scheme as built: one key pair at each end of every edge, and a closing scalar at the receiving end. */
export function edgeKeyScheme(parties: readonly PartyId[], edges: readonly Edge[], selfAddressed: readonly PartyId[] = []): SymbolicScheme {
  const factors = edges.flatMap((edge): Factor[] => [
    {
      label: `n[${edge.from} → ${edge.to}]`,
      monomial: quotient({ [secret.pseudonym(edge.to)]: 1 }, { [secret.closing(edge)]: 1, [secret.pseudonym(edge.from)]: 1 }),
    },
    { label: `k[${edge.from} → ${edge.to}]`, monomial: quotient({ [secret.receiving(edge)]: 1 }, { [secret.sending(edge)]: 1 }) },
  ]);
  const inputs: SymbolicInput[] = [
    ...edges.map((edge) => ({ label: `${edge.from} → ${edge.to}`, sender: edge.from, key: secret.sending(edge) })),
    ...selfAddressed.map((party) => ({ label: `${party} → itself`, sender: party, key: secret.self(party) })),
  ];
  const holders = parties.map((party) => ({
    party,
    keys: [
      ...edges.filter((edge) => edge.from === party).map(secret.sending),
      ...edges.filter((edge) => edge.to === party).map(secret.receiving),
      ...(selfAddressed.includes(party) ? [secret.self(party)] : []),
    ],
    closings: edges.filter((edge) => edge.to === party).map(secret.closing),
  }));
  const permitted: Translation[] = [
    ...edges.flatMap((edge) => [
      { input: `${edge.from} → ${edge.to}`, party: edge.from, key: secret.sending(edge), closing: null },
      { input: `${edge.from} → ${edge.to}`, party: edge.to, key: secret.receiving(edge), closing: secret.closing(edge) },
    ]),
    ...selfAddressed.map((party) => ({ input: `${party} → itself`, party, key: secret.self(party), closing: null })),
  ];
  return { name: 'edge keys and closing scalars', parties, factors, inputs, holders, permitted };
}

/** The scheme before edge keys (n_AB = s_B/s_A, k_AB = x_B/x_A), kept to show what the analysis finds in it. */
export function partyKeyScheme(parties: readonly PartyId[], edges: readonly Edge[]): SymbolicScheme {
  const factors = edges.flatMap((edge): Factor[] => [
    { label: `n[${edge.from} → ${edge.to}]`, monomial: quotient({ [secret.pseudonym(edge.to)]: 1 }, { [secret.pseudonym(edge.from)]: 1 }) },
    { label: `k[${edge.from} → ${edge.to}]`, monomial: quotient({ [secret.partyKey(edge.to)]: 1 }, { [secret.partyKey(edge.from)]: 1 }) },
  ]);
  const inputs = parties.map((party) => ({ label: `${party}'s subject`, sender: party, key: secret.partyKey(party) }));
  const holders = parties.map((party) => ({ party, keys: [secret.partyKey(party)], closings: [] }));
  const permitted: Translation[] = [
    ...parties.map((party) => ({ input: `${party}'s subject`, party, key: secret.partyKey(party), closing: null })),
    ...edges.map((edge) => ({ input: `${edge.from}'s subject`, party: edge.to, key: secret.partyKey(edge.to), closing: null })),
  ];
  return { name: 'one key per party', parties, factors, inputs, holders, permitted };
}

const translationKey = (t: Translation) => `${t.input}|${t.party}|${t.key}|${t.closing ?? '-'}`;

export interface ClosureAnalysis {
  scheme: string;
  /** Dimension of the span of the hub's factors: how many independent translations it can compose. */
  rank: number;
  factors: number;
  /** Every (input, party, key, closing) combination considered. */
  candidates: number;
  /** Those the closure of the hub's factors reaches: the party decrypts it and closes it into its own code. */
  reachable: Translation[];
  /** Reachable but not permitted: must be empty. */
  beyondPermitted: Translation[];
}

/**
 * Build 3(a). Output of any composition of factors and inverses on an input
 * Enc(Y, P_A) is (α·C1, β·C2) for α, β in the factors' closure. Party X decrypts
 * it with key K iff K·α = β·y, and closes it with c into P_X iff c·β·s_A = s_X: so
 * K/y and s_X/(c·s_A) must both lie in the closure (α is free once β is fixed).
 */
export function analyseClosure(scheme: SymbolicScheme): ClosureAnalysis {
  const span = new RationalSpan(scheme.factors.map((factor) => factor.monomial));
  const reachable: Translation[] = [];
  let candidates = 0;
  for (const input of scheme.inputs) {
    for (const holder of scheme.holders) {
      for (const key of holder.keys) {
        for (const closing of [null, ...holder.closings]) {
          candidates++;
          const decrypts = span.contains(quotient({ [key]: 1 }, { [input.key]: 1 }));
          const closes = span.contains(
            quotient({ [secret.pseudonym(holder.party)]: 1 }, { [secret.pseudonym(input.sender)]: 1, ...(closing ? { [closing]: 1 } : {}) }),
          );
          if (decrypts && closes) reachable.push({ input: input.label, party: holder.party, key, closing });
        }
      }
    }
  }
  const permitted = new Set(scheme.permitted.map(translationKey));
  return {
    scheme: scheme.name,
    rank: span.rank,
    factors: scheme.factors.length,
    candidates,
    reachable,
    beyondPermitted: reachable.filter((translation) => !permitted.has(translationKey(translation))),
  };
}

export interface BreachKnowledge {
  party: PartyId;
  /** Secret keys (of any party) the hub and this party's key file together derive. */
  keys: string[];
  /** Parties whose codes this party's persons can be linked to (s_Y / s_X derivable). */
  linkedCodes: PartyId[];
  /** Edge pseudonyms P_Y←A its persons can be linked to, for edges whose receiver Y's code stays out of reach. */
  linkedEdgePseudonyms: Edge[];
  /** Inputs (subjects sent along an edge) it can decrypt. */
  readableInputs: string[];
}

/**
 * Build 3(b): the hub's factors plus one party's key file. A secret is recovered
 * when it is in the span of the factors and the party's own secrets; persons are
 * linked to party Y's codes when s_Y / s_X is.
 */
export function breachKnowledge(scheme: SymbolicScheme, edges: readonly Edge[], party: PartyId): BreachKnowledge {
  const holder = scheme.holders.find((candidate) => candidate.party === party);
  if (!holder) throw new Error(`${party} is not a party of the scheme`);
  const span = new RationalSpan([
    ...scheme.factors.map((factor) => factor.monomial),
    ...[...holder.keys, ...holder.closings].map((variable) => ({ [variable]: 1 })),
  ]);
  const allKeys = [...new Set(scheme.holders.flatMap((candidate) => candidate.keys))];
  const keys = allKeys.filter((key) => span.contains({ [key]: 1 }));
  const ratio = (to: PartyId, closing?: string) =>
    quotient({ [secret.pseudonym(to)]: 1 }, { [secret.pseudonym(party)]: 1, ...(closing ? { [closing]: 1 } : {}) });
  const linkedCodes = scheme.parties.filter((other) => other !== party && span.contains(ratio(other)));
  const linkedEdgePseudonyms = edges.filter(
    (edge) => edge.to !== party && !linkedCodes.includes(edge.to) && span.contains(ratio(edge.to, secret.closing(edge))),
  );
  const readableInputs = scheme.inputs.filter((input) => keys.includes(input.key)).map((input) => input.label);
  return { party, keys, linkedCodes, linkedEdgePseudonyms, readableInputs };
}
