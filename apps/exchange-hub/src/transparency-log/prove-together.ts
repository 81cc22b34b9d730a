import { setImmediate as nextTurn } from 'node:timers/promises';
import { Subtrees, type Hash, type LeafHashes, type LeafRange } from '@myna/protocol';

/** Leaves hashed between two turns of the event loop: about 15 ms on this project's machine. */
export const LEAVES_PER_TURN = 8192;

/**
 * Proofs over the same leaves (each the runs merkle.ts `inclusionRanges` or
 * `consistencyRanges` names), computed together: first every tile inside any of
 * their runs, each once, with a turn of the event loop every LEAVES_PER_TURN leaves,
 * so that proving over a long log never holds up the hub's exchanges, queues or
 * health checks; then each run's root, read off the kept subtrees (Subtrees) and the
 * few leaves outside whole tiles. A Verify's three proofs cost about one pass.
 */
export async function proveTogether(
  hashes: LeafHashes,
  proofs: readonly (readonly LeafRange[])[],
  { leavesPerTurn = LEAVES_PER_TURN, tileLevel }: { leavesPerTurn?: number; tileLevel?: number } = {},
): Promise<Hash[][]> {
  const subtrees = new Subtrees(hashes, tileLevel);
  const tileSize = subtrees.tileSize;
  let sinceTurn = 0;
  for (const { start, end } of proofs.flat()) {
    for (let tile = Math.ceil(start / tileSize); (tile + 1) * tileSize <= end; tile++) {
      subtrees.tile(tile);
      sinceTurn += tileSize;
      if (sinceTurn >= leavesPerTurn) {
        await nextTurn();
        sinceTurn = 0;
      }
    }
  }
  return proofs.map((ranges) => ranges.map((range) => subtrees.root(range)));
}
