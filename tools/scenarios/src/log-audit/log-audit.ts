import {
  CODE_HOLDERS,
  encodeHash,
  extendFrontier,
  frontierRoot,
  hashLeaf,
  logLeafSchema,
  logReceiptSchema,
  TreeHeadError,
  verifyTreeHead,
  EMPTY_FRONTIER,
  type CodeHolder,
  type Frontier,
  type ServiceKeyRing,
  type TreeHead,
} from '@myna/protocol';

/** A receipt as a party keeps it, and where it was found (table and row, for the evidence). */
export interface HeldReceipt {
  party: CodeHolder;
  where: string;
  receipt: unknown;
}

export interface LogAuditInput {
  /** The hub's leaves as it serves them, by index. */
  leaves: readonly { index: number; leaf: string }[];
  /** Every tree head the hub signed (compact JWS). */
  treeHeads: readonly string[];
  receipts: readonly HeldReceipt[];
  /** Any party's key ring: its directory holds the hub's public signing key. */
  ring: ServiceKeyRing;
}

export interface AuditCheck {
  name: string;
  passed: boolean;
  evidence: string;
}

export interface LogAudit {
  verdict: 'PASS' | 'FAIL';
  checks: AuditCheck[];
  leaves: number;
  treeHeads: number;
  receipts: number;
}

const MAX_EXAMPLES = 5;
const examples = (problems: readonly string[]) =>
  problems.slice(0, MAX_EXAMPLES).join('; ') + (problems.length > MAX_EXAMPLES ? `; and ${problems.length - MAX_EXAMPLES} more` : '');

/**
 * The auditor's verification of the whole log (DESIGN §5, "The log"): the leaves
 * run 0…n−1 without a gap and say nothing but metadata and a commitment; every
 * tree head carries the hub's signature and its root is the tree of the leaves as
 * they are now (so a changed, removed or reordered leaf breaks every head from it
 * on); every receipt a party keeps is signed, is that party's own, and names the
 * leaf the log holds at its index under a head of the same tree. One pass over the
 * leaves: the frontier gives each prefix's root.
 */
export async function auditLog(input: LogAuditInput): Promise<LogAudit> {
  const checks: AuditCheck[] = [];
  const leaves = [...input.leaves].sort((a, b) => a.index - b.index);

  const gaps = leaves.flatMap((entry, position) => (entry.index === position ? [] : [`index ${entry.index} where ${position} was expected`]));
  checks.push({
    name: 'the leaves run from 0 without a gap or a duplicate',
    passed: gaps.length === 0,
    evidence: gaps.length === 0 ? `${leaves.length} leaves, indices 0…${leaves.length - 1}` : examples(gaps),
  });

  const unreadable = leaves.flatMap((entry) => {
    try {
      logLeafSchema.parse(JSON.parse(entry.leaf));
      return [];
    } catch {
      return [`leaf ${entry.index} is not metadata and a commitment: ${entry.leaf.slice(0, 80)}`];
    }
  });
  checks.push({
    name: 'every leaf holds metadata and a commitment only (no handle, code or payload)',
    passed: unreadable.length === 0,
    evidence: unreadable.length === 0 ? `${leaves.length} leaves checked against the leaf schema` : examples(unreadable),
  });

  // Every prefix's root, as the leaves now are.
  const rootAt = new Map<number, string>();
  let frontier: Frontier = EMPTY_FRONTIER;
  for (const entry of leaves) {
    frontier = extendFrontier(frontier, [hashLeaf(entry.leaf)]);
    rootAt.set(frontier.size, encodeHash(frontierRoot(frontier)));
  }

  const heads: TreeHead[] = [];
  const badHeads: string[] = [];
  for (const signed of input.treeHeads) {
    try {
      heads.push(await verifyTreeHead(input.ring, signed));
    } catch (error) {
      badHeads.push(error instanceof TreeHeadError ? error.message : 'unreadable tree head');
    }
  }
  checks.push({
    name: 'every tree head carries the hub’s signature (EdDSA)',
    passed: badHeads.length === 0 && heads.length > 0,
    evidence: badHeads.length === 0 ? `${heads.length} signed tree heads verified` : examples(badHeads),
  });

  const mismatched = heads.flatMap((head) => {
    const root = rootAt.get(head.size);
    if (root === undefined) return [`the hub signed a tree of ${head.size} leaves; the log holds ${leaves.length}`];
    return root === head.root ? [] : [`the tree of ${head.size} leaves the hub signed has root ${head.root.slice(0, 12)}…; the leaves as stored give ${root.slice(0, 12)}…`];
  });
  const firstBroken = heads.filter((head) => rootAt.get(head.size) !== head.root).map((head) => head.size).sort((a, b) => a - b)[0];
  checks.push({
    name: 'every signed tree head is the tree of the leaves as stored (the log only grew)',
    passed: mismatched.length === 0 && heads.length > 0,
    evidence:
      mismatched.length === 0
        ? `${heads.length} heads, sizes ${Math.min(...heads.map((head) => head.size))}…${Math.max(...heads.map((head) => head.size))}, each matched by the recomputed root`
        : `${mismatched.length} of ${heads.length} heads no longer match, from the tree of ${firstBroken} leaves on: ${examples(mismatched)}`,
  });

  const byIndex = new Map(leaves.map((entry) => [entry.index, entry.leaf]));
  const receiptProblems: string[] = [];
  for (const held of input.receipts) {
    const parsed = logReceiptSchema.safeParse(held.receipt);
    if (!parsed.success) {
      receiptProblems.push(`${held.party} ${held.where}: not a receipt`);
      continue;
    }
    const receipt = parsed.data;
    let head: TreeHead;
    try {
      head = await verifyTreeHead(input.ring, receipt.treeHead);
    } catch {
      receiptProblems.push(`${held.party} ${held.where}: its tree head is not signed by the hub`);
      continue;
    }
    const leaf = logLeafSchema.safeParse(JSON.parse(receipt.leaf));
    if (!leaf.success || leaf.data.to !== held.party) receiptProblems.push(`${held.party} ${held.where}: the leaf is not ${held.party}’s own`);
    if (head.size !== receipt.index + 1) receiptProblems.push(`${held.party} ${held.where}: its tree head does not end with its leaf`);
    if (byIndex.get(receipt.index) !== receipt.leaf) {
      receiptProblems.push(`${held.party} ${held.where}: the log holds ${byIndex.has(receipt.index) ? 'another leaf' : 'no leaf'} at index ${receipt.index}`);
    }
    if (rootAt.get(head.size) !== head.root) receiptProblems.push(`${held.party} ${held.where}: the tree it was logged in (${head.size} leaves) is not the tree of the leaves as stored`);
  }
  checks.push({
    name: 'every receipt a party keeps is signed, its own, and in the log as stored',
    passed: receiptProblems.length === 0,
    evidence:
      receiptProblems.length === 0
        ? `${input.receipts.length} receipts (${CODE_HOLDERS.map((party) => `${party}: ${input.receipts.filter((held) => held.party === party).length}`).join(', ')})`
        : `${receiptProblems.length} problem(s) in ${input.receipts.length} receipts: ${examples(receiptProblems)}`,
  });

  return {
    verdict: checks.every((check) => check.passed) ? 'PASS' : 'FAIL',
    checks,
    leaves: leaves.length,
    treeHeads: heads.length,
    receipts: input.receipts.length,
  };
}
