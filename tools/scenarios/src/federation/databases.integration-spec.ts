import type { Service } from '@myna/protocol';
import { createTestDatabases, queryAs } from '@myna/testing';
import { runJoinAttack } from '../analysis/join-attack';
import { Databases, STREAM_BATCH_ROWS } from './databases';

// What the report reads of a database, on the machine's real PostgreSQL.
const CODE = `ac1.${'Q'.repeat(43)}`;
let url: string;
let drop: () => Promise<void>;
let databases: Databases;

beforeAll(async () => {
  const created = await createTestDatabases(['tax-agency']);
  url = created.databases['tax-agency'].url;
  drop = created.drop;
  databases = new Databases({ 'tax-agency': url } as Record<Service, string>);
  await queryAs(url, 'CREATE TABLE person (id int PRIMARY KEY, agency_code text NOT NULL, note text)');
  await queryAs(url, 'CREATE TABLE income_record (id int PRIMARY KEY, person_id int, income_yen bigint, result jsonb)');
  await queryAs(url, `INSERT INTO person VALUES (1, '${CODE}', 'kept before'), (2, 'ac1.other', 'untouched')`);
});

afterAll(async () => drop?.());

describe('reading a service database for the report', () => {
  it('lists the rows written (inserted or updated) since a mark, and no other', async () => {
    const mark = await databases.writeMark('tax-agency');
    await queryAs(url, `INSERT INTO income_record VALUES (10, 1, 123456789, '{"incomeYen":123456789}')`);
    await queryAs(url, `UPDATE person SET note = 'updated after' WHERE id = 1`);
    const written = await databases.writtenSince('tax-agency', mark);
    expect(written).toEqual([
      { table: 'income_record', rows: [{ id: '10', person_id: '1', income_yen: '123456789', result: '{"incomeYen": 123456789}' }] },
      { table: 'person', rows: [{ id: '1', agency_code: CODE, note: 'updated after' }] },
    ]);
    expect(await databases.writtenSince('tax-agency', await databases.writeMark('tax-agency'))).toEqual([]);
  });

  it('finds where each value occurs in the whole database, by table and column', async () => {
    expect(await databases.whereFound('tax-agency', [CODE.slice(4), '123456789', 'nowhere'])).toEqual([['person.agency_code'], ['income_record.income_yen', 'income_record.result'], []]);
  });

  it('tells which codes the service keeps in a code column', async () => {
    expect([...(await databases.codesHeld('tax-agency', [CODE, `ac1.${'Z'.repeat(43)}`]))]).toEqual([CODE]);
  });

  it('streams a table larger than a batch, every row once, as text in the shape\'s column order', async () => {
    const rows = STREAM_BATCH_ROWS * 2 + 7;
    await queryAs(url, 'CREATE TABLE claim (id int PRIMARY KEY, person_id int, amount_yen bigint, note text)');
    await queryAs(url, `INSERT INTO claim SELECT n, n % 50, n * 10, CASE WHEN n % 3 = 0 THEN NULL ELSE 'n' || n END FROM generate_series(1, ${rows}) n`);
    const shape = (await databases.shapes('tax-agency')).find((table) => table.table === 'claim')!;
    expect(shape).toEqual({
      table: 'claim',
      rowCount: rows,
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'person_id', type: 'integer' },
        { name: 'amount_yen', type: 'bigint' },
        { name: 'note', type: 'text' },
      ],
    });
    const seen = new Set<string>();
    let nulls = 0;
    for await (const [id, personId, amount, note] of databases.rows('tax-agency', shape)) {
      seen.add(id!);
      expect(Number(personId)).toBe(Number(id) % 50);
      expect(amount).toBe(String(Number(id) * 10));
      if (note === null) nulls++;
      else expect(note).toBe(`n${id}`);
    }
    expect(seen.size).toBe(rows);
    expect(nulls).toBe(Math.floor(rows / 3));
  });

  it('counts distinct keys across tables in the database, leaving out rows whose column is empty', async () => {
    // person ids 1 and 2; claim person_ids 0-49 (1 and 2 among them): 50 distinct.
    expect(await databases.distinctKeys('tax-agency', [{ table: 'person', key: 'id' }, { table: 'claim', key: 'person_id' }])).toBe(50);
    await queryAs(url, `UPDATE person SET note = '' WHERE id = 2`);
    expect(await databases.distinctKeys('tax-agency', [{ table: 'person', key: 'id', filled: 'note' }])).toBe(1);
  });

  it('feeds the join attack a stream: the same database twice shares every value', async () => {
    const source = await databases.source('tax-agency');
    const attack = await runJoinAttack([source, { ...source, party: 'copy' }]);
    const codes = attack.joins.find((join) => join.left.table === 'person' && join.left.column === 'agency_code' && join.right.column === 'agency_code');
    expect(codes).toMatchObject({ category: 'identifier', sharedValues: 2, linkedPersons: 2 });
    expect(attack.databases[0]).toMatchObject({ party: 'tax-agency', rows: source.tables.reduce((sum, table) => sum + table.rowCount, 0) });
  });
});
