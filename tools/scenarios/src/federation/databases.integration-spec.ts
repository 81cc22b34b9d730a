import type { Service } from '@myna/protocol';
import { createTestDatabases, queryAs } from '@myna/testing';
import { Databases } from './databases';

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
});
