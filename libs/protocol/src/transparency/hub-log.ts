import { randomBytes } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2';
import { z } from 'zod';
import { readCompactJws, signCompactEdDsa, verifyEd25519 } from '../envelopes/compact-jws';
import { SIGNING_ALGORITHM, type ServiceKeyRing } from '../keys/key-ring';
import { CODE_HOLDERS, EXCHANGE_HUB } from '../parties';
import { leafHash, type Hash } from './merkle';

/**
 * The hub's transparency log (DESIGN §5, "The log"): what a leaf says, the signed
 * tree head, and the receipt a party keeps. The tree itself is ./merkle.ts.
 */
export const LOG_EVENTS = ['delivered', 'closed'] as const;
export type LogEvent = (typeof LOG_EVENTS)[number];

/** The JWS `typ` of a signed tree head. */
export const TREE_HEAD_TYPE = 'myna-tree-head';
export const LOG_ID = 'myna-exchange-hub-log';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/);
const hash = base64url.length(43);

/**
 * One leaf: one message the hub sent, as metadata, and a commitment to the
 * recipient's handle that only the recipient can open (it alone holds the handle
 * and the nonce). Never a code, a payload or a handle in the clear.
 */
export const logLeafSchema = z.strictObject({
  v: z.literal(1),
  event: z.enum(LOG_EVENTS),
  /** Whose receipt it is: the message's recipient. */
  to: z.enum(CODE_HOLDERS),
  requester: z.enum(CODE_HOLDERS),
  provider: z.enum(CODE_HOLDERS),
  rule: z.string().max(64),
  item: z.string().max(64),
  /** delivered; or how it closed, in the words of the recipient's message. */
  status: z.string().max(32),
  commitment: hash,
});
export type LogLeaf = z.infer<typeof logLeafSchema>;

export const treeHeadSchema = z.strictObject({
  log: z.literal(LOG_ID),
  size: z.number().int().min(0),
  root: hash,
  /** When the hub signed it, in milliseconds since the epoch. */
  timestamp: z.number().int().min(0),
});
export type TreeHead = z.infer<typeof treeHeadSchema>;

/**
 * What a party keeps with its record of an exchange: its own leaf, where it sits,
 * the nonce that opens its commitment, and the tree head (signed by the hub) that
 * first included it. Nothing in it is stored by another party: the leaf and its
 * commitment are the recipient's own; the tree head is public and names the round.
 */
export const logReceiptSchema = z.strictObject({
  leaf: z.string().min(2).max(2_000),
  index: z.number().int().min(0),
  nonce: base64url.length(22),
  treeHead: z.string().min(10).max(2_000),
});
export type LogReceipt = z.infer<typeof logReceiptSchema>;

export function encodeHash(bytes: Hash): string {
  return Buffer.from(bytes).toString('base64url');
}

export function decodeHash(text: string): Hash {
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

/** A fresh nonce for a commitment: 128 random bits. */
export function newCommitmentNonce(): string {
  return randomBytes(16).toString('base64url');
}

/** SHA-256("myna-log-commitment" 0x00 handle 0x00 nonce), base64url. */
export function commitToHandle(handle: string, nonce: string): string {
  return encodeHash(sha256(new TextEncoder().encode(`myna-log-commitment\u0000${handle}\u0000${nonce}`)));
}

/** The leaf's bytes: its JSON with the keys in schema order (what the tree hashes). */
export function encodeLeaf(leaf: LogLeaf): string {
  const checked = logLeafSchema.parse(leaf);
  return JSON.stringify({
    v: checked.v,
    event: checked.event,
    to: checked.to,
    requester: checked.requester,
    provider: checked.provider,
    rule: checked.rule,
    item: checked.item,
    status: checked.status,
    commitment: checked.commitment,
  });
}

/** A stored leaf's hash (RFC 9162: SHA-256(0x00 || leaf)). */
export function hashLeaf(encodedLeaf: string): Hash {
  return leafHash(new TextEncoder().encode(encodedLeaf));
}

/** The hub signs a tree head (JWS, EdDSA, `typ` myna-tree-head). */
export async function signTreeHead(ring: ServiceKeyRing, head: TreeHead): Promise<string> {
  if (ring.service !== EXCHANGE_HUB) throw new Error('only the exchange hub signs tree heads');
  return signCompactEdDsa(ring.signingKey, { alg: SIGNING_ALGORITHM, kid: ring.signingKid, typ: TREE_HEAD_TYPE }, JSON.stringify(treeHeadSchema.parse(head)));
}

export class TreeHeadError extends Error {}

/**
 * Verifies a signed tree head: EdDSA only, a key the directory gives the hub, the
 * tree-head type. A tree head is a public statement about the log at a moment and
 * does not expire; it names no audience.
 */
export async function verifyTreeHead(ring: ServiceKeyRing, signed: string): Promise<TreeHead> {
  const jws = typeof signed === 'string' ? readCompactJws(signed) : null;
  if (!jws) throw new TreeHeadError('the tree head is not a JWS');
  const { alg, kid, typ } = jws.header;
  const verifier = ring.verifierFor(typeof kid === 'string' ? kid : undefined);
  if (!verifier || verifier.service !== EXCHANGE_HUB) throw new TreeHeadError('the tree head is not signed by a key of the exchange hub');
  if (typ !== TREE_HEAD_TYPE) throw new TreeHeadError(`the JWS is a ${String(typ)}, not a tree head`);
  // The signature checked in this thread, as a message's is (compact-jws.ts); EdDSA only, no critical extension.
  if (alg !== SIGNING_ALGORITHM || jws.header.crit !== undefined || !verifyEd25519(verifier.key, jws)) {
    throw new TreeHeadError('the tree head signature or content does not hold');
  }
  try {
    return treeHeadIn(jws.payload);
  } catch {
    throw new TreeHeadError('the tree head signature or content does not hold');
  }
}

/** The signed tree head's content, unverified (to show it; verify before relying on it). */
export function readTreeHead(signed: string): TreeHead {
  return treeHeadIn(signed.split('.')[1] ?? '');
}

/** A JWS payload segment read as a tree head. */
function treeHeadIn(payload: string): TreeHead {
  return treeHeadSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
}
