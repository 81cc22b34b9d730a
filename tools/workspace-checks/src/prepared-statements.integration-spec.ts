import { DataSource, QueryFailedError } from 'typeorm';
import { preparedStatement, runPrepared, serviceDataSourceOptions } from '@myna/platform';
import { createTestDatabases } from '@myna/testing';

// libs/platform's prepared statements on a real PostgreSQL: sent by name where the
// database allows it, as plain text where it does not (the embedded database), with
// TypeORM's results and errors either way.

const config = (url: string, namedStatements: boolean) => ({
  service: { name: 'tax-agency' as const, host: '127.0.0.1', port: 0, environment: 'test' as const },
  database: { url, poolSize: 1, connectTimeoutMs: 10_000, namedStatements },
});

describe('prepared statements, on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabases<'prepared'>>>;
  const sources: DataSource[] = [];

  beforeAll(async () => {
    database = await createTestDatabases(['prepared']);
  });

  afterAll(async () => {
    for (const source of sources) if (source.isInitialized) await source.destroy();
    await database.drop();
  });

  async function open(namedStatements: boolean): Promise<DataSource> {
    const source = new DataSource(serviceDataSourceOptions(config(database.databases.prepared.url, namedStatements), [], []));
    sources.push(source);
    await source.initialize();
    await source.query('CREATE TABLE IF NOT EXISTS item (id int PRIMARY KEY, label text NOT NULL)');
    await source.query('TRUNCATE item');
    return source;
  }

  const insert = preparedStatement('INSERT INTO item (id, label) VALUES ($1, $2) RETURNING id');
  const relabel = preparedStatement('UPDATE item SET label = $2 WHERE id = $1');
  const prepared = preparedStatement('SELECT name, statement FROM pg_prepared_statements WHERE name = $1');

  it('names a statement by its text: the same text, the same name; another text, another', () => {
    expect(preparedStatement(insert.text).name).toBe(insert.name);
    expect(relabel.name).not.toBe(insert.name);
    expect(insert.name).toMatch(/^myna_[0-9a-f]{24}$/);
  });

  it('prepares each statement once per connection, in a transaction too, and answers as query() does', async () => {
    const source = await open(true);
    expect(await runPrepared(source, insert, [1, 'one'])).toEqual([{ id: 1 }]);
    await source.transaction(async (manager) => {
      expect(await runPrepared(manager, insert, [2, 'two'])).toEqual([{ id: 2 }]);
      // TypeORM answers an UPDATE with [rows, affected].
      expect(await runPrepared(manager, relabel, [2, 'deux'])).toEqual([[], 1]);
    });
    const rows = await runPrepared<{ name: string; statement: string }[]>(source, prepared, [insert.name]);
    expect(rows).toEqual([{ name: insert.name, statement: insert.text }]);
    expect(await source.query('SELECT label FROM item ORDER BY id')).toEqual([{ label: 'one' }, { label: 'deux' }]);
  });

  it('sends plain text when named statements are off, preparing nothing', async () => {
    const source = await open(false);
    expect(await runPrepared(source, insert, [3, 'three'])).toEqual([{ id: 3 }]);
    expect(await source.query('SELECT count(*)::int AS n FROM pg_prepared_statements')).toEqual([{ n: 0 }]);
  });

  it('fails as TypeORM does, with the SQLSTATE, and keeps the statement usable', async () => {
    const source = await open(true);
    await runPrepared(source, insert, [4, 'four']);
    const failure = await runPrepared(source, insert, [4, 'again']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect((failure as { code?: string }).code).toBe('23505');
    expect(await runPrepared(source, insert, [5, 'five'])).toEqual([{ id: 5 }]);
  });
});
