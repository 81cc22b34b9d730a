import { Client } from 'pg';
import { SERVICE_NAMES } from '@myna/platform';
import { createTestDatabases, queryAs } from '@myna/testing';

// Compartmentalization starts at the database: each service's role reaches its own
// database and no other, even on one PostgreSQL server.
describe('each service owns its own database and role', () => {
  let provisioned: Awaited<ReturnType<typeof createTestDatabases<(typeof SERVICE_NAMES)[number]>>>;

  beforeAll(async () => {
    provisioned = await createTestDatabases(SERVICE_NAMES);
    await queryAs(provisioned.databases['tax-agency'].url, 'CREATE TABLE taxpayer (agency_code text PRIMARY KEY)');
    await queryAs(provisioned.databases['tax-agency'].url, "INSERT INTO taxpayer VALUES ('ac1.example')");
  });

  afterAll(async () => {
    await provisioned?.drop();
  });

  it("lets a service's role use its own database", async () => {
    const rows = await queryAs<{ agency_code: string }>(provisioned.databases['tax-agency'].url, 'SELECT agency_code FROM taxpayer');
    expect(rows).toEqual([{ agency_code: 'ac1.example' }]);
  });

  it.each(SERVICE_NAMES.filter((name) => name !== 'tax-agency'))(
    "refuses %s's role a connection to the tax agency's database",
    async (intruder) => {
      const intruderUrl = new URL(provisioned.databases[intruder].url);
      intruderUrl.pathname = `/${provisioned.databases['tax-agency'].name}`;
      const client = new Client({ connectionString: intruderUrl.toString() });
      await expect(client.connect()).rejects.toThrow(/permission denied for database/);
      await client.end().catch(() => undefined);
    },
  );

  it('gives no service role superuser, database-creation or role-creation rights', async () => {
    const names = Object.values(provisioned.databases).map((database) => database.name);
    const rows = await queryAs<{ rolname: string; rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean }>(
      provisioned.databases['tax-agency'].url,
      'SELECT rolname, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = ANY($1)',
      [names],
    );
    expect(rows).toHaveLength(SERVICE_NAMES.length);
    for (const row of rows) expect(row).toMatchObject({ rolsuper: false, rolcreatedb: false, rolcreaterole: false });
  });
});
