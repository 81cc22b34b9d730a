import type { Service } from '@myna/protocol';
import { createTestDatabases, queryAs } from '@myna/testing';
import { Databases } from './databases';

// The auditor's typed questions, asked of real PostgreSQL databases with the columns the services' own tables have.
const INQUIRY = '5d1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
const OTHER_INQUIRY = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
let urls: Record<string, string>;
let drop: () => Promise<void>;
let databases: Databases;

beforeAll(async () => {
  const created = await createTestDatabases(['exchange-hub', 'tax-agency', 'myna-portal']);
  urls = Object.fromEntries(Object.entries(created.databases).map(([service, database]) => [service, database.url]));
  drop = created.drop;
  databases = new Databases(urls as Record<Service, string>);
  await queryAs(
    urls['exchange-hub'],
    `CREATE TABLE exchange (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), requester text, inquiry_id uuid, provider text, provider_handle uuid, portal_handle uuid,
       status text, reason text, record_subject text, answer_message_id text, created_at timestamptz DEFAULT now(), closed_at timestamptz)`,
  );
  await queryAs(
    urls['exchange-hub'],
    `INSERT INTO exchange (requester, inquiry_id, provider, provider_handle, portal_handle, status, closed_at, record_subject)
     VALUES ('pension-agency', '${INQUIRY}', 'tax-agency', gen_random_uuid(), gen_random_uuid(), 'answered', now(), NULL),
            ('tax-agency', '${OTHER_INQUIRY}', 'health-agency', NULL, gen_random_uuid(), 'denied', now(), 'ct1.kept')`,
  );
  await queryAs(urls['tax-agency'], 'CREATE TABLE provided_exchange (handle uuid PRIMARY KEY, requester text, rule text, provided_at timestamptz)');
  await queryAs(urls['tax-agency'], `INSERT INTO provided_exchange VALUES (gen_random_uuid(), 'pension-agency', 'R-PEN-TAX-INCOME', '2026-01-02T03:04:05Z')`);
  await queryAs(urls['myna-portal'], 'CREATE TABLE exchange_record (id bigserial PRIMARY KEY, handle uuid, portal_code text)');
});

afterAll(async () => drop?.());

describe("the auditor's typed questions", () => {
  it("reads the hub's exchange log by requester and inquiry, counts and handles", async () => {
    expect(await databases.hub.exchange('pension-agency', INQUIRY)).toMatchObject({ requester: 'pension-agency', inquiry_id: INQUIRY, status: 'answered', record_subject: null });
    expect(await databases.hub.exchange('tax-agency', INQUIRY)).toBeUndefined();
    expect(await databases.hub.statusOfInquiry(OTHER_INQUIRY)).toBe('denied');
    expect(await databases.hub.exchangeCount()).toBe(2);
    expect(await databases.hub.exchangeCountForInquiries([INQUIRY, OTHER_INQUIRY])).toBe(2);
    expect(await databases.hub.closedKeepingSubjectCount()).toBe(1);
    expect((await databases.hub.handles()).map((row) => row.provider_handle === null)).toEqual(expect.arrayContaining([true, false]));
  });

  it("reads an agency's provided exchanges with their times in ms, and finds a sequential key where there is one", async () => {
    const tax = databases.agency('tax-agency');
    expect(await tax.providedCount({ requester: 'pension-agency' })).toBe(1);
    expect(await tax.providedCount({ handle: null })).toBe(0);
    const [row] = await tax.timedProvided();
    expect(row).toMatchObject({ requester: 'pension-agency', provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME' });
    expect(Number(row.provided_at)).toBe(Date.parse('2026-01-02T03:04:05Z'));
    expect(await tax.exchangeKeyTypes()).toEqual([{ table_name: 'provided_exchange', data_type: 'uuid' }]);
    expect(await databases.portal.exchangeKeyTypes()).toEqual([{ table_name: 'exchange_record', data_type: 'bigint' }]);
  });
});
