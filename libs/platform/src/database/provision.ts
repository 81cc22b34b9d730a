import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface ProvisionedDatabase {
  /** Name of both the database and the role that owns it. */
  name: string;
  /** URL that connects as the owning role. */
  url: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Turns a service name such as `tax-agency` into a PostgreSQL identifier (`tax_agency`). */
export function databaseIdentifier(name: string): string {
  const identifier = name.toLowerCase().replace(/-/g, '_');
  if (!IDENTIFIER.test(identifier)) throw new Error(`"${name}" cannot name a database: use letters, digits, _ and -`);
  return identifier;
}

async function asAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a login role and a database it owns, and revokes CONNECT from PUBLIC,
 * so that the role reaches its own database and no other service's.
 */
export async function provisionServiceDatabase(adminUrl: string, name: string): Promise<ProvisionedDatabase> {
  const identifier = databaseIdentifier(name);
  const password = randomBytes(18).toString('base64url');
  await asAdmin(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [identifier]);
    // Identifiers were checked against IDENTIFIER above; the password is base64url.
    const roleSql = rowCount ? 'ALTER ROLE' : 'CREATE ROLE';
    await client.query(`${roleSql} "${identifier}" LOGIN PASSWORD '${password}' NOSUPERUSER NOCREATEDB NOCREATEROLE`);
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [identifier]);
    if (!exists.rowCount) await client.query(`CREATE DATABASE "${identifier}" OWNER "${identifier}"`);
    await client.query(`REVOKE ALL ON DATABASE "${identifier}" FROM PUBLIC`);
  });
  const url = new URL(adminUrl);
  url.username = identifier;
  url.password = password;
  url.pathname = `/${identifier}`;
  return { name: identifier, url: url.toString() };
}

/** Drops a service's database and its role (used by tests to leave nothing behind). */
export async function dropServiceDatabase(adminUrl: string, name: string): Promise<void> {
  const identifier = databaseIdentifier(name);
  await asAdmin(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${identifier}" WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS "${identifier}"`);
  });
}
