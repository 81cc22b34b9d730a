import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { consistencyProof, consistencyRanges, encodeHash, inclusionProof, inclusionRanges, PackedHashes } from '@myna/protocol';
import { foldRanges } from './proof-fold';

const hex = (hashes: Uint8Array[]) => hashes.map(encodeHash);

describe('foldRanges', () => {
  it('gives the same proofs as merkle.ts, however many leaves it folds between turns', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 40 }), async (size, a, b, perTurn) => {
        const hashes = new PackedHashes(randomBytes(size * PackedHashes.HASH_BYTES));
        const index = a % size;
        const first = b % (size + 1);
        expect(hex(await foldRanges(hashes, inclusionRanges(index, size), perTurn))).toEqual(hex(inclusionProof(hashes, index, size)));
        expect(hex(await foldRanges(hashes, consistencyRanges(first, size), perTurn))).toEqual(hex(consistencyProof(hashes, first, size)));
      }),
      { numRuns: 200 },
    );
  });

  it('lets the event loop turn while it folds a long log, about once per slice', async () => {
    const size = 100_000;
    const hashes = new PackedHashes(randomBytes(size * PackedHashes.HASH_BYTES));
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const proof = await foldRanges(hashes, inclusionRanges(12_345, size), 4096);
    ticking = false;
    expect(hex(proof)).toEqual(hex(inclusionProof(hashes, 12_345, size)));
    // 99,999 leaves in slices of 4,096: the other side of the loop ran between them.
    expect(turns).toBeGreaterThanOrEqual(Math.floor((size - 1) / 4096));
  });

  it('refuses a run it does not hold', async () => {
    const hashes = new PackedHashes(randomBytes(4 * PackedHashes.HASH_BYTES));
    await expect(foldRanges(hashes, [{ start: 2, end: 5 }])).rejects.toThrow(RangeError);
    await expect(foldRanges(hashes, [{ start: 2, end: 2 }])).rejects.toThrow(RangeError);
  });
});
