/**
 * `npx nx run protocol:bench`, second part: what the hub's Merkle proofs cost one
 * core once the leaves are hashed (PostgreSQL hashes the stored leaves; the hub
 * folds 32 bytes a leaf into the proof's subtrees; proofs over the same leaves
 * share the subtrees they have in common).
 * Prints only; fixed sizes.
 */
import { randomBytes } from 'node:crypto';
import { consistencyProof, inclusionProof, PackedHashes, Subtrees, treeRoot } from '../src/transparency/merkle';

interface Row {
  leaves: string;
  operation: string;
  'CPU ms': string;
  'µs per leaf': string;
}

function measure(leaves: number, operation: string, run: () => unknown): Row {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  const ms = (used.user + used.system) / 1000;
  return {
    leaves: leaves.toLocaleString('en-US'),
    operation,
    'CPU ms': ms.toFixed(1),
    'µs per leaf': ((ms * 1000) / leaves).toFixed(2),
  };
}

function main(): void {
  // Warm up, so that the first size does not pay for compiling.
  const warm = new PackedHashes(randomBytes(1000 * PackedHashes.HASH_BYTES));
  for (let i = 0; i < 20; i++) inclusionProof(warm, i, warm.length);
  const rows: Row[] = [];
  for (const size of [10_000, 100_000, 1_000_000]) {
    const hashes = new PackedHashes(randomBytes(size * PackedHashes.HASH_BYTES));
    rows.push(measure(size, 'root', () => treeRoot(hashes)));
    rows.push(measure(size, 'inclusion proof, a leaf in the middle', () => inclusionProof(hashes, Math.floor(size / 2), size)));
    rows.push(measure(size, 'consistency proof from a third of the tree', () => consistencyProof(hashes, Math.floor(size / 3), size)));
    rows.push(
      measure(size, 'a Verify’s three proofs, sharing their subtrees', () => {
        const shared = new Subtrees(hashes);
        inclusionProof(hashes, Math.floor(size / 2), size, shared);
        consistencyProof(hashes, Math.floor(size / 2) + 1, size, shared);
        consistencyProof(hashes, size - 7, size, shared);
      }),
    );
  }
  console.table(rows);
}

main();
