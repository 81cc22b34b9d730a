import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { SignJWT } from 'jose';
import request from 'supertest';
import { generateMyNumber, issueAgencyCode, parseAgencyCode, parseIssuerBundle, ProcessingSerial, type IssuerBundle } from '@myna/codes';
import {
  CODE_ISSUANCE_MAX_BATCH,
  CODE_ISSUANCE_REQUEST_TYPE,
  CODE_ISSUANCE_RESPONSE_TYPE,
  codeIssuanceResponseClaimsSchema,
  encryptFor,
  loadServiceKeyRing,
  openMessage,
  sealMessage,
  signMessage,
  type CodeIssuanceResponseClaims,
  type Service,
  type ServiceKeyRing,
} from '@myna/protocol';
import { asOperator, createTestDatabases, queryAs, signedServiceRequest, startTestServiceApp, testKeysDir } from '@myna/testing';
import { ResidenceRegisterRepository } from '../register/residence-register.repository';
import { codeIssuerService } from '../service-definition';
import { IssuanceRepository } from './issuance.repository';
import { IssuanceService, NOT_IDENTIFIED } from './issuance.service';

const hanako = { name: '佐藤 花子', address: '大阪府大阪市北区梅田1-2-3', dateOfBirth: '1990-07-01', gender: 'female' };
type Person = typeof hanako & { ref: string; myNumber: string };

describe('code issuance over HTTP', () => {
  let app: INestApplication;
  let databaseUrl: string;
  let drop: () => Promise<void>;
  const rings = new Map<Service, ServiceKeyRing>();
  let issuerBundle: IssuerBundle;

  beforeAll(async () => {
    const provisioned = await createTestDatabases(['code-issuer']);
    drop = provisioned.drop;
    databaseUrl = provisioned.databases['code-issuer'].url;
    app = await startTestServiceApp(codeIssuerService, databaseUrl);
    for (const service of ['tax-agency', 'pension-agency', 'health-agency', 'exchange-hub', 'code-issuer'] as const) {
      rings.set(service, await loadServiceKeyRing(testKeysDir(service), service));
    }
    issuerBundle = parseIssuerBundle(ring('code-issuer').codesBundle);
  });

  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  const ring = (service: Service) => rings.get(service)!;
  const http = () => request(app.getHttpServer());

  async function registerCitizen(facts: Record<string, string> = hanako): Promise<string> {
    const response = await http().post('/citizens').set(await asOperator(app, 'code-issuer', 'registrar')).send(facts).expect(201);
    return response.body.myNumber;
  }

  function sealRequest(from: Service, persons: Person[], options: { id?: string; to?: Service; ttlSeconds?: number; type?: string } = {}) {
    return sealMessage(ring(from), {
      to: options.to ?? 'code-issuer',
      type: options.type ?? CODE_ISSUANCE_REQUEST_TYPE,
      claims: { persons },
      ttlSeconds: options.ttlSeconds ?? 60,
      id: options.id,
    });
  }

  /** The request, sent over HTTP by `caller` (by default the agency that sealed it), signed as services sign their calls. */
  const ask = (sealed: unknown, caller: Service = 'tax-agency') => signedServiceRequest(app, ring(caller), 'code-issuer', 'POST', '/code-issuance', { request: sealed });

  async function openResponse(agency: Service, body: { response: string }): Promise<CodeIssuanceResponseClaims & { from: Service }> {
    const message = await openMessage(ring(agency), body.response, {
      type: CODE_ISSUANCE_RESPONSE_TYPE,
      from: ['code-issuer'],
      maxAgeSeconds: 60,
    });
    return { ...codeIssuanceResponseClaimsSchema.parse(message.claims), from: message.from };
  }

  async function ledger(): Promise<{ requests: number; issuances: number }> {
    const [row] = await queryAs<{ requests: number; issuances: number }>(
      databaseUrl,
      'SELECT (SELECT count(*)::int FROM issuance_request) AS requests, (SELECT count(*)::int FROM code_issuance) AS issuances',
    );
    return row;
  }

  async function serialOf(myNumber: string): Promise<ProcessingSerial> {
    const [row] = await queryAs<{ processing_serial: string }>(databaseUrl, 'SELECT processing_serial FROM citizen WHERE my_number = $1', [myNumber]);
    return ProcessingSerial.parse(row.processing_serial);
  }

  it("issues tax-agency the person's code, sealed so that only tax-agency can read it", async () => {
    const myNumber = await registerCitizen();
    const requestId = randomUUID();
    const response = await ask(await sealRequest('tax-agency', [{ ...hanako, ref: 'p1', myNumber }], { id: requestId })).expect(200);

    const answer = await openResponse('tax-agency', response.body);
    expect(answer).toMatchObject({ from: 'code-issuer', requestId, results: [{ ref: 'p1', status: 'issued' }] });
    const [result] = answer.results;
    if (result.status !== 'issued') throw new Error('expected an issued code');
    expect(result.agencyCode).toMatch(/^ac1\.[A-Za-z0-9_-]{43}$/);
    expect(parseAgencyCode(result.agencyCode).toText()).toBe(result.agencyCode);
    expect(result.agencyCode).toBe(issueAgencyCode(issuerBundle, 'tax-agency', await serialOf(myNumber)).toText());
    await expect(
      openMessage(ring('pension-agency'), response.body.response, { type: CODE_ISSUANCE_RESPONSE_TYPE, from: ['code-issuer'], maxAgeSeconds: 60 }),
    ).rejects.toMatchObject({ code: 'not-for-me' });

    const rows = await queryAs<Record<string, unknown>>(
      databaseUrl,
      `SELECT r.requester, r.person_count, r.issued_count, r.refused_count, i.agency, c.my_number
       FROM issuance_request r JOIN code_issuance i ON i.request_id = r.id JOIN citizen c ON c.id = i.citizen_id
       WHERE r.id = $1`,
      [requestId],
    );
    expect(rows).toEqual([
      { requester: 'tax-agency', person_count: 1, issued_count: 1, refused_count: 0, agency: 'tax-agency', my_number: myNumber },
    ]);
  });

  it('gives the same person different codes at tax-agency and pension-agency', async () => {
    const myNumber = await registerCitizen();
    const person = { ...hanako, ref: 'p1', myNumber };
    const tax = await openResponse('tax-agency', (await ask(await sealRequest('tax-agency', [person])).expect(200)).body);
    const pension = await openResponse('pension-agency', (await ask(await sealRequest('pension-agency', [person]), 'pension-agency').expect(200)).body);

    const [taxResult, pensionResult] = [tax.results[0], pension.results[0]];
    if (taxResult.status !== 'issued' || pensionResult.status !== 'issued') throw new Error('expected two issued codes');
    expect(taxResult.agencyCode).not.toBe(pensionResult.agencyCode);
    expect(pensionResult.agencyCode).toBe(issueAgencyCode(issuerBundle, 'pension-agency', await serialOf(myNumber)).toText());
  });

  it('matches facts after trimming and NFC normalisation, and nothing looser', async () => {
    const myNumber = await registerCitizen({ ...hanako, name: 'Zoe\u0308 Ba\u0301rta' });
    const persons = [
      { ...hanako, ref: 'nfc', myNumber, name: '  Zo\u00eb B\u00e1rta ' },
      { ...hanako, ref: 'case', myNumber, name: 'zo\u00eb b\u00e1rta' },
      { ...hanako, ref: 'width', myNumber, name: 'Zo\u00eb\u3000B\u00e1rta' },
    ];
    const answer = await openResponse('health-agency', (await ask(await sealRequest('health-agency', persons), 'health-agency').expect(200)).body);

    expect(answer.results.map((result) => result.status)).toEqual(['issued', 'refused', 'refused']);
  });

  it.each([
    ['name', { name: '佐藤' }],
    ['address', { address: '大阪府大阪市北区梅田1-2' }],
    ['dateOfBirth', { dateOfBirth: '1990-07-02' }],
    ['gender', { gender: 'other' }],
  ])('refuses when the %s does not match, with the reason an unknown person gets, echoes nothing and stores no issuance', async (_fact, change) => {
    const myNumber = await registerCitizen();
    const before = await ledger();
    const response = await ask(await sealRequest('tax-agency', [{ ...hanako, ...change, ref: 'p1', myNumber }])).expect(200);

    const answer = await openResponse('tax-agency', response.body);
    expect(answer.results).toEqual([{ ref: 'p1', status: 'refused', reason: NOT_IDENTIFIED }]);
    const registered = Object.values(hanako).filter((value) => !Object.values(change).includes(value));
    for (const secret of [myNumber, ...Object.values(change), ...registered.filter((value) => value.length > 5)]) {
      expect(JSON.stringify(answer)).not.toContain(secret);
    }
    expect(await ledger()).toEqual({ requests: before.requests + 1, issuances: before.issuances });
  });

  it('answers a batch person by person, in order: issued, unknown, and several mismatched facts', async () => {
    const myNumber = await registerCitizen();
    const unknown = generateMyNumber();
    const before = await ledger();
    const persons = [
      { ...hanako, ref: 'a', myNumber },
      { ...hanako, ref: 'b', myNumber: unknown },
      { ...hanako, ref: 'c', myNumber, name: '佐藤 花', gender: 'male' },
      { ...hanako, ref: 'd', myNumber },
    ];
    const answer = await openResponse('pension-agency', (await ask(await sealRequest('pension-agency', persons), 'pension-agency').expect(200)).body);

    expect(answer.results).toEqual([
      { ref: 'a', status: 'issued', agencyCode: expect.stringMatching(/^ac1\./) },
      { ref: 'b', status: 'refused', reason: NOT_IDENTIFIED },
      { ref: 'c', status: 'refused', reason: NOT_IDENTIFIED },
      { ref: 'd', status: 'issued', agencyCode: expect.stringMatching(/^ac1\./) },
    ]);
    expect(JSON.stringify(answer)).not.toContain(unknown);
    expect(await ledger()).toEqual({ requests: before.requests + 1, issuances: before.issuances + 2 });
  });

  async function registerBatch(size: number): Promise<Person[]> {
    const citizens = Array.from({ length: size }, (_, i) => ({ name: `N${i}`, address: `A${i}`, dateOfBirth: '1980-01-01', gender: 'other' }));
    const registered = await http().post('/citizens/batch').set(await asOperator(app, 'code-issuer', 'registrar')).send({ citizens }).expect(200);
    return citizens.map((facts, i) => ({ ...facts, ref: String(i), myNumber: registered.body.results[i].myNumber as string }));
  }

  it('answers a batch of 300 persons over HTTP with one issuance row each', async () => {
    const persons = await registerBatch(300);
    const before = await ledger();

    const answer = await openResponse('tax-agency', (await ask(await sealRequest('tax-agency', persons)).expect(200)).body);

    expect(answer.results.filter((result) => result.status === 'issued')).toHaveLength(300);
    expect(answer.results.map((result) => result.ref)).toEqual(persons.map((person) => person.ref));
    expect(await ledger()).toEqual({ requests: before.requests + 1, issuances: before.issuances + 300 });
  });

  it('answers the largest batch (1000 persons) with one register lookup and one ledger transaction', async () => {
    const persons = await registerBatch(CODE_ISSUANCE_MAX_BATCH);
    const register = app.get(ResidenceRegisterRepository);
    const issuanceLedger = app.get(IssuanceRepository);
    const lookups = jest.spyOn(register, 'findByMyNumbers');
    const records = jest.spyOn(issuanceLedger, 'record');
    const before = await ledger();

    const sealed = await app.get(IssuanceService).issue(await sealRequest('health-agency', persons), { kind: 'service', service: 'health-agency' });

    const answer = await openResponse('health-agency', { response: sealed });
    expect(answer.results.every((result, i) => result.status === 'issued' && result.ref === persons[i].ref)).toBe(true);
    expect(lookups).toHaveBeenCalledTimes(1);
    expect(records).toHaveBeenCalledTimes(1);
    expect(await ledger()).toEqual({ requests: before.requests + 1, issuances: before.issuances + CODE_ISSUANCE_MAX_BATCH });
    lookups.mockRestore();
    records.mockRestore();
  });

  describe('refuses a request as a whole and stores nothing', () => {
    let person: Person;
    beforeAll(async () => {
      person = { ...hanako, ref: 'p1', myNumber: await registerCitizen() };
    });

    async function expectRefused(sealed: unknown, status: number, code: string, caller: Service = 'tax-agency') {
      const before = await ledger();
      const response = await ask(sealed, caller).expect(status);
      expect(response.body).toEqual({ statusCode: status, code, reason: expect.any(String) });
      expect(JSON.stringify(response.body)).not.toContain(person.myNumber);
      expect(await ledger()).toEqual(before);
      return response.body;
    }

    it('signed with health-agency key but claiming to be tax-agency → 401 impersonation', async () => {
      const health = ring('health-agency');
      const forged = await new SignJWT({ persons: [person] })
        .setProtectedHeader({ alg: 'EdDSA', kid: health.signingKid, typ: CODE_ISSUANCE_REQUEST_TYPE })
        .setIssuer('tax-agency')
        .setAudience('code-issuer')
        .setIssuedAt()
        .setExpirationTime('60s')
        .setJti(randomUUID())
        .sign(health.signingKey);
      await expectRefused(await encryptFor(health, 'code-issuer', forged), 401, 'impersonation', 'health-agency');
    });

    it('signed by tax-agency but sent by health-agency → 401 impersonation', async () => {
      await expectRefused(await sealRequest('tax-agency', [person]), 401, 'impersonation', 'health-agency');
    });

    it('from a service that may not ask (exchange-hub) → 403 forbidden at the door', async () => {
      await expectRefused(await sealRequest('exchange-hub', [person]), 403, 'forbidden', 'exchange-hub');
    });

    it('sent without a service signature → 401 unauthenticated', async () => {
      const before = await ledger();
      const response = await http().post('/code-issuance').send({ request: await sealRequest('tax-agency', [person]) }).expect(401);
      expect(response.body).toMatchObject({ code: 'unauthenticated' });
      expect(await ledger()).toEqual(before);
    });

    it('sealed for another service → 400 not-for-me', async () => {
      await expectRefused(await sealRequest('tax-agency', [person], { to: 'exchange-hub' }), 400, 'not-for-me');
    });

    it('signed for another audience but encrypted to code-issuer → 400 wrong-audience', async () => {
      const tax = ring('tax-agency');
      const signed = await signMessage(tax, { to: 'exchange-hub', type: CODE_ISSUANCE_REQUEST_TYPE, claims: { persons: [person] }, ttlSeconds: 60 });
      await expectRefused(await encryptFor(tax, 'code-issuer', signed), 400, 'wrong-audience');
    });

    it('expired → 400 expired', async () => {
      await expectRefused(await sealRequest('tax-agency', [person], { ttlSeconds: -10 }), 400, 'expired');
    });

    it('of another message type → 400 wrong-type', async () => {
      await expectRefused(await sealRequest('tax-agency', [person], { type: 'inquiry+jwt' }), 400, 'wrong-type');
    });

    it('whose claims break the message format → 400 invalid-claims, naming the field without echoing it', async () => {
      const badMyNumber = person.myNumber.slice(0, -1) + String((Number(person.myNumber.slice(-1)) + 1) % 10);
      const body = await expectRefused(await sealRequest('tax-agency', [{ ...person, myNumber: badMyNumber }]), 400, 'invalid-claims');
      expect(body.reason).toBe('persons.0.myNumber: myNumber is not a valid My Number');
      expect(body.reason).not.toContain(badMyNumber);
    });

    it('that is not a JWE → 400 malformed', async () => {
      await expectRefused('not.a.token', 400, 'malformed');
    });

    it('replayed → 409 replayed, even when both copies arrive at once', async () => {
      const sealed = await sealRequest('tax-agency', [person]);
      await ask(sealed).expect(200);
      await expectRefused(sealed, 409, 'replayed');

      const twice = await sealRequest('tax-agency', [person]);
      const before = await ledger();
      const statuses = (await Promise.all([ask(twice), ask(twice)])).map((response) => response.status).sort();
      expect(statuses).toEqual([200, 409]);
      expect(await ledger()).toEqual({ requests: before.requests + 1, issuances: before.issuances + 1 });
    });
  });

  it.each([
    ['no request', {}],
    ['a request that is not a string', { request: 42 }],
    ['an unexpected field', { request: 'x.y.z.w.v', extra: true }],
  ])('refuses a malformed body (%s) with 400', async (_what, body) => {
    const before = await ledger();
    const response = await signedServiceRequest(app, ring('tax-agency'), 'code-issuer', 'POST', '/code-issuance', body).expect(400);
    expect(response.body).toMatchObject({ code: 'invalid-request', reason: expect.stringMatching(/request|extra/) });
    expect(await ledger()).toEqual(before);
  });
});
