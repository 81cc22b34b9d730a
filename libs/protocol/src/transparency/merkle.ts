import { sha256 } from '@noble/hashes/sha2';

/**
 * The Merkle tree of RFC 9162 §2.1 (Certificate Transparency v2), pure: no I/O,
 * no framework. Leaves are hashed with a 0x00 prefix and interior nodes with 0x01,
 * so that no leaf can pass for a node. Hashes are 32-byte Uint8Arrays.
 */
export type Hash = Uint8Array;

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

/** MTH of the tree over `leafHashes` (RFC 9162 §2.1.1): the empty tree's root is SHA-256 of nothing. */
export function treeRoot(leafHashes: readonly Hash[]): Hash {
  if (leafHashes.length === 0) return sha256(new Uint8Array(0));
  const levels = treeLevels(leafHashes);
  return levels[levels.length - 1][0];
}

/**
 * Every level of the tree, leaves first. A lone last node rises unhashed, so the
 * node at level h, index i, is MTH of leaves [i·2^h, min((i+1)·2^h, n)): the
 * same tree as splitting at the largest power of two below n, and every subtree a
 * proof names is one of its nodes.
 */
function treeLevels(leafHashes: readonly Hash[]): Hash[][] {
  const levels: Hash[][] = [[...leafHashes]];
  for (let level = levels[0]; level.length > 1; ) {
    const next: Hash[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    levels.push(next);
    level = next;
  }
  return levels;
}

/** MTH of leaves [start, end), where start is aligned to the smallest power of two ≥ end − start, or end is the tree's size. */
function subtreeRoot(levels: readonly Hash[][], start: number, end: number): Hash {
  let height = 0;
  while (2 ** height < end - start) height++;
  return levels[height][start / 2 ** height];
}

/** The largest power of two smaller than n (n > 1). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path of leaf `index` in the tree of the first `size` leaves. */
export function inclusionProof(leafHashes: readonly Hash[], index: number, size: number = leafHashes.length): Hash[] {
  assertSize(leafHashes, size);
  if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const levels = treeLevels(leafHashes.slice(0, size));
  const path = (m: number, start: number, n: number): Hash[] => {
    if (n <= 1) return [];
    const k = splitPoint(n);
    return m < k
      ? [...path(m, start, k), subtreeRoot(levels, start + k, start + n)]
      : [...path(m - k, start + k, n - k), subtreeRoot(levels, start, start + k)];
  };
  return path(index, 0, size);
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1: that the tree of the first `first` leaves is a prefix of the tree of `second`. */
export function consistencyProof(leafHashes: readonly Hash[], first: number, second: number = leafHashes.length): Hash[] {
  assertSize(leafHashes, second);
  if (!Number.isInteger(first) || first < 0 || first > second) throw new RangeError(`a tree of ${first} cannot precede a tree of ${second}`);
  if (first === 0 || first === second) return [];
  const levels = treeLevels(leafHashes.slice(0, second));
  const subproof = (m: number, start: number, n: number, whole: boolean): Hash[] => {
    if (m === n) return whole ? [] : [subtreeRoot(levels, start, start + n)];
    const k = splitPoint(n);
    return m <= k
      ? [...subproof(m, start, k, whole), subtreeRoot(levels, start + k, start + n)]
      : [...subproof(m - k, start + k, n - k, false), subtreeRoot(levels, start, start + k)];
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

function assertSize(leafHashes: readonly Hash[], size: number): void {
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
  for (const hash of newLeafHashes) {
    subtrees.push(hash);
    // Binary increment: each carry merges the two smallest equal subtrees.
    for (let carry = size; carry % 2 === 1; carry = Math.floor(carry / 2)) {
      const right = subtrees.pop() as Hash;
      const left = subtrees.pop() as Hash;
      subtrees.push(nodeHash(left, right));
    }
    size++;
  }
  return { size, subtrees };
}

/** The tree's root from its frontier: the same MTH as treeRoot over all its leaves. */
export function frontierRoot(frontier: Frontier): Hash {
  if (frontier.size === 0) return treeRoot([]);
  let root = frontier.subtrees[frontier.subtrees.length - 1];
  for (let i = frontier.subtrees.length - 2; i >= 0; i--) root = nodeHash(frontier.subtrees[i], root);
  return root;
}
