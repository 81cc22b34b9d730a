import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { computeAgencyCode, encryptCode, generateKeyPair, generateProcessingSerial, osRandom, parseCiphertext, parseHubBundle, SecretScalar, translate } from '@myna/codes';
import { bullConnection, watchRedisCommands, type RedisCommandWatch } from '@myna/messaging';
import { encryptFor, inboundQueue, JOB_NAMES, loadServiceKeyRing, MESSAGE_TYPES, signMessage } from '@myna/protocol';
import { FAULT_SEAMS, pollUntil, queryAs, startTestFederation, TEST_REDIS_PREFIX, TEST_REDIS_URL, testKeysDir, type TestFederation, type TestProcess } from '@myna/testing';
import { SERVICES, type Service } from '@myna/protocol';
import { codeOf, dumpDatabase, get, post, useOperators } from './federation-fixture';

// DESIGN §5 end to end, across real service processes, real PostgreSQL and Redis.
// The tax agency's queue worker runs as its own process so that it can be killed.
const INCOME_YEN = 7_654_321;
const citizen = { name: 'Suzuki Ichiro', address: '4-5-6 Kaede-machi, Nishi-shi, Example Prefecture', dateOfBirth: '1975-10-10', gender: 'male' };

describe('an exchange through the hub', () => {
  let federation: TestFederation<Service>;
  let taxWorker: TestProcess;
  let watch: RedisCommandWatch | undefined;
  const redisTraffic: string[] = [];
  let myNumber: string;
  const personIds = {} as Record<'tax-agency' | 'pension-agency' | 'health-agency', string>;

  const inquire = async (requester: 'tax-agency' | 'pension-agency' | 'health-agency', request: Record<string, unknown>) => {
    const started = await post(`${federation.urls[requester]}/inquiries`, { personId: personIds[requester], ...request });
    expect(started.status).toBe(202);
    const inquiryId = started.body.inquiryId as string;
    return pollUntil(
      async () => {
        const { body } = await get(`${federation.urls[requester]}/inquiries/${inquiryId}`);
        return body.status !== 'pending' ? body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: `inquiry ${inquiryId} to settle` },
    );
  };

  beforeAll(async () => {
    federation = await startTestFederation(SERVICES, { env: { 'tax-agency': { WORKERS: 'off' } } });
    useOperators(federation);
    taxWorker = federation.startWorker('tax-agency', { WORKER_LOCK_MS: '2000' });
    // Every command sent to Redis from here on, to search for what must never travel.
    watch = await watchRedisCommands(TEST_REDIS_URL, (args) => {
      if (args.some((arg) => arg.includes(TEST_REDIS_PREFIX))) redisTraffic.push(args.join(' '));
    });

    myNumber = (await post(`${federation.urls['code-issuer']}/citizens`, citizen)).body.myNumber as string;
    const records = {
      'tax-agency': { incomes: [{ fiscalYear: 2025, incomeYen: INCOME_YEN }] },
      'pension-agency': { benefits: [{ status: 'not-receiving', annualAmountYen: 0 }] },
      'health-agency': { claims: [{ serviceMonth: '2025-06', amountYen: 12_000 }] },
    };
    for (const agency of ['tax-agency', 'pension-agency', 'health-agency'] as const) {
      const enrolled = await post(`${federation.urls[agency]}/persons`, { ...citizen, myNumber, records: records[agency] });
      expect(enrolled.status).toBe(201);
      personIds[agency] = enrolled.body.personId as string;
    }
  }, 240_000);

  afterAll(async () => {
    watch?.stop();
    await federation?.stop();
  });

  it('answers pension’s permitted question with exactly tax’s record', async () => {
    const inquiry = await inquire('pension-agency', { provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: { fiscalYear: 2025 } });
    expect(inquiry).toMatchObject({ status: 'answered', result: { fiscalYear: 2025, incomeYen: INCOME_YEN } });
    const [row] = await queryAs<{ income_yen: string }>(federation.databases['tax-agency'].url, 'SELECT income_yen FROM income_record');
    expect(Number(row.income_yen)).toBe(INCOME_YEN);
    const provided = await queryAs(federation.databases['tax-agency'].url, 'SELECT requester, rule, item, outcome FROM provided_exchange');
    expect(provided).toEqual([{ requester: 'pension-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income', outcome: 'answered' }]);
  });

  it('tells the portal, addressed by the portal’s own code for the citizen', async () => {
    const portalCode = await codeOf(federation, myNumber, 'myna-portal');
    const records = await pollUntil(
      async () => {
        const rows = await queryAs(federation.databases['myna-portal'].url, 'SELECT portal_code, requester, provider, rule, status FROM exchange_record');
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'the portal to receive the exchange record' },
    );
    expect(records).toEqual([{ portal_code: portalCode, requester: 'pension-agency', provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', status: 'permitted' }]);
  });

  it('carries neither agency’s code, the My Number nor the income in any queue message or hub row', async () => {
    const secrets = [
      await codeOf(federation, myNumber, 'tax-agency'),
      await codeOf(federation, myNumber, 'pension-agency'),
      await codeOf(federation, myNumber, 'myna-portal'),
    ].map((code) => code.slice(4));
    const traffic = redisTraffic.join('\n');
    const hub = await dumpDatabase(federation.databases['exchange-hub'].url);
    expect(traffic).toContain('exchange-hub.from.pension-agency'); // the capture did see the exchange's messages
    expect({ unread: watch?.unread, errors: watch?.errors.map(String) }).toEqual({ unread: 0, errors: [] }); // and missed nothing
    for (const place of [traffic, hub]) {
      for (const secret of [...secrets, myNumber, String(INCOME_YEN)]) expect(place).not.toContain(secret);
    }
  });

  it('denies tax asking health for medical claims, and nothing reaches health', async () => {
    const inquiry = await inquire('tax-agency', { provider: 'health-agency', rule: 'R-TAX-HEA-CLAIMS', item: 'medical-claims' });
    expect(inquiry.status).toBe('denied');
    expect(String(inquiry.reason)).toMatch(/rule|permit/i);
    const hub = await queryAs(federation.databases['exchange-hub'].url, "SELECT requester, provider, status FROM exchange WHERE provider = 'health-agency'");
    expect(hub).toEqual([{ requester: 'tax-agency', provider: 'health-agency', status: 'denied' }]);
    expect(await queryAs(federation.databases['health-agency'].url, 'SELECT * FROM provided_exchange')).toEqual([]);
    await pollUntil(async () => {
      const rows = await queryAs(federation.databases['myna-portal'].url, "SELECT status FROM exchange_record WHERE status = 'denied'");
      return rows.length === 1;
    }, { what: 'the portal to record the denial' });
  });

  it('completes exactly once when the provider’s worker dies mid-exchange', async () => {
    await taxWorker.stop();
    const crashing = federation.startWorker('tax-agency', { WORKER_LOCK_MS: '2000' }, { preload: [FAULT_SEAMS.killBeforeAnswerSent] });
    const started = await post(`${federation.urls['health-agency']}/inquiries`, {
      personId: personIds['health-agency'], provider: 'tax-agency', rule: 'R-HEA-TAX-INCOME', item: 'annual-income',
    });
    expect(started.status).toBe(202);
    // The worker records its answer, then is killed before sending it.
    expect(await crashing.exited).toBe('SIGKILL');
    const [recorded] = await queryAs(federation.databases['tax-agency'].url, "SELECT count(*)::int AS n FROM provided_exchange WHERE requester = 'health-agency'");
    expect(recorded).toEqual({ n: 1 });

    taxWorker = federation.startWorker('tax-agency', { WORKER_LOCK_MS: '2000' });
    const inquiryId = started.body.inquiryId as string;
    const settled = await pollUntil(
      async () => {
        const { body } = await get(`${federation.urls['health-agency']}/inquiries/${inquiryId}`);
        return body.status !== 'pending' ? body : undefined;
      },
      // A new worker process must start and take over the job once its lock lapses.
      { timeoutMs: 180_000, intervalMs: 200, what: 'the interrupted exchange to complete' },
    );
    expect(settled).toMatchObject({ status: 'answered', result: { incomeYen: INCOME_YEN } });
    const count = async (service: Service, sql: string) => (await queryAs<{ n: number }>(federation.databases[service].url, sql))[0].n;
    expect(await count('tax-agency', "SELECT count(*)::int AS n FROM provided_exchange WHERE requester = 'health-agency'")).toBe(1);
    expect(await count('exchange-hub', "SELECT count(*)::int AS n FROM exchange WHERE requester = 'health-agency'")).toBe(1);
    expect(await count('health-agency', "SELECT count(*)::int AS n FROM inquiry WHERE status = 'answered'")).toBe(1);
    await pollUntil(async () => (await count('myna-portal', "SELECT count(*)::int AS n FROM exchange_record WHERE requester = 'health-agency'")) === 1, {
      what: 'one portal record for the interrupted exchange',
    });
  }, 300_000);

  it('an agency refuses a delivery encrypted for another agency, records why, and answers nothing', async () => {
    // A genuine hub-signed delivery, sealed for health, dropped on tax's queue.
    const hub = await loadServiceKeyRing(testKeysDir('exchange-hub'), 'exchange-hub');
    const messageId = randomUUID();
    const handle = randomUUID();
    const someone = encryptCode(computeAgencyCode(SecretScalar.random(osRandom), generateProcessingSerial()), generateKeyPair().publicKey).toText();
    const jws = await signMessage(hub, {
      to: 'health-agency',
      type: MESSAGE_TYPES.delivery,
      id: messageId,
      ttlSeconds: 60,
      claims: { handle, requester: 'pension-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: {}, subject: someone },
    });
    const queue = new Queue(inboundQueue('tax-agency', 'exchange-hub'), { connection: bullConnection(TEST_REDIS_URL), prefix: TEST_REDIS_PREFIX });
    try {
      await queue.add(JOB_NAMES.delivery, { token: await encryptFor(hub, 'health-agency', jws) }, { jobId: messageId });
      const [rejection] = await pollUntil(
        async () => {
          const rows = await queryAs(federation.databases['tax-agency'].url, 'SELECT job_id, reason FROM rejected_message WHERE job_id = $1', [messageId]);
          return rows.length ? rows : undefined;
        },
        { what: 'tax to record the rejection' },
      );
      expect(rejection).toEqual({ job_id: messageId, reason: 'not-for-me' });
      expect(await queryAs(federation.databases['tax-agency'].url, 'SELECT * FROM provided_exchange WHERE handle = $1', [handle])).toEqual([]);
    } finally {
      await queue.close();
    }
  });

  it('an exchange tax never answers: pension settles the inquiry as failed, the portal shows it as not answered', async () => {
    // Tax's worker is down, so the delivery waits on its queue; the hub then
    // closes the exchange as expired (its own test drives that sweep), which this
    // test plays with the hub's key, to show what the requester and the portal make of it.
    await taxWorker.stop();
    const started = await post(`${federation.urls['pension-agency']}/inquiries`, {
      personId: personIds['pension-agency'], provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: { fiscalYear: 2025 },
    });
    expect(started.status).toBe(202);
    const inquiryId = started.body.inquiryId as string;
    const [exchange] = await pollUntil(
      async () => {
        const rows = await queryAs<{ portal_handle: string; record_subject: string }>(
          federation.databases['exchange-hub'].url,
          "SELECT portal_handle, record_subject FROM exchange WHERE inquiry_id = $1 AND status = 'delivered'",
          [inquiryId],
        );
        return rows.length ? rows : undefined;
      },
      { what: 'the hub to deliver the inquiry' },
    );

    // What the hub's expiry sends: the record subject translated along pension's edge to the portal.
    const hub = await loadServiceKeyRing(testKeysDir('exchange-hub'), 'exchange-hub');
    const reason = 'tax-agency did not answer within 15 minutes of the delivery';
    const subject = translate(parseHubBundle(hub.codesBundle), 'pension-agency', 'myna-portal', parseCiphertext(exchange.record_subject)).toText();
    const result = await signMessage(hub, { to: 'pension-agency', type: MESSAGE_TYPES.result, ttlSeconds: 60, claims: { inquiryId, status: 'expired', reason } });
    const record = await signMessage(hub, {
      to: 'myna-portal', type: MESSAGE_TYPES.exchangeRecord, ttlSeconds: 60,
      claims: {
        handle: exchange.portal_handle, subject, requester: 'pension-agency', provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income',
        procedure: 'premium exemption', status: 'unanswered', reason, at: new Date().toISOString(),
      },
    });
    const queues = [inboundQueue('pension-agency', 'exchange-hub'), inboundQueue('myna-portal', 'exchange-hub')].map(
      (name) => new Queue(name, { connection: bullConnection(TEST_REDIS_URL), prefix: TEST_REDIS_PREFIX }),
    );
    try {
      await queues[0].add(JOB_NAMES.result, { token: result }, { jobId: randomUUID() });
      await queues[1].add(JOB_NAMES.exchangeRecord, { token: record }, { jobId: randomUUID() });
      const settled = await pollUntil(
        async () => {
          const { body } = await get(`${federation.urls['pension-agency']}/inquiries/${inquiryId}`);
          return body.status !== 'pending' ? body : undefined;
        },
        { what: 'pension to settle the inquiry' },
      );
      expect(settled).toMatchObject({ status: 'failed', reason });
      expect(settled).not.toHaveProperty('exchangeId');
      const [shown] = await pollUntil(
        async () => {
          const rows = await queryAs(federation.databases['myna-portal'].url, 'SELECT status, reason FROM exchange_record WHERE handle = $1', [exchange.portal_handle]);
          return rows.length ? rows : undefined;
        },
        { what: 'the portal to record the unanswered exchange' },
      );
      expect(shown).toEqual({ status: 'unanswered', reason });
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
      taxWorker = federation.startWorker('tax-agency', { WORKER_LOCK_MS: '2000' });
    }
  });
});
