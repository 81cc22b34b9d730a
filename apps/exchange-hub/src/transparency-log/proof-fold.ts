import { setImmediate as nextTurn } from 'node:timers/promises';
import { EMPTY_FRONTIER, extendFrontier, frontierRoot, type Hash, type LeafRange, type PackedHashes } from '@myna/protocol';

/** Leaves folded between two turns of the event loop: about 15 ms of hashing on this project's machine. */
export const LEAVES_PER_TURN = 8192;

/**
 * The roots of a proof's subtrees (merkle.ts `inclusionRanges`, `consistencyRanges`),
 * the same hashes as `inclusionProof` and `consistencyProof` give, but folded a
 * slice at a time with a turn of the event loop between slices: a proof over a
 * long log then never holds up the hub's exchanges, queues or health checks.
 */
export async function foldRanges(hashes: PackedHashes, ranges: readonly LeafRange[], leavesPerTurn: number = LEAVES_PER_TURN): Promise<Hash[]> {
  const roots: Hash[] = [];
  let sinceTurn = 0;
  for (const { start, end } of ranges) {
    if (start >= end || end > hashes.length) throw new RangeError(`leaves [${start}, ${end}) are not a run of the ${hashes.length} held`);
    let frontier = EMPTY_FRONTIER;
    for (let from = start; from < end; ) {
      const to = Math.min(end, from + leavesPerTurn - sinceTurn);
      frontier = extendFrontier(frontier, hashes.slice(from, to));
      sinceTurn += to - from;
      from = to;
      if (sinceTurn >= leavesPerTurn) {
        await nextTurn();
        sinceTurn = 0;
      }
    }
    roots.push(frontierRoot(frontier));
  }
  return roots;
}
