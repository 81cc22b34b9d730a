import {
  AgencyCode,
  ElGamalPublicKey,
  edgeFactorsFor,
  scalarInverse,
  scalarProduct,
  scaleCode,
  SecretScalar,
  type Edge,
  type HubBundle,
  type PartyBundle,
  type PartyId,
} from '@myna/codes';

/**
 * What the hub's factors and one party's key file give, tried on real keys and
 * codes (hub-breach, Build 3(b)); libs/codes breach/ decides the same symbolically.
 */

/** The other end of each of the party's edges, from its own key and the edge's rekey factor, checked against the hub's public key. */
export function recoverEdgeKeys(hub: HubBundle, party: PartyBundle): { edge: Edge; matchesPublicKey: boolean }[] {
  const recovered: { edge: Edge; matchesPublicKey: boolean }[] = [];
  for (const [to, key] of party.sending) {
    const factors = edgeFactorsFor(hub, party.party, to);
    // x_B←A = k · x_A→B
    if (factors) recovered.push({ edge: { from: party.party, to }, matchesPublicKey: ElGamalPublicKey.of(scalarProduct(factors.rekey, key.secretKey)).equals(factors.receivingKey) });
  }
  for (const [from, key] of party.receiving) {
    const factors = edgeFactorsFor(hub, from, party.party);
    // x_A→B = x_B←A / k
    if (factors) recovered.push({ edge: { from, to: party.party }, matchesPublicKey: ElGamalPublicKey.of(scalarProduct(key.secretKey, scalarInverse(factors.rekey))).equals(factors.sendingKey) });
  }
  return recovered;
}

/** A person's code at `from`, a party that sends to this one: P_A = (n_{A→X} · c_{X←A})⁻¹ · P_X. */
export function followEdgeIn(hub: HubBundle, party: PartyBundle, from: PartyId, code: AgencyCode): AgencyCode {
  const factors = edgeFactorsFor(hub, from, party.party);
  const key = party.receiving.get(from);
  if (!factors || !key) throw new Error(`no edge ${from} → ${party.party}`);
  return scaleCode(code, scalarInverse(scalarProduct(factors.reshuffle, key.closingScalar)));
}

/**
 * Every product of up to two of the scalars the hub and the party hold (every
 * edge's reshuffle factor, the party's closing scalars, and their inverses),
 * applied to each code, looked up among other parties' codes.
 */
export function attemptLinks(
  hub: HubBundle,
  party: PartyBundle,
  codes: readonly string[],
  targets: ReadonlyMap<PartyId, ReadonlySet<string>>,
): { scalars: number; tried: number; found: number } {
  const base: SecretScalar[] = [];
  for (const factors of hub.edges.values()) base.push(factors.reshuffle, scalarInverse(factors.reshuffle));
  for (const key of party.receiving.values()) base.push(key.closingScalar, scalarInverse(key.closingScalar));
  const scalars = [...base];
  for (let i = 0; i < base.length; i++) for (let j = i; j < base.length; j++) scalars.push(scalarProduct(base[i], base[j]));
  let tried = 0;
  let found = 0;
  for (const text of codes) {
    const code = AgencyCode.parse(text);
    for (const scalar of scalars) {
      tried++;
      const moved = scaleCode(code, scalar).toText();
      for (const theirs of targets.values()) if (theirs.has(moved)) found++;
    }
  }
  return { scalars: scalars.length, tried, found };
}
