/**
 * `npx nx run exchange-hub:bench [-- 10000,100000,300000]`: what the hub's log
 * proofs cost as the log grows. In a database of its own on the machine's
 * PostgreSQL (BENCH_DATABASE_ADMIN_URL, else postgres://postgres@127.0.0.1:5432/postgres),
 * dropped at the end, it fills the hub's log with leaves of the real size and shape
 * and asks the hub's own proof service (PostgreSQL hashing the rows, the hub
 * folding them) for one inclusion proof and for a receipt's three proofs; it prints
 * wall time, the longest the event loop waited meanwhile, and the process's memory.
 * Prints only: no threshold.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { dropServiceDatabase, provisionServiceDatabase } from '@myna/platform';
import { MYNA_PORTAL, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';
import { migrations } from '../src/migrations';
import { TransparencyLogProofs } from '../src/transparency-log/transparency-log-proofs';
import { TransparencyLogRepository } from '../src/transparency-log/transparency-log.repository';

const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REPEATS = 3;

interface Row {
  leaves: string;
  what: string;
  'median ms': string;
  'event loop, longest wait ms': string;
  'RSS MB': string;
}

async function timed(leaves: number, what: string, run: () => Promise<unknown>): Promise<Row> {
  const times: number[] = [];
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  delay.disable();
  times.sort((a, b) => a - b);
  return {
    leaves: leaves.toLocaleString('en-US'),
    what,
    'median ms': times[Math.floor(times.length / 2)].toFixed(0),
    'event loop, longest wait ms': (delay.max / 1e6).toFixed(0),
    'RSS MB': (process.memoryUsage().rss / 2 ** 20).toFixed(0),
  };
}

async function main(): Promise<void> {
  const sizes = (process.argv[2] ?? '10000,100000,300000').split(',').map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 2000 || size > 10_000_000)) throw new Error('sizes: whole numbers of leaves from 2,000 to 10,000,000, comma-separated');
  const name = `bench_log_${randomBytes(4).toString('hex')}`;
  const database = await provisionServiceDatabase(ADMIN_URL, name);
  const dataSource = new DataSource({ type: 'postgres', url: database.url, migrations, extra: { max: 4 } });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const proofs = new TransparencyLogProofs(new TransparencyLogRepository(dataSource));
    const rows: Row[] = [];
    let held = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      // Leaves as the hub writes them: the exchange's metadata and a commitment, about 270 bytes.
      await dataSource.query(
        `INSERT INTO log_leaf (idx, leaf)
         SELECT i, json_build_object('event', 'closed', 'to', $3::text, 'requester', $4::text, 'provider', $5::text, 'rule', 'R-PEN-TAX-INCOME', 'item', 'annual-income',
                                     'status', 'permitted', 'commitment', encode(sha256(int8send(i)), 'base64'), 'at', '2026-12-06T11:00Z', 'n', i)::text
           FROM generate_series($1::bigint, $2::bigint - 1) AS i`,
        [held, size, MYNA_PORTAL, PENSION_AGENCY, TAX_AGENCY],
      );
      // Proofs need only the size of a signed head.
      await dataSource.query(`INSERT INTO log_tree_head (size, root, frontier, signed) VALUES ($1, 'bench', '{}', 'bench')`, [size]);
      held = size;
      const index = Math.floor(size / 2);
      rows.push(await timed(size, 'inclusion proof of one leaf', () => proofs.inclusion(index, size)));
      rows.push(await timed(size, 'a receipt’s three proofs (a Verify), one pass', () => proofs.receipt(index, size, index + 1, size - 7)));
    }
    console.table(rows);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await dropServiceDatabase(ADMIN_URL, name);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
