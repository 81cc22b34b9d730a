import { Client } from 'pg';
import { provisionServiceDatabase, dropServiceDatabase, type ProvisionedDatabase } from '@myna/platform';
import { TEST_ADMIN_DATABASE_URL, TEST_RUN_ID } from './test-run';

/**
 * Provisions, on the machine's real PostgreSQL, one database and one owning role
 * per service name for this test run; `drop()` removes them all.
 */
export async function createTestDatabases<const Name extends string>(
  services: readonly Name[],
  adminUrl = TEST_ADMIN_DATABASE_URL,
): Promise<{ databases: Record<Name, ProvisionedDatabase>; drop: () => Promise<void> }> {
  const databases = {} as Record<Name, ProvisionedDatabase>;
  for (const service of services) {
    databases[service] = await provisionServiceDatabase(adminUrl, `${TEST_RUN_ID}_${service}`);
  }
  return {
    databases,
    drop: async () => {
      for (const service of services) await dropServiceDatabase(adminUrl, databases[service].name);
    },
  };
}

/** Runs one query as the given URL's role and returns the rows. */
export async function queryAs<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
