import { decodeHash, encodeHash, EXCHANGE_HUB, hashLeaf, type LogReceipt, logReceiptSchema, MYNA_PORTAL, PENSION_AGENCY, type ServiceKeyRing, TAX_AGENCY, verifyConsistency, verifyInclusion, verifyTreeHead } from '@myna/protocol';
import { auditLog } from '../log-audit/log-audit';
import { readLogAuditInput } from '../log-audit/log-audit-input';
import type { ScenarioContext, Scenario } from '../runner/scenario';
import { describeSignIn, issueCard, signIn } from './card-support';
import { exchange, MIX_WAIT_MS, newCitizen, portalRecordOf } from './scenario-support';
import { pollUntil } from '../runner/poll';

type Row = { idx: string; leaf: string };

/**
 * The citizen's "Verify" on the portal's records page: the runner asks the portal,
 * in the citizen's session, for what the page's script fetches
 * (`GET /records/:handle/log-proof`), and runs the script's checks on it — the
 * hub's signatures on the newest head and on the record's own, the leaf the hub
 * holds against the citizen's copy, inclusion in the newest signed tree,
 * consistency from the record's own head. Headless Chromium runs the script
 * itself (tools/portal-browser-tests).
 */
async function citizenVerifies(context: ScenarioContext, handle: string, cookie: string, ring: ServiceKeyRing): Promise<{ verified: boolean; why: string }> {
  const answer = await context.federation.request<Record<string, unknown>>(MYNA_PORTAL, 'GET', `/records/${handle}/log-proof`, { headers: { cookie } });
  if (answer.status !== 200) return { verified: false, why: `the portal got no proof from the hub (${answer.status}): ${String(answer.body.reason ?? '')}` };
  const bundle = answer.body as unknown as { receipt: LogReceipt; latest: string; inclusion: string[]; storedLeafHash: string; fromReceipt: string[] };
  const latest = await verifyTreeHead(ring, bundle.latest);
  const own = await verifyTreeHead(ring, bundle.receipt.treeHead);
  const leafHash = hashLeaf(bundle.receipt.leaf);
  if (bundle.storedLeafHash !== encodeHash(leafHash)) {
    return { verified: false, why: `the hub’s log no longer holds entry ${bundle.receipt.index + 1} as it was logged` };
  }
  const included = verifyInclusion(leafHash, bundle.receipt.index, latest.size, bundle.inclusion.map(decodeHash), decodeHash(latest.root));
  const grew = verifyConsistency(own.size, latest.size, bundle.fromReceipt.map(decodeHash), decodeHash(own.root), decodeHash(latest.root));
  return {
    verified: included && grew,
    why: `the hub holds entry ${bundle.receipt.index + 1} as logged; its inclusion in the signed tree of ${latest.size}: ${included ? 'holds' : 'fails'}; consistency from its own tree of ${own.size}: ${grew ? 'holds' : 'fails'}`,
  };
}

export const logTamperDetected: Scenario = {
  name: 'log-tamper-detected',
  claim:
    'The hub’s log cannot be quietly edited by whoever holds its database: the auditor’s verification and the citizen’s Verify button both catch a changed, removed or reordered entry.',
  proves:
    'an insider edits, deletes and reorders rows of the hub’s log table; each time `npm run log:verify`’s checks FAIL and the citizen’s Verify (the page script’s checks, on what the portal fetches in the citizen’s session) fails; once the rows are restored both pass again',
  async run(context) {
    const ring = await context.keys.ring(MYNA_PORTAL);
    const citizen = await newCitizen(context, 'a new citizen');
    const card = await issueCard(context, citizen, 'the citizen');
    const inquiry = await exchange(context, PENSION_AGENCY, citizen, { provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income' });
    const record = await portalRecordOf(context, PENSION_AGENCY, inquiry.id);
    const receipt = await pollUntil(
      async () => {
        const [row] = await context.databases.query<{ receipt: unknown }>(MYNA_PORTAL, 'SELECT receipt FROM exchange_record WHERE handle = $1', [record.handle]);
        const parsed = logReceiptSchema.safeParse(row?.receipt);
        return parsed.success ? parsed.data : undefined;
      },
      { timeoutMs: MIX_WAIT_MS, what: 'the portal’s receipt for the record' },
    );
    context.say(MYNA_PORTAL, `keeps the hub’s receipt with the record: entry ${receipt.index + 1} of the hub’s log, and the tree head the hub signed over it`);
    const session = await signIn(context, card, card.pin);
    if (!session.cookie) throw new Error(`sign-in failed: ${describeSignIn(session)}`);
    context.say('citizen', 'signs in at the portal with the card and the PIN, and presses Verify on the record');
    const verify = () => citizenVerifies(context, record.handle, session.cookie!, ring);

    const audit = async () => auditLog(await readLogAuditInput(context));
    const before = await audit();
    context.check('before: the auditor’s verification passes', before.verdict === 'PASS', summarize(before));
    const honest = await verify();
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
        const citizenSaw = await verify().catch((error: unknown) => ({ verified: false, why: String(error) }));
        context.check(`the citizen’s Verify fails when an insider ${tamper.what}`, !citizenSaw.verified, citizenSaw.why);
        await restore();
      }
    } finally {
      await restore();
    }
    const after = await audit();
    context.check('after the rows are restored, the auditor’s verification passes again', after.verdict === 'PASS', summarize(after));
    const again = await verify();
    context.check('after the rows are restored, the citizen’s Verify passes again', again.verified, again.why);
    return context.conclude();
  },
};

function summarize(audit: Awaited<ReturnType<typeof auditLog>>): string {
  const failed = audit.checks.filter((check) => !check.passed);
  const head = `${audit.verdict}: ${audit.leaves} leaves, ${audit.treeHeads} signed heads, ${audit.receipts} receipts`;
  return failed.length === 0 ? head : `${head}; ✗ ${failed.map((check) => `${check.name}: ${check.evidence}`).join('; ✗ ')}`;
}
