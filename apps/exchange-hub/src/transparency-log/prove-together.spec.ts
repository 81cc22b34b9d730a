import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { consistencyProof, consistencyRanges, encodeHash, inclusionProof, inclusionRanges, PackedHashes } from '@myna/protocol';
import { proveTogether } from './prove-together';

const hex = (hashes: Uint8Array[]) => hashes.map(encodeHash);

describe('proveTogether', () => {
  it('gives the proofs merkle.ts gives, together, whatever the tile size and the leaves hashed between turns', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 64 }), async (size, a, b, tileLevel, leavesPerTurn) => {
        const hashes = new PackedHashes(randomBytes(size * PackedHashes.HASH_BYTES));
        const index = a % size;
        const first = b % (size + 1);
        const since = a % (size + 1);
        const [inclusion, fromFirst, fromSince] = await proveTogether(hashes, [inclusionRanges(index, size), consistencyRanges(first, size), consistencyRanges(since, size)], { leavesPerTurn, tileLevel });
        expect(hex(inclusion)).toEqual(hex(inclusionProof(hashes, index, size)));
        expect(hex(fromFirst)).toEqual(hex(consistencyProof(hashes, first, size)));
        expect(hex(fromSince)).toEqual(hex(consistencyProof(hashes, since, size)));
      }),
      { numRuns: 200 },
    );
  });

  it('lets the event loop turn while it hashes a long log, about once per LEAVES_PER_TURN leaves', async () => {
    const size = 100_000;
    const hashes = new PackedHashes(randomBytes(size * PackedHashes.HASH_BYTES));
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const [proof] = await proveTogether(hashes, [inclusionRanges(12_345, size)], { leavesPerTurn: 4096 });
    ticking = false;
    expect(hex(proof)).toEqual(hex(inclusionProof(hashes, 12_345, size)));
    // About 97 whole tiles of 1,024 leaves, a turn every 4 of them.
    expect(turns).toBeGreaterThanOrEqual(Math.floor(size / 4096) - 1);
  });

  it('refuses a run it does not hold', async () => {
    const hashes = new PackedHashes(randomBytes(4 * PackedHashes.HASH_BYTES));
    await expect(proveTogether(hashes, [[{ start: 2, end: 5 }]])).rejects.toThrow(RangeError);
    await expect(proveTogether(hashes, [[{ start: 2, end: 2 }]])).rejects.toThrow(RangeError);
  });
});
