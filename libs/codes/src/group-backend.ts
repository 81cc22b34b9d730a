/**
 * What a ristretto255 backend must provide to `group.ts`. Each backend has its own
 * element representation; `group.ts` hides it behind an opaque type, so the scheme
 * never sees which one runs. Scalars are the same for every backend: bigints
 * below ℓ, with the field arithmetic done once in `group.ts`.
 */

export const GROUP_BACKEND_NAMES = ['sodium', 'noble'] as const;
export type GroupBackendName = (typeof GROUP_BACKEND_NAMES)[number];

/** An integer modulo the group order ℓ, always reduced. */
export type Scalar = bigint;

export interface GroupBackend<Element> {
  readonly name: GroupBackendName;
  readonly generator: Element;
  /** RFC 9380 hash_to_ristretto255 (expand_message_xmd with SHA-512, then the RFC 9496 one-way map). */
  hashToGroup(message: Uint8Array, dst: string): Element;
  /** `scalar` is in [1, ℓ) (`group.ts` checks it); the identity times anything is the identity. */
  multiply(point: Element, scalar: Scalar): Element;
  /**
   * The element `bytes` canonically encode, times `scalar` (in [1, ℓ)); null when
   * they encode none. The same as `decode` then `multiply`, for a backend whose
   * multiplication decodes its input anyway, so the point is decoded once.
   */
  multiplyEncoding(bytes: Uint8Array, scalar: Scalar): Element | null;
  /** `scalar` is in [1, ℓ). */
  multiplyBase(scalar: Scalar): Element;
  /** A point that will be multiplied many times (a public key): the backend may build a table for it. */
  prepareForReuse(point: Element): Element;
  add(a: Element, b: Element): Element;
  subtract(a: Element, b: Element): Element;
  equals(a: Element, b: Element): boolean;
  isIdentity(point: Element): boolean;
  /** The canonical 32-byte encoding, in a fresh array the caller may keep. */
  encode(point: Element): Uint8Array;
  /** The element with this canonical 32-byte encoding (the identity included), or null. */
  decode(bytes: Uint8Array): Element | null;
}
