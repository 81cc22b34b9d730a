import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabases, queryAs } from '@myna/testing';
import { EXCHANGE_LOG_ENTITIES } from '../exchange-log/exchange-log.module';
import { ExchangeLogRepository } from '../exchange-log/exchange-log.repository';
import { OpenExchangeIndexes1796700000000 } from './1796700000000-open-exchange-indexes';
import { migrations } from './index';

const RECORD_SUBJECT = `ct1.${'A'.repeat(86)}`;

// The expiry sweep reads open exchanges only, retention closed ones only: each has an
// index holding just those rows, and both still find what they look for.
describe('the hub’s open and closed exchange indexes', () => {
  let database: Awaited<ReturnType<typeof createTestDatabases<'hub'>>>;
  let dataSource: DataSource;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabases(['hub']);
    url = database.databases.hub.url;
    dataSource = await new DataSource({ type: 'postgres', url, entities: EXCHANGE_LOG_ENTITIES, migrations }).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** An exchange opened `ageMinutes` ago, still open or closed as answered that long ago. */
  async function exchange(ageMinutes: number, open: boolean): Promise<string> {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO exchange (id, requester, inquiry_id, inquiry_job_id, provider, provider_handle, portal_handle, rule, item, status, answer_message_id, record_subject, created_at, closed_at)
       VALUES ($1, 'pension-agency', $2, $3, 'tax-agency', $4, $5, 'R-PEN-TAX-INCOME', 'annual-income', $6, $7, $8, now() - make_interval(mins => $9), $10::timestamptz)`,
      [id, randomUUID(), randomUUID(), randomUUID(), randomUUID(), open ? 'delivered' : 'answered', open ? null : randomUUID(), open ? RECORD_SUBJECT : null, ageMinutes, open ? null : new Date(Date.now() - ageMinutes * 60_000)],
    );
    return id;
  }

  async function plan(sql: string, params: unknown[]): Promise<string> {
    const runner = dataSource.createQueryRunner();
    try {
      // With sequential scans priced out, the plan names the index PostgreSQL can use, if any.
      await runner.query('SET enable_seqscan = off');
      const rows: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN ${sql}`, params);
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await runner.query('RESET enable_seqscan');
      await runner.release();
    }
  }

  it('finds overdue open exchanges and prunes old closed ones, each through its own index', async () => {
    const overdue = await exchange(90, true);
    await exchange(1, true);
    const oldClosed = await exchange(90, false);
    const recentClosed = await exchange(1, false);
    const log = new ExchangeLogRepository(dataSource);

    const found = await log.overdueExchanges(new Date(Date.now() - 60 * 60_000), 10);
    expect(found.map((row) => row.id)).toEqual([overdue]);
    expect(await plan(`SELECT id FROM exchange WHERE status = 'delivered' AND created_at < $1 ORDER BY created_at LIMIT 10`, [new Date()])).toContain('exchange_open_created_at_idx');

    expect(await plan('SELECT id FROM exchange WHERE closed_at < $1', [new Date()])).toContain('exchange_closed_at_idx');
    expect(await log.pruneLog(new Date(Date.now() - 60 * 60_000))).toEqual({ exchanges: 1, rejections: 0 });
    const left = await queryAs<{ id: string }>(url, 'SELECT id FROM exchange');
    expect(left.map((row) => row.id)).toEqual(expect.arrayContaining([overdue, recentClosed]));
    expect(left.map((row) => row.id)).not.toContain(oldClosed);
  });

  it('indexes an open exchange for expiry only, and a closed one for retention only', async () => {
    const definitions = await queryAs<{ indexname: string; indexdef: string }>(url, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'exchange'");
    const byName = new Map(definitions.map((row) => [row.indexname, row.indexdef]));
    expect(byName.get('exchange_open_created_at_idx')).toMatch(/WHERE \(status = 'delivered'::text\)$/);
    expect(byName.get('exchange_closed_at_idx')).toMatch(/WHERE \(closed_at IS NOT NULL\)$/);
    expect(byName.has('exchange_status_created_at_idx')).toBe(false);
  });

  it('can be undone', async () => {
    const migration = new OpenExchangeIndexes1796700000000();
    const runner = dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      const names = (await runner.query("SELECT indexname FROM pg_indexes WHERE tablename = 'exchange'")) as { indexname: string }[];
      expect(names.map((row) => row.indexname)).toEqual(expect.arrayContaining(['exchange_status_created_at_idx', 'exchange_closed_at_idx']));
      expect(names.map((row) => row.indexname)).not.toContain('exchange_open_created_at_idx');
      await migration.up(runner);
    } finally {
      await runner.release();
    }
  });
});
