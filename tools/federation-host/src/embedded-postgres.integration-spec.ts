import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { initialiseDataDirs, startEmbeddedPostgres } from './embedded-postgres';
import { Supervisor } from './process-supervisor';
import { processIsAlive } from '@myna/protocol';

const isRunning = (pid: number | undefined): boolean => pid !== undefined && processIsAlive(pid);

async function query<T>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL (pglite-server)', () => {
  let workDir: string;
  let supervisor: Supervisor;
  const signal = new AbortController().signal;
  const start = (dataDir: string) => startEmbeddedPostgres(supervisor, { name: 'test-db', dataDir, deadline: Date.now() + 50_000, signal });

  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'launcher-pglite-'));
  });

  beforeEach(() => {
    supervisor = new Supervisor();
  });

  afterEach(async () => {
    await supervisor.stopAll();
  });

  afterAll(() => {
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('serves the pg driver, leaves no process once stopped, and keeps its data for the next start', async () => {
    const dataDir = path.join(workDir, 'tax-agency', 'pgdata');
    const first = await start(dataDir);
    expect(first.url).toBe(`postgres://postgres:postgres@127.0.0.1:${first.port}/postgres`);

    expect(await query(first.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    await query(first.url, 'create table tax_record (processing_serial text primary key, amount integer not null)');
    await query(first.url, 'insert into tax_record values ($1, $2), ($3, $4)', ['PS-1', 1200, 'PS-2', 3400]);
    expect(await query(first.url, 'select * from tax_record order by processing_serial')).toEqual([
      { processing_serial: 'PS-1', amount: 1200 },
      { processing_serial: 'PS-2', amount: 3400 },
    ]);

    const pid = first.process.pid;
    await first.process.stop();
    expect(isRunning(pid)).toBe(false);
    expect(first.process.describeExit()).toBe('exited with code 0');

    const second = await start(dataDir);
    expect(await query(second.url, 'select sum(amount)::int as total from tax_record')).toEqual([{ total: 4600 }]);
  });

  it("accepts a service's pool of 10 connections at once", async () => {
    const database = await start(path.join(workDir, 'tax-agency', 'pgdata')); // warm if the first test ran
    const clients = Array.from({ length: 10 }, () => new Client({ connectionString: database.url }));
    await Promise.all(clients.map((client) => client.connect()));
    try {
      const answers = await Promise.all(clients.map((client, index) => client.query('select $1::int as n', [index])));
      expect(answers.map((answer) => answer.rows[0].n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it('initialises missing directories from one template, each an independent database', async () => {
    const existing = path.join(workDir, 'tax-agency', 'pgdata'); // from the first test, or created now
    const dirs = [path.join(workDir, 'hub', 'pgdata'), path.join(workDir, 'portal', 'pgdata')];
    fs.mkdirSync(dirs[1], { recursive: true }); // empty counts as missing
    const templateDir = path.join(workDir, '.pgdata-template');

    const created = await initialiseDataDirs(supervisor, [...dirs, existing], { templateDir, deadline: Date.now() + 50_000, signal });

    expect(created).toBe(fs.existsSync(path.join(existing, 'PG_VERSION')) ? 2 : 3);
    expect(
      await initialiseDataDirs(supervisor, [path.join(workDir, 'alone', 'pgdata')], { templateDir, deadline: Date.now() + 50_000, signal }),
    ).toBe(0);
    expect(fs.existsSync(templateDir)).toBe(false);
    const [hub, portal] = await Promise.all(dirs.map(start));
    await query(hub.url, 'create table exchange_record (id int)');
    expect(await query(portal.url, "select count(*)::int as n from pg_tables where tablename = 'exchange_record'")).toEqual([{ n: 0 }]);
    expect(await initialiseDataDirs(supervisor, dirs, { templateDir, deadline: Date.now() + 50_000, signal })).toBe(0);
  });
});
