import {
  decodeHash,
  encodeHash,
  EXCHANGE_HUB,
  hashLeaf,
  logReceiptSchema,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHead,
  type LogReceipt,
  type ServiceKeyRing,
} from '@myna/protocol';
import { auditLog } from '../log-audit/log-audit';
import { readLogAuditInput } from '../log-audit/log-audit-input';
import type { ScenarioContext, Scenario } from '../runner/scenario';
import { exchange, MIX_WAIT_MS, newCitizen, portalRecordOf } from './scenario-support';
import { pollUntil } from '../runner/poll';

type Row = { idx: string; leaf: string };

/**
 * The citizen's "Verify" on the portal, as its browser runs it (headless Chromium
 * tests the page itself): the hub's signatures, the inclusion proof of the
 * record's leaf in the newest signed tree, the consistency proof from the
 * record's own tree head. The proofs come from the hub's log routes, which the
 * portal relays; here the runner fetches them as the hub auditor.
 */
async function citizenVerifies(context: ScenarioContext, receipt: LogReceipt, ring: ServiceKeyRing): Promise<{ verified: boolean; why: string }> {
  const hub = (path: string) => context.federation.request<Record<string, unknown>>(EXCHANGE_HUB, 'GET', path, { as: 'hub-auditor' });
  const latestAnswer = await hub('/log/tree-head');
  if (latestAnswer.status !== 200) return { verified: false, why: `the hub gave no tree head (${latestAnswer.status})` };
  const latest = await verifyTreeHead(ring, String(latestAnswer.body.signed));
  const own = await verifyTreeHead(ring, receipt.treeHead);
  const inclusion = await hub(`/log/proofs/inclusion?index=${receipt.index}&size=${latest.size}`);
  const consistency = await hub(`/log/proofs/consistency?first=${own.size}&second=${latest.size}`);
  if (inclusion.status !== 200 || consistency.status !== 200) {
    return { verified: false, why: `the hub could not prove it: ${String(inclusion.body.reason ?? consistency.body.reason ?? inclusion.status)}` };
  }
  const stored = String(inclusion.body.leafHash) === encodeHash(hashLeaf(receipt.leaf));
  if (!stored) return { verified: false, why: `the hub’s log no longer holds entry ${receipt.index + 1} as it was logged: it holds a leaf of another hash there` };
  const included = verifyInclusion(hashLeaf(receipt.leaf), receipt.index, latest.size, (inclusion.body.proof as string[]).map(decodeHash), decodeHash(latest.root));
  const grew = verifyConsistency(own.size, latest.size, (consistency.body.proof as string[]).map(decodeHash), decodeHash(own.root), decodeHash(latest.root));
  return {
    verified: included && grew,
    why: `inclusion of entry ${receipt.index + 1} in the signed tree of ${latest.size}: ${included ? 'holds' : 'fails'}; consistency from its own tree of ${own.size}: ${grew ? 'holds' : 'fails'}`,
  };
}

export const logTamperDetected: Scenario = {
  name: 'log-tamper-detected',
  claim:
    'The hub’s log cannot be quietly edited by whoever holds its database: the auditor’s verification and the citizen’s Verify button both catch a changed, removed or reordered entry.',
  proves:
    'an insider edits, deletes and reorders rows of the hub’s log table; each time `npm run log:verify`’s checks FAIL and the citizen’s in-browser checks fail; once the rows are restored both pass again',
  async run(context) {
    const ring = await context.keys.ring('myna-portal');
    const citizen = await newCitizen(context, 'a new citizen');
    const inquiry = await exchange(context, 'pension-agency', citizen, { provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income' });
    const record = await portalRecordOf(context, 'pension-agency', inquiry.id);
    const receipt = await pollUntil(
      async () => {
        const [row] = await context.databases.query<{ receipt: unknown }>('myna-portal', 'SELECT receipt FROM exchange_record WHERE handle = $1', [record.handle]);
        const parsed = logReceiptSchema.safeParse(row?.receipt);
        return parsed.success ? parsed.data : undefined;
      },
      { timeoutMs: MIX_WAIT_MS, what: 'the portal’s receipt for the record' },
    );
    context.say('myna-portal', `keeps the hub’s receipt with the record: entry ${receipt.index + 1} of the hub’s log, and the tree head the hub signed over it`);

    const audit = async () => auditLog(await readLogAuditInput(context));
    const before = await audit();
    context.check('before: the auditor’s verification passes', before.verdict === 'PASS', summarize(before));
    const honest = await citizenVerifies(context, receipt, ring);
    context.check('before: the citizen’s Verify passes', honest.verified, honest.why);
    if (before.verdict !== 'PASS' || !honest.verified) return context.conclude();

    const index = receipt.index;
    const neighbour = index > 0 ? index - 1 : index + 1;
    const touched = [...new Set([0, index, neighbour])];
    const original = await context.databases.query<Row>(EXCHANGE_HUB, 'SELECT idx::text AS idx, leaf FROM log_leaf WHERE idx = ANY($1::bigint[])', [touched]);
    const restore = async () => {
      await context.databases.query(EXCHANGE_HUB, 'DELETE FROM log_leaf WHERE idx = ANY($1::bigint[]) OR idx >= 1000000000000', [touched]);
      for (const row of original) await context.databases.query(EXCHANGE_HUB, 'INSERT INTO log_leaf (idx, leaf) VALUES ($1, $2)', [row.idx, row.leaf]);
    };

    const tampers: { what: string; sql: string[] }[] = [
      {
        what: `edits entry ${index + 1} (the citizen’s record) to say the exchange was denied`,
        sql: [`UPDATE log_leaf SET leaf = replace(leaf, '"status":"permitted"', '"status":"denied"') WHERE idx = ${index}`],
      },
      { what: 'deletes the log’s first entry', sql: ['DELETE FROM log_leaf WHERE idx = 0'] },
      {
        what: `swaps entries ${neighbour + 1} and ${index + 1}`,
        sql: [
          `UPDATE log_leaf SET idx = 1000000000000 WHERE idx = ${index}`,
          `UPDATE log_leaf SET idx = ${index} WHERE idx = ${neighbour}`,
          `UPDATE log_leaf SET idx = ${neighbour} WHERE idx = 1000000000000`,
        ],
      },
    ];
    try {
      for (const tamper of tampers) {
        context.say('attacker', `an insider with the hub’s database ${tamper.what}`);
        for (const statement of tamper.sql) await context.databases.query(EXCHANGE_HUB, statement);
        const caught = await audit();
        context.check(`the auditor’s verification FAILs when an insider ${tamper.what}`, caught.verdict === 'FAIL', summarize(caught));
        const citizen = await citizenVerifies(context, receipt, ring).catch((error: unknown) => ({ verified: false, why: String(error) }));
        context.check(`the citizen’s Verify fails when an insider ${tamper.what}`, !citizen.verified, citizen.why);
        await restore();
      }
    } finally {
      await restore();
    }
    const after = await audit();
    context.check('after the rows are restored, the auditor’s verification passes again', after.verdict === 'PASS', summarize(after));
    const again = await citizenVerifies(context, receipt, ring);
    context.check('after the rows are restored, the citizen’s Verify passes again', again.verified, again.why);
    return context.conclude();
  },
};

function summarize(audit: Awaited<ReturnType<typeof auditLog>>): string {
  const failed = audit.checks.filter((check) => !check.passed);
  const head = `${audit.verdict}: ${audit.leaves} leaves, ${audit.treeHeads} signed heads, ${audit.receipts} receipts`;
  return failed.length === 0 ? head : `${head}; ✗ ${failed.map((check) => `${check.name}: ${check.evidence}`).join('; ✗ ')}`;
}
