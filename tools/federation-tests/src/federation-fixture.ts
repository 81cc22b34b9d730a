import { loadServiceKeyRing } from '@myna/protocol';
import { computeAgencyCode, parseIssuerBundle, ProcessingSerial } from '@myna/codes';
import { queryAs, testKeysDir, type TestFederation } from '@myna/testing';
import type { Service } from '@myna/protocol';

export async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * The test's oracle: a person's code at a party, computed from the issuer's
 * register and keys (only the issuer could do this; tests use it to check).
 */
export async function codeOf(federation: TestFederation<Service>, myNumber: string, party: Service): Promise<string> {
  const [citizen] = await queryAs<{ processing_serial: string }>(
    federation.databases['code-issuer'].url,
    'SELECT processing_serial FROM citizen WHERE my_number = $1',
    [myNumber],
  );
  const issuer = parseIssuerBundle((await loadServiceKeyRing(testKeysDir('code-issuer'), 'code-issuer')).codesBundle);
  return computeAgencyCode(issuer.pseudonymKeys.get(party)!, ProcessingSerial.parse(citizen.processing_serial)).toText();
}

/** Every row of every table of a database, as one text to search. */
export async function dumpDatabase(url: string): Promise<string> {
  const tables = await queryAs<{ table_name: string }>(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
  const parts: string[] = [];
  for (const { table_name: table } of tables) parts.push(JSON.stringify(await queryAs(url, `SELECT * FROM "${table}"`)));
  return parts.join('\n');
}
