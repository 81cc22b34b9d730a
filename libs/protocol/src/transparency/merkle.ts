import { hash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 §2.1 (Certificate Transparency v2), pure: no I/O,
 * no framework. Leaves are hashed with a 0x00 prefix and interior nodes with 0x01,
 * so that no leaf can pass for a node. Hashes are 32-byte Uint8Arrays.
 */
export type Hash = Uint8Array;

/** Node's one-shot SHA-256 (OpenSSL), as a plain Uint8Array. */
function sha256(data: Uint8Array): Hash {
  const digest = hash('sha256', data, 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** SHA-256(0x00 || leaf) */
export function leafHash(leaf: Uint8Array): Hash {
  const input = new Uint8Array(leaf.length + 1);
  input[0] = LEAF_PREFIX;
  input.set(leaf, 1);
  return sha256(input);
}

/** SHA-256(0x01 || left || right) */
export function nodeHash(left: Hash, right: Hash): Hash {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/**
 * Leaf hashes, in leaf order: an array, or `PackedHashes` (one buffer, 32 bytes a
 * leaf, no object of its own each), which is how the hub reads a long log.
 */
export interface LeafHashes {
  readonly length: number;
  at(index: number): Hash | undefined;
}

/** Leaf hashes end to end in one buffer; `at` answers a view, not a copy. */
export class PackedHashes implements LeafHashes {
  static readonly HASH_BYTES = 32;
  readonly length: number;

  constructor(private readonly bytes: Uint8Array) {
    if (bytes.length % PackedHashes.HASH_BYTES !== 0) throw new RangeError(`${bytes.length} bytes are not a whole number of ${PackedHashes.HASH_BYTES}-byte hashes`);
    this.length = bytes.length / PackedHashes.HASH_BYTES;
  }

  at(index: number): Hash | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    return this.bytes.subarray(index * PackedHashes.HASH_BYTES, (index + 1) * PackedHashes.HASH_BYTES);
  }
}

/** MTH of the tree over `leafHashes` (RFC 9162 §2.1.1): the empty tree's root is SHA-256 of nothing. */
export function treeRoot(leafHashes: LeafHashes): Hash {
  return leafHashes.length === 0 ? sha256(new Uint8Array(0)) : rangeRoot(leafHashes, 0, leafHashes.length);
}

/**
 * MTH of leaves [start, end) (start < end), folded left to right into the range's
 * frontier and then closed: every leaf is read once and only the frontier, one
 * hash per level, is kept, so a proof over n leaves hashes about n nodes in
 * O(log n) memory. The subtrees a proof names are disjoint, so a whole proof
 * costs the same.
 */
function rangeRoot(leafHashes: LeafHashes, start: number, end: number): Hash {
  const subtrees: Hash[] = [];
  for (let index = start; index < end; index++) pushLeaf(subtrees, index - start, leafAt(leafHashes, index));
  return closeFrontier(subtrees);
}

function leafAt(leafHashes: LeafHashes, index: number): Hash {
  const hash = leafHashes.at(index);
  if (hash === undefined) throw new RangeError(`there is no leaf ${index}`);
  return hash;
}

/** The largest power of two smaller than n (n > 1). */
function splitPoint(n: number): number {
  return largestPowerOfTwoAtMost(n - 1);
}

/** The leaves [start, end) of one subtree a proof names. */
export interface LeafRange {
  start: number;
  end: number;
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path of leaf `index` in the tree of the first `size` leaves. */
export function inclusionProof(leafHashes: LeafHashes, index: number, size: number = leafHashes.length, subtrees: Subtrees = new Subtrees(leafHashes)): Hash[] {
  assertSize(leafHashes, size);
  return inclusionRanges(index, size).map((range) => subtrees.root(range));
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1: that the tree of the first `first` leaves is a prefix of the tree of `second`. */
export function consistencyProof(leafHashes: LeafHashes, first: number, second: number = leafHashes.length, subtrees: Subtrees = new Subtrees(leafHashes)): Hash[] {
  assertSize(leafHashes, second);
  return consistencyRanges(first, second).map((range) => subtrees.root(range));
}

/**
 * The roots of subtrees over one list of leaf hashes, for proofs. Every subtree a
 * proof names starts at a multiple of the smallest power of two at least its size,
 * so its root is the closing of perfect subtrees, each aligned to its own size.
 * Those of at least a tile (2^tileLevel leaves) are computed once and kept (about
 * two hashes per tile), so that several proofs over the same leaves (a
 * Verify's inclusion and consistency proofs) cost about one pass together; smaller
 * ones are folded from the leaves each time. Nothing is kept beyond the object:
 * whoever asks again reads the leaves again.
 */
export class Subtrees {
  /** Kept roots, by subtree size, then by the subtree's index among those of its size. */
  private readonly kept = new Map<number, Map<number, Hash>>();
  /** How many leaves a tile holds: the smallest subtree kept. */
  readonly tileSize: number;

  constructor(
    private readonly leaves: LeafHashes,
    tileLevel: number = 10,
  ) {
    this.tileSize = 2 ** tileLevel;
  }

  /** MTH of leaves [start, end). */
  root({ start, end }: LeafRange): Hash {
    const length = end - start;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || length < 1 || end > this.leaves.length) {
      throw new RangeError(`leaves [${start}, ${end}) are not a run of the ${this.leaves.length} held`);
    }
    // The perfect subtrees of the run's frontier, largest first: each must be aligned to its size to be kept.
    const parts: Hash[] = [];
    let at = start;
    for (let size = largestPowerOfTwoAtMost(length); size >= 1; size /= 2) {
      if (end - at < size) continue;
      // Not aligned (no proof asks for such a run): the plain fold.
      if (at % size !== 0) return rangeRoot(this.leaves, start, end);
      parts.push(this.perfect(size, at / size));
      at += size;
    }
    return closeFrontier(parts);
  }

  /** The root of tile `index` (leaves [index·tileSize, (index + 1)·tileSize)), computed once. */
  tile(index: number): Hash {
    return this.perfect(this.tileSize, index);
  }

  /** The root of leaves [index·size, (index + 1)·size), size a power of two. */
  private perfect(size: number, index: number): Hash {
    if (size < this.tileSize) return rangeRoot(this.leaves, index * size, (index + 1) * size);
    let ofSize = this.kept.get(size);
    const known = ofSize?.get(index);
    if (known) return known;
    const root = size === this.tileSize ? rangeRoot(this.leaves, index * size, (index + 1) * size) : nodeHash(this.perfect(size / 2, 2 * index), this.perfect(size / 2, 2 * index + 1));
    if (!ofSize) this.kept.set(size, (ofSize = new Map()));
    ofSize.set(index, root);
    return root;
  }
}

function largestPowerOfTwoAtMost(n: number): number {
  let power = 1;
  while (power * 2 <= n) power *= 2;
  return power;
}

/**
 * The subtrees whose roots make PATH(index, D[size]), in the proof's order: the
 * proof is the MTH of each. They are disjoint, and with the leaf cover the tree.
 */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a tree of ${size} has no leaves to prove`);
  if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path = (m: number, start: number, n: number): LeafRange[] => {
    if (n <= 1) return [];
    const k = splitPoint(n);
    return m < k ? [...path(m, start, k), { start: start + k, end: start + n }] : [...path(m - k, start + k, n - k), { start, end: start + k }];
  };
  return path(index, 0, size);
}

/** The subtrees whose roots make PROOF(first, D[second]), in the proof's order; disjoint. */
export function consistencyRanges(first: number, second: number): LeafRange[] {
  if (!Number.isInteger(second) || second < 0) throw new RangeError(`there is no tree of ${second}`);
  if (!Number.isInteger(first) || first < 0 || first > second) throw new RangeError(`a tree of ${first} cannot precede a tree of ${second}`);
  if (first === 0 || first === second) return [];
  const subproof = (m: number, start: number, n: number, whole: boolean): LeafRange[] => {
    if (m === n) return whole ? [] : [{ start, end: start + n }];
    const k = splitPoint(n);
    return m <= k
      ? [...subproof(m, start, k, whole), { start: start + k, end: start + n }]
      : [...subproof(m - k, start + k, n - k, false), { start, end: start + k }];
  };
  return subproof(first, 0, second, true);
}

/** RFC 9162 §2.1.3.2: true when `proof` shows the leaf hash at `index` in the tree of `size` with root `root`. */
export function verifyInclusion(leaf: Hash, index: number, size: number, proof: readonly Hash[], root: Hash): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalHashes(r, root);
}

/** RFC 9162 §2.1.4.2: true when `proof` shows that the tree (first, firstRoot) is a prefix of (second, secondRoot). */
export function verifyConsistency(first: number, second: number, proof: readonly Hash[], firstRoot: Hash, secondRoot: Hash): boolean {
  if (!Number.isInteger(first) || !Number.isInteger(second) || first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && equalHashes(firstRoot, secondRoot);
  // Every tree extends the empty one.
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalHashes(fr, firstRoot) && equalHashes(sr, secondRoot);
}

export function equalHashes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function assertSize(leafHashes: LeafHashes, size: number): void {
  if (!Number.isInteger(size) || size < 0 || size > leafHashes.length) throw new RangeError(`a tree of ${size} needs that many leaves; there are ${leafHashes.length}`);
}

/**
 * The right edge of a tree: the roots of its perfect subtrees, largest first (one
 * per set bit of its size). Enough to append and to compute the root in O(log n),
 * without reading the leaves.
 */
export interface Frontier {
  size: number;
  subtrees: Hash[];
}

export const EMPTY_FRONTIER: Frontier = { size: 0, subtrees: [] };

/** The frontier after appending `newLeafHashes`. */
export function extendFrontier(frontier: Frontier, newLeafHashes: readonly Hash[]): Frontier {
  const subtrees = [...frontier.subtrees];
  let size = frontier.size;
  for (const hash of newLeafHashes) pushLeaf(subtrees, size++, hash);
  return { size, subtrees };
}

/** The tree's root from its frontier: the same MTH as treeRoot over all its leaves. */
export function frontierRoot(frontier: Frontier): Hash {
  return frontier.size === 0 ? treeRoot([]) : closeFrontier([...frontier.subtrees]);
}

/** Appends the leaf after `size` leaves to a frontier, in place: a binary increment, each carry merging the two smallest equal subtrees. */
function pushLeaf(subtrees: Hash[], size: number, hash: Hash): void {
  subtrees.push(hash);
  for (let carry = size; carry % 2 === 1; carry = Math.floor(carry / 2)) {
    const right = subtrees.pop() as Hash;
    const left = subtrees.pop() as Hash;
    subtrees.push(nodeHash(left, right));
  }
}

/** The root over a non-empty frontier, consumed: its subtrees hashed together from the smallest up. */
function closeFrontier(subtrees: Hash[]): Hash {
  let root = subtrees.pop() as Hash;
  for (let next = subtrees.pop(); next !== undefined; next = subtrees.pop()) root = nodeHash(next, root);
  return root;
}
