import {
  commitToHandle,
  encodeHash,
  encodeLeaf,
  extendFrontier,
  frontierRoot,
  hashLeaf,
  LegalTable,
  LOG_ID,
  runServiceKeyCeremony,
  ServiceKeyRing,
  signTreeHead,
  EMPTY_FRONTIER,
  type CodeHolder,
  type LogReceipt,
} from '@myna/protocol';
import { auditLog, type HeldReceipt, type LogAuditInput } from './log-audit';

const files = runServiceKeyCeremony(LegalTable.load(), 'log-audit-spec').services;
const PARTIES: CodeHolder[] = ['tax-agency', 'pension-agency', 'myna-portal'];

/** A log as the hub writes it: one leaf per message, a signed head per leaf, each recipient's receipt. */
async function honestLog(size: number): Promise<LogAuditInput> {
  const hub = await ServiceKeyRing.fromFile(files.get('exchange-hub')!);
  const leaves: { index: number; leaf: string }[] = [];
  const treeHeads: string[] = [];
  const receipts: HeldReceipt[] = [];
  let frontier = EMPTY_FRONTIER;
  for (let index = 0; index < size; index++) {
    const to = PARTIES[index % PARTIES.length];
    const nonce = encodeHash(new Uint8Array(16).fill(index)).slice(0, 22);
    const leaf = encodeLeaf({ v: 1, event: 'closed', to, requester: 'pension-agency', provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income', status: 'answered', commitment: commitToHandle(`handle-${index}`, nonce) });
    frontier = extendFrontier(frontier, [hashLeaf(leaf)]);
    const signed = await signTreeHead(hub, { log: LOG_ID, size: frontier.size, root: encodeHash(frontierRoot(frontier)), timestamp: 1_796_000_000_000 });
    leaves.push({ index, leaf });
    treeHeads.push(signed);
    const receipt: LogReceipt = { leaf, index, nonce, treeHead: signed };
    receipts.push({ party: to, where: `row ${index}`, receipt });
  }
  return { leaves, treeHeads, receipts, ring: await ServiceKeyRing.fromFile(files.get('myna-portal')!) };
}

const failed = (audit: Awaited<ReturnType<typeof auditLog>>) => audit.checks.filter((check) => !check.passed).map((check) => check.name);

describe('the auditor’s verification of the hub’s log', () => {
  let log: LogAuditInput;
  beforeAll(async () => {
    log = await honestLog(13);
  });

  it('passes an honest log and its receipts, with the evidence', async () => {
    const audit = await auditLog(log);
    expect(audit).toMatchObject({ verdict: 'PASS', leaves: 13, treeHeads: 13, receipts: 13 });
    expect(audit.checks.find((check) => check.name.startsWith('every signed tree head'))!.evidence).toBe('13 heads, sizes 1…13, each matched by the recomputed root');
  });

  it('fails a changed leaf: every head from it on, and the receipt of that leaf', async () => {
    const leaves = log.leaves.map((entry) => (entry.index === 5 ? { ...entry, leaf: entry.leaf.replace('"answered"', '"denied"') } : entry));
    const audit = await auditLog({ ...log, leaves });
    expect(audit.verdict).toBe('FAIL');
    expect(failed(audit)).toEqual(['every signed tree head is the tree of the leaves as stored (the log only grew)', 'every receipt a party keeps is signed, its own, and in the log as stored']);
    expect(audit.checks[3].evidence).toMatch(/^8 of 13 heads no longer match, from the tree of 6 leaves on/);
  });

  it('fails a removed leaf and two leaves swapped', async () => {
    const removed = await auditLog({ ...log, leaves: log.leaves.filter((entry) => entry.index !== 2) });
    expect(removed.verdict).toBe('FAIL');
    expect(failed(removed)).toContain('the leaves run from 0 without a gap or a duplicate');

    const swapped = log.leaves.map((entry) => (entry.index === 1 ? { ...entry, leaf: log.leaves[2].leaf } : entry.index === 2 ? { ...entry, leaf: log.leaves[1].leaf } : entry));
    const audit = await auditLog({ ...log, leaves: swapped });
    expect(audit.verdict).toBe('FAIL');
    expect(audit.checks[3].evidence).toMatch(/from the tree of 2 leaves on/);
  });

  it('fails a head the hub did not sign, and a receipt kept by a party it was not for', async () => {
    const forged = [...log.treeHeads];
    forged[3] = forged[3].slice(0, -4) + (forged[3].endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(failed(await auditLog({ ...log, treeHeads: forged }))).toEqual(['every tree head carries the hub’s signature (EdDSA)']);
    const misheld = log.receipts.map((held, i) => (i === 0 ? { ...held, party: 'health-agency' as CodeHolder } : held));
    const audit = await auditLog({ ...log, receipts: misheld });
    expect(audit.checks[4].evidence).toContain('health-agency row 0: the leaf is not health-agency’s own');
  });
});
