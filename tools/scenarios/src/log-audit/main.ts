// Entry point of `npm run log:verify`: the auditor verifies the hub's whole log and
// every receipt the parties keep. Flags are read first, so that --help answers at once.
import path from 'node:path';

const USAGE = `Usage: npm run log:verify -- [--keys DIR]

The auditor's check of the exchange hub's transparency log (RFC 9162): the
leaves run without a gap and hold metadata and commitments only; every tree head
the hub signed verifies and is the tree of the leaves as they are stored (so the
log only grew); every receipt the requester, the provider and the portal keep is
signed by the hub, is the party's own, and names the leaf the log holds. Prints
PASS or FAIL with the evidence; exits 1 on FAIL.

It reads the leaves and heads as the hub auditor (the key ceremony's operator
credentials) and the receipts from the parties' databases, of the federation the
scenario runner would use: the one the environment names (<SERVICE>_URL,
<SERVICE>_DATABASE_URL, REDIS_URL), else the running demo.

Options:
  --keys DIR   the key ceremony's folder (default .data/keys)
  --help       this text`;

const out = (text: string) => process.stdout.write(text);
const err = (text: string) => process.stderr.write(text);

async function main(argv: readonly string[]): Promise<number> {
  let keysDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--help' || argv[i] === '-h') {
      out(`${USAGE}\n`);
      return 0;
    }
    if (argv[i] === '--keys' && argv[i + 1] && !argv[i + 1].startsWith('--')) {
      keysDir = path.resolve(argv[++i]);
      continue;
    }
    err(`log:verify: unknown argument '${argv[i]}' (see --help)\n`);
    return 2;
  }
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded once the command line is known to be good */
  const { findRunningDemo, findWorkspaceRoot, workspaceLayout } = require('../federation/embedded-demo') as typeof import('../federation/embedded-demo');
  const { openFederation } = require('../federation/federation-resources') as typeof import('../federation/federation-resources');
  const { targetFromEnv } = require('../federation/federation-target') as typeof import('../federation/federation-target');
  const { auditLog } = require('./log-audit') as typeof import('./log-audit');
  const { readLogAuditInput } = require('./log-audit-input') as typeof import('./log-audit-input');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const layout = workspaceLayout(findWorkspaceRoot(__dirname));
  const fromEnv = targetFromEnv(process.env, keysDir ?? path.join(layout.dataDir, 'keys'));
  if (fromEnv.kind === 'invalid') {
    err(`log:verify: the federation in the environment is incomplete:\n${fromEnv.problems.map((problem) => `  ${problem}`).join('\n')}\n`);
    return 2;
  }
  const target = fromEnv.kind === 'target' ? fromEnv.target : await findRunningDemo(layout, keysDir);
  if (!target) {
    err('log:verify: no federation is running (start one with npm run demo, or name one in the environment)\n');
    return 2;
  }
  const resources = openFederation(target);
  try {
    const audit = await auditLog(await readLogAuditInput(resources));
    out(`log:verify: the exchange hub's log: ${audit.leaves} leaves, ${audit.treeHeads} signed tree heads, ${audit.receipts} receipts held by the parties\n`);
    for (const check of audit.checks) out(`  ${check.passed ? '✓' : '✗'} ${check.name}\n      ${check.evidence}\n`);
    out(`${audit.verdict}\n`);
    return audit.verdict === 'PASS' ? 0 : 1;
  } finally {
    await resources.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    err(`log:verify: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
