import type { PartyId } from './party-id';

/**
 * A direction the legal table permits (or an agency's exchange records reaching
 * the portal): `from` may send a code to `to`. Each edge has keys of its own.
 */
export interface Edge {
  readonly from: PartyId;
  readonly to: PartyId;
}

/** Party ids cannot contain '>', so this key is unambiguous. */
export function edgeKey(from: PartyId, to: PartyId): string {
  return `${from}>${to}`;
}

export function describeEdge(edge: Edge): string {
  return `${edge.from} → ${edge.to}`;
}
