import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabases, queryAs } from '@myna/testing';
import { RecordsKeyedByPerson1796900000000 } from './1796900000000-records-keyed-by-person';
import { migrations } from './index';

type Migration = (typeof migrations)[number];
const KEYED = migrations.indexOf(RecordsKeyedByPerson1796900000000);

// The insurer's own tables lose the random row id they had as primary key and
// are keyed by person (and month or year): the rows already there stay as they were.
describe('the health agency’s records keyed by person', () => {
  let database: Awaited<ReturnType<typeof createTestDatabases<'health'>>>;
  let url: string;
  const migrate = async (list: readonly Migration[], undo = 0) => {
    const dataSource = await new DataSource({ type: 'postgres', url, migrations: [...list] }).initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      for (let step = 0; step < undo; step++) await dataSource.undoLastMigration({ transaction: 'each' });
    } finally {
      await dataSource.destroy();
    }
  };
  const primaryKeys = () =>
    queryAs<{ table: string; key: string }>(
      url,
      `SELECT conrelid::regclass::text AS table, pg_get_constraintdef(oid) AS key FROM pg_constraint
        WHERE contype = 'p' AND conrelid::regclass::text IN ('health_coverage', 'medical_claim', 'cost_cap_category') ORDER BY 1`,
    );
  const rows = () =>
    queryAs(
      url,
      `SELECT p.agency_code, c.service_month, c.amount_yen, h.eligible_from::text, k.fiscal_year, k.category
         FROM person p JOIN medical_claim c ON c.person_id = p.id JOIN health_coverage h ON h.person_id = p.id JOIN cost_cap_category k ON k.person_id = p.id
        ORDER BY 1, 2`,
    );

  beforeAll(async () => {
    database = await createTestDatabases(['health']);
    url = database.databases.health.url;
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('keeps every row, makes each table’s unique key its primary key, still refuses a duplicate, and undoes cleanly', async () => {
    await migrate(migrations.slice(0, KEYED));
    const codes = [0, 1].map(() => `ac1.${randomBytes(32).toString('base64url')}`);
    await queryAs(url, `INSERT INTO person (agency_code) SELECT unnest($1::text[])`, [codes]);
    await queryAs(
      url,
      `INSERT INTO health_coverage (person_id, eligible_from) SELECT id, '2020-04-01' FROM person;
       INSERT INTO medical_claim (person_id, service_month, amount_yen) SELECT id, m, 4560 FROM person, unnest(ARRAY['2024-04', '2024-05']) m;
       INSERT INTO cost_cap_category (person_id, fiscal_year, category) SELECT id, 2025, 'c' FROM person`,
    );
    const before = await rows();
    expect(before).toHaveLength(4);

    await migrate(migrations.slice(0, KEYED + 1));
    expect(await rows()).toEqual(before);
    expect(await primaryKeys()).toEqual([
      { table: 'cost_cap_category', key: 'PRIMARY KEY (person_id, fiscal_year)' },
      { table: 'health_coverage', key: 'PRIMARY KEY (person_id)' },
      { table: 'medical_claim', key: 'PRIMARY KEY (person_id, service_month)' },
    ]);
    const idColumns = await queryAs(url, `SELECT table_name FROM information_schema.columns WHERE column_name = 'id' AND table_name IN ('health_coverage', 'medical_claim', 'cost_cap_category')`);
    expect(idColumns).toEqual([]);
    await expect(queryAs(url, `INSERT INTO medical_claim (person_id, service_month, amount_yen) SELECT id, '2024-04', 1 FROM person LIMIT 1`)).rejects.toThrow(
      /duplicate key value violates unique constraint "medical_claim_pkey"/,
    );

    await migrate(migrations.slice(0, KEYED + 1), 1);
    expect(await rows()).toEqual(before);
    expect((await primaryKeys()).map(({ key }) => key)).toEqual(['PRIMARY KEY (id)', 'PRIMARY KEY (id)', 'PRIMARY KEY (id)']);
    await expect(queryAs(url, `INSERT INTO medical_claim (person_id, service_month, amount_yen) SELECT id, '2024-04', 1 FROM person LIMIT 1`)).rejects.toThrow(
      /medical_claim_person_id_service_month_key/,
    );
    await migrate(migrations);
    expect(await rows()).toEqual(before);
  });
});
