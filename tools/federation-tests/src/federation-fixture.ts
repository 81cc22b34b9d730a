import { loadServiceKeyRing } from '@myna/protocol';
import { computeAgencyCode, parseIssuerBundle, ProcessingSerial } from '@myna/codes';
import { OperatorClient, operatorRoleFor, serviceAt } from '@myna/operator-client';
import { queryAs, testKeysDir, testOperatorCredentialsDir, type TestFederation } from '@myna/testing';
import type { OperatorRole, Service } from '@myna/protocol';

let operators: { client: OperatorClient; urls: Readonly<Partial<Record<Service, string>>> } | undefined;

/** Calls a federation route as the operator whose role it is (or as `role`), with the test ceremony's credentials. */
async function asOperator(method: 'GET' | 'POST', url: string, body?: unknown, role?: OperatorRole): Promise<{ status: number; body: Record<string, unknown> }> {
  if (!operators) throw new Error('useOperators(federation) first');
  const target = new URL(url);
  const service = serviceAt(operators.urls, url);
  if (!service) throw new Error(`no service at ${url}`);
  const answer = await operators.client.request(service, role ?? operatorRoleFor(service, method, target.pathname), method, `${target.pathname}${target.search}`, body);
  return { status: answer.status, body: answer.body };
}

/** The federation these helpers call, with the operators' credentials of the test ceremony. */
export function useOperators(federation: { urls: Partial<Record<Service, string>> }): void {
  operators = { client: new OperatorClient({ credentialsDir: testOperatorCredentialsDir(), urls: federation.urls }), urls: federation.urls };
}

export const post = (url: string, body: unknown) => asOperator('POST', url, body);

/** Calls a federation route as an operator of the given role, whether or not the route is theirs. */
export const postAs = (role: OperatorRole, url: string, body: unknown) => asOperator('POST', url, body, role);
export const get = (url: string) => asOperator('GET', url);

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
