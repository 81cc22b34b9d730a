/**
 * The tree algorithms against a naive reference: RFC 9162 §2.1's definitions
 * written literally (recursion over the leaves' data), and the RFC's own
 * verification algorithms run on proofs from the module, tampered or not.
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { consistencyProof, consistencyRanges, EMPTY_FRONTIER, extendFrontier, frontierRoot, inclusionProof, inclusionRanges, leafHash, PackedHashes, Subtrees, treeRoot, verifyConsistency, verifyInclusion } from '../merkle';

const sha = (...parts: Uint8Array[]): Uint8Array => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};
const k = (n: number): number => 2 ** Math.ceil(Math.log2(n) - 1);

/** MTH(D[n]) as RFC 9162 §2.1.1 writes it. */
function mth(data: Uint8Array[]): Uint8Array {
  if (data.length === 0) return sha();
  if (data.length === 1) return sha(Uint8Array.of(0), data[0]);
  const split = k(data.length);
  return sha(Uint8Array.of(1), mth(data.slice(0, split)), mth(data.slice(split)));
}

/** PATH(m, D[n]). */
function path(m: number, data: Uint8Array[]): Uint8Array[] {
  if (data.length <= 1) return [];
  const split = k(data.length);
  return m < split ? [...path(m, data.slice(0, split)), mth(data.slice(split))] : [...path(m - split, data.slice(split)), mth(data.slice(0, split))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
function subproof(m: number, data: Uint8Array[], whole: boolean): Uint8Array[] {
  if (m === data.length) return whole ? [] : [mth(data)];
  const split = k(data.length);
  return m <= split
    ? [...subproof(m, data.slice(0, split), whole), mth(data.slice(split))]
    : [...subproof(m - split, data.slice(split), false), mth(data.slice(0, split))];
}

const leavesArb = fc.array(fc.uint8Array({ minLength: 0, maxLength: 12 }), { minLength: 1, maxLength: 70 });
const hex = (hashes: Uint8Array[]) => hashes.map((hash) => Buffer.from(hash).toString('hex'));
const flip = (hash: Uint8Array): Uint8Array => {
  const copy = Uint8Array.from(hash);
  copy[0] ^= 1;
  return copy;
};

describe('Merkle tree (RFC 9162 §2.1)', () => {
  it('gives the reference root for every size, the empty tree included', () => {
    expect(Buffer.from(treeRoot([])).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    fc.assert(
      fc.property(leavesArb, (leaves) => {
        expect(Buffer.from(treeRoot(leaves.map(leafHash))).equals(Buffer.from(mth(leaves)))).toBe(true);
      }),
    );
  });

  it('gives the reference audit path of every leaf at every size, and the RFC verifier accepts it', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat(), (leaves, sizeSeed, indexSeed) => {
        const hashes = leaves.map(leafHash);
        const size = 1 + (sizeSeed % leaves.length);
        const index = indexSeed % size;
        const proof = inclusionProof(hashes, index, size);
        expect(hex(proof)).toEqual(hex(path(index, leaves.slice(0, size))));
        expect(verifyInclusion(hashes[index], index, size, proof, mth(leaves.slice(0, size)))).toBe(true);
      }),
    );
  });

  it('refuses an inclusion proof for another leaf, index or size, or with any hash changed or dropped', () => {
    fc.assert(
      fc.property(leavesArb.filter((leaves) => leaves.length > 1), fc.nat(), fc.nat(), (leaves, indexSeed, which) => {
        const hashes = leaves.map(leafHash);
        const size = leaves.length;
        const index = indexSeed % size;
        const root = treeRoot(hashes);
        const proof = inclusionProof(hashes, index, size);
        const other = (index + 1) % size;
        if (Buffer.from(hashes[other]).equals(Buffer.from(hashes[index]))) return;
        expect(verifyInclusion(hashes[other], index, size, proof, root)).toBe(false);
        expect(verifyInclusion(hashes[index], other, size, proof, root)).toBe(false);
        expect(verifyInclusion(hashes[index], index, size, proof, flip(root))).toBe(false);
        const at = which % proof.length;
        expect(verifyInclusion(hashes[index], index, size, proof.map((hash, i) => (i === at ? flip(hash) : hash)), root)).toBe(false);
        expect(verifyInclusion(hashes[index], index, size, proof.slice(0, -1), root)).toBe(false);
        expect(verifyInclusion(hashes[index], index, size, [...proof, root], root)).toBe(false);
      }),
    );
  });

  it('gives the reference consistency proof between every two sizes, and the RFC verifier accepts it', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat(), (leaves, a, b) => {
        const hashes = leaves.map(leafHash);
        const second = 1 + (b % leaves.length);
        const first = a % (second + 1);
        const proof = consistencyProof(hashes, first, second);
        if (first > 0) expect(hex(proof)).toEqual(hex(subproof(first, leaves.slice(0, second), true)));
        expect(verifyConsistency(first, second, proof, mth(leaves.slice(0, first)), mth(leaves.slice(0, second)))).toBe(true);
      }),
    );
  });

  it('refuses a consistency proof when the older tree was rewritten, not only grown', () => {
    fc.assert(
      fc.property(leavesArb.filter((leaves) => leaves.length > 1), fc.nat(), fc.nat(), (leaves, a, which) => {
        const second = leaves.length;
        const first = 1 + (a % (second - 1));
        const changed = which % first;
        const rewritten = leaves.map((leaf, i) => (i === changed ? Uint8Array.from([...leaf, 0xff]) : leaf));
        const hashes = rewritten.map(leafHash);
        // The proof the rewritten log can give, against the old tree's honest root.
        const proof = consistencyProof(hashes, first, second);
        expect(verifyConsistency(first, second, proof, mth(leaves.slice(0, first)), treeRoot(hashes))).toBe(false);
      }),
    );
  });

  it('appends through the frontier, in any batches, to the reference root', () => {
    fc.assert(
      fc.property(leavesArb, fc.array(fc.nat(), { maxLength: 8 }), (leaves, cuts) => {
        const hashes = leaves.map(leafHash);
        const points = [...new Set(cuts.map((cut) => cut % (hashes.length + 1)))].sort((a, b) => a - b);
        let frontier = EMPTY_FRONTIER;
        let from = 0;
        for (const to of [...points, hashes.length]) {
          frontier = extendFrontier(frontier, hashes.slice(from, to));
          from = Math.max(from, to);
          expect(Buffer.from(frontierRoot(frontier)).equals(Buffer.from(mth(leaves.slice(0, frontier.size))))).toBe(true);
        }
        expect(frontier.size).toBe(leaves.length);
      }),
    );
  });

  it('gives the same roots and proofs from packed hashes, one buffer of 32 bytes a leaf, as from an array', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat(), (leaves, a, b) => {
        const hashes = leaves.map(leafHash);
        const packed = new PackedHashes(Buffer.concat(hashes));
        expect(packed.length).toBe(hashes.length);
        expect(hex(hashes.map((_, i) => packed.at(i)!))).toEqual(hex(hashes));
        const size = 1 + (b % leaves.length);
        const index = a % size;
        const first = a % (size + 1);
        expect(hex([treeRoot(packed)])).toEqual(hex([treeRoot(hashes)]));
        expect(hex(inclusionProof(packed, index, size))).toEqual(hex(inclusionProof(hashes, index, size)));
        expect(hex(consistencyProof(packed, first, size))).toEqual(hex(consistencyProof(hashes, first, size)));
      }),
    );
    const packed = new PackedHashes(new Uint8Array(64));
    expect([packed.at(-1), packed.at(2), packed.at(0.5)]).toEqual([undefined, undefined, undefined]);
    expect(() => new PackedHashes(new Uint8Array(33))).toThrow(RangeError);
    expect(() => inclusionProof(packed, 0, 3)).toThrow(RangeError);
  });

  it('names a proof’s subtrees as disjoint runs of leaves, each proof hash the root of its run', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat(), (leaves, a, b) => {
        const hashes = leaves.map(leafHash);
        const size = 1 + (b % leaves.length);
        const index = a % size;
        const first = a % (size + 1);
        const roots = (ranges: { start: number; end: number }[]) => hex(ranges.map(({ start, end }) => treeRoot(hashes.slice(start, end))));
        expect(roots(inclusionRanges(index, size))).toEqual(hex(inclusionProof(hashes, index, size)));
        expect(roots(consistencyRanges(first, size))).toEqual(hex(consistencyProof(hashes, first, size)));
        // The inclusion proof's runs and the leaf itself cover the tree once.
        const covered = [...inclusionRanges(index, size), { start: index, end: index + 1 }].sort((x, y) => x.start - y.start);
        expect(covered.every((range, i) => range.start === (i === 0 ? 0 : covered[i - 1].end))).toBe(true);
        expect(covered[covered.length - 1].end).toBe(size);
      }),
    );
  });

  it('gives the reference proofs from kept subtrees of any tile size, one Subtrees serving several proofs, and any run’s root', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 4 }), fc.nat(), (leaves, a, b, tileLevel, c) => {
        const hashes = leaves.map(leafHash);
        const size = 1 + (b % leaves.length);
        const index = a % size;
        const first = a % (size + 1);
        const shared = new Subtrees(hashes, tileLevel);
        // Twice over the same Subtrees: the second proof reads what the first kept.
        for (let round = 0; round < 2; round++) {
          expect(hex(inclusionProof(hashes, index, size, shared))).toEqual(hex(path(index, leaves.slice(0, size))));
          if (first > 0) expect(hex(consistencyProof(hashes, first, size, shared))).toEqual(hex(subproof(first, leaves.slice(0, size), true)));
        }
        // Any run, aligned or not.
        const start = c % size;
        const end = start + 1 + (a % (size - start));
        expect(hex([shared.root({ start, end })])).toEqual(hex([mth(leaves.slice(start, end))]));
      }),
    );
    const subtrees = new Subtrees([leafHash(Uint8Array.of(1))]);
    for (const range of [{ start: 0, end: 0 }, { start: 0, end: 2 }, { start: -1, end: 1 }, { start: 0.5, end: 1 }]) expect(() => subtrees.root(range)).toThrow(RangeError);
  });

  it('gives the proofs the README draws for a tree of five leaves', () => {
    const L = ['a', 'b', 'c', 'd', 'e'].map((leaf) => leafHash(Buffer.from(leaf)));
    const n01 = mth([Buffer.from('a'), Buffer.from('b')]);
    expect(hex(inclusionProof(L, 3, 5))).toEqual(hex([L[2], n01, L[4]]));
    expect(hex(consistencyProof(L, 3, 5))).toEqual(hex([L[2], L[3], n01, L[4]]));
  });
});
