import { AGENCIES, type CodeHolder, EXCHANGE_HUB, MYNA_PORTAL } from '@myna/protocol';
import type { FederationResources } from '../federation/federation-resources';
import type { HeldReceipt, LogAuditInput } from './log-audit';

const PAGE = 1_000;

/** Where each party keeps its receipts: the requester's inquiries, the provider's answers, the portal's records and its own inquiries. */
const RECEIPT_TABLES: readonly { party: CodeHolder; table: string }[] = [
  ...AGENCIES.flatMap((agency) => [
    { party: agency, table: 'inquiry' },
    { party: agency, table: 'provided_exchange' },
  ]),
  { party: MYNA_PORTAL, table: 'exchange_record' },
  { party: MYNA_PORTAL, table: 'self_disclosure' },
];

/**
 * What the auditor reads: the hub's leaves and signed tree heads through its API
 * (as the hub auditor), and the receipts the parties keep, from their databases
 * (the auditor's dumps).
 */
export async function readLogAuditInput(resources: Pick<FederationResources, 'federation' | 'databases' | 'keys'>): Promise<LogAuditInput> {
  const hub = (path: string) => resources.federation.request<Record<string, unknown>>(EXCHANGE_HUB, 'GET', path, { as: 'hub-auditor', accept: [200] });

  const treeHeads: string[] = [];
  let largest = 0;
  for (let from = 0; ; ) {
    const page = (await hub(`/log/tree-heads?from=${from}&limit=${PAGE}`)).body.treeHeads as { size: number; signed: string }[];
    treeHeads.push(...page.map((head) => head.signed));
    if (page.length > 0) largest = page[page.length - 1].size;
    if (page.length < PAGE) break;
    from = largest + 1;
  }

  const leaves: { index: number; leaf: string }[] = [];
  for (let from = 0; ; from += PAGE) {
    const page = (await hub(`/log/leaves?from=${from}&limit=${PAGE}`)).body.leaves as { index: number; leaf: string }[];
    leaves.push(...page);
    if (page.length === 0 && from >= largest) break;
  }

  const receipts: HeldReceipt[] = [];
  for (const { party, table } of RECEIPT_TABLES) {
    const rows = await resources.databases.query<{ receipt: unknown }>(party, `SELECT receipt FROM ${table} WHERE receipt IS NOT NULL`);
    rows.forEach((row, i) => receipts.push({ party, where: `${table} row ${i + 1}`, receipt: row.receipt }));
  }
  return { leaves, treeHeads, receipts, ring: await resources.keys.ring(MYNA_PORTAL) };
}
