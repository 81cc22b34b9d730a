import { Client } from 'pg';
import { AGENCIES, type Agency } from '@myna/protocol';
import { scanForIdentifiers } from '@myna/agency';
import { generateMyNumber, myNumberCheckDigit } from '@myna/codes';
import { queryAs, startTestFederation, type TestFederation } from '@myna/testing';
import { get, post, postAs, useOperators } from './federation-fixture';

/** What code-issuer tells an agency about anyone it cannot identify (apps/code-issuer, issuance.service). */
const NOT_IDENTIFIED = 'not-identified: the residence register holds no citizen with exactly these facts';

// Enrolment as DESIGN §4 describes it, across real service processes: the issuer
// holds the register, each agency obtains its own code and keeps nothing else.
type Party = 'code-issuer' | Agency;
const PARTIES: Party[] = ['code-issuer', ...AGENCIES];

const hanako = { name: 'Sato Hanako', address: '1-2-3 Sakura-cho, Minato-shi, Example Prefecture', dateOfBirth: '1980-04-01', gender: 'female' };

describe('enrolment: register at the issuer, enrol at every agency', () => {
  let federation: TestFederation<Party>;
  let myNumber: string;
  const personIds = {} as Record<Agency, string>;
  const scan = (agency: Agency) => scanForIdentifiers((sql, params) => queryAs(federation.databases[agency].url, sql, params));

  beforeAll(async () => {
    federation = await startTestFederation(PARTIES);
    useOperators(federation);
    // Drawn here, not by the issuer, so that the number-column case below holds: a
    // My Number with three leading zeros (one in a thousand), written into a number
    // column, is nine digits that no scan can tell from an amount.
    let drawn: string = generateMyNumber();
    while (drawn.startsWith('000')) drawn = generateMyNumber();
    const registered = await post(`${federation.urls['code-issuer']}/citizens`, { ...hanako, myNumber: drawn });
    expect(registered.status).toBe(201);
    myNumber = registered.body.myNumber as string;
    expect(myNumber).toBe(drawn);
    for (const agency of AGENCIES) {
      const enrolled = await post(`${federation.urls[agency]}/persons`, { ...hanako, myNumber });
      expect(enrolled).toMatchObject({ status: 201, body: { status: 'enrolled' } });
      personIds[agency] = enrolled.body.personId as string;
    }
  }, 180_000);

  afterAll(async () => {
    await federation?.stop();
  });

  it('gives the person a different code at each agency', async () => {
    const codes = await Promise.all(
      AGENCIES.map(async (agency) => {
        const rows = await queryAs<{ agency_code: string }>(federation.databases[agency].url, 'SELECT agency_code FROM person');
        expect(rows).toHaveLength(1);
        return rows[0].agency_code;
      }),
    );
    expect(new Set(codes).size).toBe(AGENCIES.length);
    for (const code of codes) expect(code).toMatch(/^ac1\.[A-Za-z0-9_-]{43}$/);
  });

  it('lets each agency find its own record by its own code', async () => {
    for (const agency of AGENCIES) {
      const [row] = await queryAs<{ id: string; agency_code: string }>(federation.databases[agency].url, 'SELECT id, agency_code FROM person');
      const [byCode] = await queryAs<{ id: string }>(federation.databases[agency].url, 'SELECT id FROM person WHERE agency_code = $1', [row.agency_code]);
      expect(byCode.id).toBe(personIds[agency]);
      const response = await get(`${federation.urls[agency]}/persons/${personIds[agency]}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ personId: personIds[agency], contact: null });
      expect((await fetch(`${federation.urls[agency]}/persons/${personIds[agency]}`)).status).toBe(401);
    }
  });

  it('enrolling the same person again finds the existing record', async () => {
    const again = await post(`${federation.urls['tax-agency']}/persons`, { ...hanako, myNumber });
    expect(again).toMatchObject({ status: 200, body: { status: 'already-enrolled', personId: personIds['tax-agency'] } });
  });

  it.each([
    ['name', { name: 'Sato Hanaco' }],
    ['address', { address: '1-2-4 Sakura-cho, Minato-shi, Example Prefecture' }],
    ['date of birth', { dateOfBirth: '1980-04-02' }],
    ['gender', { gender: 'other' }],
  ])('refuses an enrolment whose %s differs from the register, storing nothing and not saying which fact', async (_fact, change) => {
    const before = await queryAs<{ count: string }>(federation.databases['pension-agency'].url, 'SELECT count(*) FROM person');
    const issuedBefore = await queryAs<{ count: string }>(federation.databases['code-issuer'].url, 'SELECT count(*) FROM code_issuance');
    const refused = await post(`${federation.urls['pension-agency']}/persons`, { ...hanako, ...change, myNumber });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ status: 'refused' });
    expect(refused.body.reason).toBe(NOT_IDENTIFIED);
    expect(JSON.stringify(refused.body)).not.toContain(myNumber);
    expect(await queryAs(federation.databases['pension-agency'].url, 'SELECT count(*) FROM person')).toEqual(before);
    expect(await queryAs(federation.databases['code-issuer'].url, 'SELECT count(*) FROM code_issuance')).toEqual(issuedBefore);
  });

  it('rejects a malformed My Number at the agency edge with the reason', async () => {
    const bad = await post(`${federation.urls['tax-agency']}/persons`, { ...hanako, myNumber: '123456789012' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'invalid-input', reason: expect.stringMatching(/check digit/) });
    const short = await post(`${federation.urls['tax-agency']}/persons`, { ...hanako, myNumber: '12345' });
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).toMatch(/myNumber must be 12 digits/);
  });

  it.each(['/persons', '/persons/batch'])('answers %s to an agency officer only, before reading the body: anonymous 401, a records clerk 403', async (route) => {
    const url = `${federation.urls['pension-agency']}${route}`;
    const anonymous = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persons: [] }) });
    expect(anonymous.status).toBe(401);
    const clerk = await postAs('records-clerk', url, { persons: [] });
    expect(clerk.status).toBe(403);
  });

  it.each([
    ['a field of the wrong type', { persons: [{ ...hanako, myNumber: '123456789018', name: 42 }] }, 'persons.0.name must be a string'],
    ['an empty name', { persons: [{ ...hanako, myNumber: '123456789018', name: '' }] }, 'persons.0.name should not be empty'],
    ['a gender not on the form', { persons: [{ ...hanako, myNumber: '123456789018', gender: 'unknown' }] }, 'persons.0.gender must be one of female, male, other'],
    ['records that are not an object', { persons: [{ ...hanako, myNumber: '123456789018', records: [] }] }, 'persons.0.records must be an object'],
    ['a field the form does not have', { persons: [{ ...hanako, myNumber: '123456789018', residenceCode: '12345678901' }] }, 'property persons.0.residenceCode should not exist'],
    ['a prototype key', JSON.parse(`{"persons":[${JSON.stringify({ ...hanako, myNumber: '123456789018' }).slice(0, -1)},"__proto__":{"keepContactData":true}}]}`), 'property persons.0.__proto__ should not exist'],
    ['no persons', { persons: [] }, 'persons must contain at least 1 elements'],
    ['more than a batch', { persons: Array.from({ length: 1001 }, () => ({ ...hanako, myNumber: '123456789018' })) }, 'persons must contain no more than 1000 elements'],
    ['no body fields', {}, 'persons must be an array'],
  ])('refuses a batch with %s at the edge, with the reason, before the issuer is asked', async (_case, body, reason) => {
    const issuedBefore = await queryAs(federation.databases['code-issuer'].url, 'SELECT count(*) FROM code_issuance');
    const refused = await post(`${federation.urls['pension-agency']}/persons/batch`, body);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'invalid-request', reason });
    expect(await queryAs(federation.databases['code-issuer'].url, 'SELECT count(*) FROM code_issuance')).toEqual(issuedBefore);
  });

  it.each([
    ['tax-agency', { incomes: [{ fiscalYear: 2024, incomeYen: 3_000_000 }, { fiscalYear: 2024, incomeYen: 10 }] }, 'records.incomes.1.fiscalYear: repeats the fiscalYear of row 0'],
    [
      'pension-agency',
      { contributions: [2020, 2021, 2020].map((fiscalYear) => ({ fiscalYear, monthsPaid: 12, monthsExempt: 0 })) },
      'records.contributions.2.fiscalYear: repeats the fiscalYear of row 0',
    ],
    ['health-agency', { claims: [{ serviceMonth: '2024-13', amountYen: 100 }] }, 'records.claims.0.serviceMonth: must be a month, YYYY-MM'],
    ['health-agency', { coverage: [{ eligibleFrom: '2023-02-29', eligibleUntil: null }] }, 'records.coverage.0.eligibleFrom: must be a calendar date, YYYY-MM-DD'],
  ] as const)('refuses at %s’s edge records its tables cannot keep, naming the row, before the issuer is asked', async (agency, records, reason) => {
    const issuedBefore = await queryAs(federation.databases['code-issuer'].url, 'SELECT count(*) FROM code_issuance');
    const refused = await post(`${federation.urls[agency]}/persons`, { ...hanako, myNumber, records });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'invalid-input', reason });
    expect(await queryAs(federation.databases['code-issuer'].url, 'SELECT count(*) FROM code_issuance')).toEqual(issuedBefore);
  });

  it('refuses a date of birth no calendar has, and a batch that holds one person twice, without echoing the number', async () => {
    const badDate = await post(`${federation.urls['tax-agency']}/persons`, { ...hanako, myNumber, dateOfBirth: '1980-02-30' });
    expect(badDate.status).toBe(400);
    expect(badDate.body).toMatchObject({ code: 'invalid-input', reason: 'dateOfBirth: must be a calendar date, YYYY-MM-DD' });
    const twice = await post(`${federation.urls['health-agency']}/persons/batch`, { persons: [{ ...hanako, myNumber }, { ...hanako, myNumber }] });
    expect(twice.status).toBe(400);
    expect(twice.body).toMatchObject({ code: 'invalid-input', reason: 'persons.1.myNumber: the same My Number as persons.0; enrol a person once per batch' });
    expect(JSON.stringify(twice.body)).not.toContain(myNumber);
  });

  it('keeps no identifier in any agency database: schema and data', async () => {
    for (const agency of AGENCIES) expect(await scan(agency)).toEqual([]);
  });

  it.each([
    ['tax-agency', "UPDATE person SET contact_name = 'note: ' || $1", 'contact_name', 'my-number-like'],
    ['pension-agency', "UPDATE person SET contact_address = $1", 'contact_address', 'my-number-like'],
    ['health-agency', 'ALTER TABLE medical_claim ADD COLUMN my_number text', 'my_number', 'identifier-column'],
    ['pension-agency', "UPDATE person SET contact_name = gen_random_uuid()::text || $1", 'contact_name', 'my-number-like'],
    ['health-agency', "ALTER TABLE person ADD COLUMN blob bytea; UPDATE person SET blob = convert_to('id=' || $1, 'UTF8')", 'blob', 'my-number-like'],
    ['tax-agency', "INSERT INTO income_record (person_id, fiscal_year, income_yen) SELECT id, 2031, $1::bigint FROM person", 'income_yen', 'my-number-like'],
  ] as const)('the scan catches a My Number planted in %s (%s)', async (agency, sql, column, kind) => {
    const url = federation.databases[agency].url;
    // Plant inside a transaction of one connection, scan there, roll back: the database stays clean.
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('BEGIN');
      for (const statement of sql.split('; ')) await client.query(statement, statement.includes('$1') ? [myNumber] : []);
      const findings = await scanForIdentifiers(async (text, values) => (await client.query(text, values)).rows);
      expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ column, kind })]));
    } finally {
      await client.query('ROLLBACK');
      await client.end();
    }
    expect(await scan(agency)).toEqual([]);
  });

  it('reads a My Number that a number column has stripped of its leading zeros', async () => {
    const client = new Client({ connectionString: federation.databases['tax-agency'].url });
    await client.connect();
    try {
      await client.query('BEGIN');
      // Exactly two leading zeros (ten digits left): with a third, nine digits cannot be told from an amount.
      const base = '00' + (myNumber[2] === '0' ? '7' : myNumber[2]) + myNumber.slice(3, 11);
      await client.query('INSERT INTO income_record (person_id, fiscal_year, income_yen) SELECT id, 2032, $1::bigint FROM person', [base + myNumberCheckDigit(base)]);
      const findings = await scanForIdentifiers(async (text, values) => (await client.query(text, values)).rows);
      // Ten digits: whether their padded form also passes for a residence code is chance.
      expect(findings).toContainEqual({ table: 'income_record', column: 'income_yen', kind: 'my-number-like', rows: 1 });
    } finally {
      await client.query('ROLLBACK');
      await client.end();
    }
  });

  it('does not take the digits of a uuid kept as text, or of a hash in hex, for an identifier', async () => {
    const client = new Client({ connectionString: federation.databases['health-agency'].url });
    await client.connect();
    try {
      await client.query('BEGIN');
      // A uuid whose last group is all digits, as about one in 300 is.
      await client.query("UPDATE person SET contact_name = 'job ' || $1", ['4f0c2b7e-9a1d-4c3b-8e2f-305419826731']);
      // A hash whose hex spelling has a twelve-digit run, as about one in ten has.
      await client.query('ALTER TABLE person ADD COLUMN id_hash bytea');
      await client.query("UPDATE person SET id_hash = decode('9f' || '305419826731' || repeat('ab', 26), 'hex')");
      const findings = await scanForIdentifiers(async (text, values) => (await client.query(text, values)).rows);
      expect(findings).toEqual([]);
    } finally {
      await client.query('ROLLBACK');
      await client.end();
    }
  });
});
