import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabases } from '@myna/testing';
import { ExchangeRecordRepository, type NewExchangeRecord } from './exchange-records/exchange-record.repository';
import { LoginChallengeRepository } from './login/login-challenge.repository';
import type { PortalSettings } from './portal-settings';
import { SELF_DISCLOSURE_ITEM, SelfDisclosureRepository } from './self-disclosure/self-disclosure.repository';
import { PortalSessionRepository } from './sessions/portal-session.repository';
import { SessionService } from './sessions/session.service';
import { migrations } from './migrations';
import { mynaPortalService } from './service-definition';

// The portal's persistence on a real PostgreSQL, through its migrations: sessions,
// sign-in challenges, self-disclosures and exchange records (and the portal's
// rejected_message, which its own migration creates).

const portalCode = () => `ac1.${randomBytes(32).toString('base64url')}`;
const sha256 = (text: string) => createHash('sha256').update(text).digest();
const settings: PortalSettings = { relyingParty: 'myna-portal', secureCookies: false, cardReader: {}, exchangeHub: { url: 'http://127.0.0.1:1' } };

describe('the portal’s persistence, on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabases<'portal'>>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabases(['portal']);
    dataSource = await new DataSource({ type: 'postgres', url: database.databases.portal.url, entities: mynaPortalService.entities, migrations, extra: { max: 4 } }).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('keeps the messages it refuses in the one rejected_message every party has', async () => {
    const columns = await dataSource.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'rejected_message' ORDER BY column_name`);
    expect(columns.map((column: { column_name: string }) => column.column_name)).toEqual(['detail', 'id', 'job_id', 'job_name', 'message_id', 'reason', 'received_at', 'sender']);
  });

  describe('sessions', () => {
    const cookieValue = (setCookie: string) => setCookie.split(';')[0];

    it('opens a session only with its cookie, holding the sealed card, until it is ended', async () => {
      const sessions = new SessionService(new PortalSessionRepository(dataSource), settings);
      const code = portalCode();
      const cookie = cookieValue(await sessions.start(code, 'SERIAL-0001', { name: 'Sato Hanako' }));
      const opened = await sessions.open(cookie);
      expect(opened).toMatchObject({ portalCode: code, certificateSerial: 'SERIAL-0001', holder: { name: 'Sato Hanako' } });
      expect(await sessions.holderOf(opened!.id)).toEqual({ name: 'Sato Hanako' });

      // The row names no card: without the cookie's id its seal opens nothing.
      const [row] = await dataSource.query('SELECT card_seal FROM portal_session WHERE portal_code = $1', [code]);
      expect((row.card_seal as Buffer).toString('latin1')).not.toContain('SERIAL-0001');
      expect(await sessions.open(`${sessions.cookieName}=${randomBytes(32).toString('base64url')}`)).toBeUndefined();

      const ended = await sessions.end(cookie);
      expect(ended.portalCode).toBe(code);
      expect(await sessions.open(cookie)).toBeUndefined();
    });

    it('does not open an expired session, and clears expired ones when another starts', async () => {
      const repository = new PortalSessionRepository(dataSource);
      const idHash = sha256('an expired session');
      await repository.add({ idHash, portalCode: portalCode(), cardSeal: randomBytes(64), expiresAt: new Date(Date.now() - 1000) });
      expect(await repository.findLive(idHash)).toBeNull();
      await new SessionService(repository, settings).start(portalCode(), 'SERIAL-0002');
      expect(await dataSource.query('SELECT 1 FROM portal_session WHERE id_hash = $1', [idHash])).toEqual([]);
    });
  });

  describe('sign-in challenges', () => {
    it('gives a challenge’s nonce once, only to the browser it was bound to, and never once expired', async () => {
      const challenges = new LoginChallengeRepository(dataSource);
      const pendingBefore = await challenges.countPending();
      const id = randomUUID();
      const nonce = randomBytes(32).toString('base64url');
      await challenges.add({ id, nonce, bindingHash: sha256('browser A'), expiresAt: new Date(Date.now() + 60_000) });
      expect(await challenges.countPending()).toBe(pendingBefore + 1);

      expect(await challenges.consume(id, sha256('browser B'))).toBeUndefined();
      const attempts = await Promise.all([challenges.consume(id, sha256('browser A')), challenges.consume(id, sha256('browser A'))]);
      expect(attempts.filter((given) => given === nonce)).toHaveLength(1);
      expect(attempts.filter((given) => given === undefined)).toHaveLength(1);
      expect(await challenges.countPending()).toBe(pendingBefore);

      const expired = randomUUID();
      await challenges.add({ id: expired, nonce, bindingHash: sha256('browser A'), expiresAt: new Date(Date.now() - 1000) });
      expect(await challenges.consume(expired, sha256('browser A'))).toBeUndefined();
      await challenges.deleteExpired();
      expect(await dataSource.query('SELECT 1 FROM login_challenge WHERE id = $1', [expired])).toEqual([]);
    });
  });

  describe('self-disclosures', () => {
    it('settles each inquiry once, shows the latest batch, and forgets a citizen’s answers at sign-out', async () => {
      const disclosures = new SelfDisclosureRepository(dataSource);
      const code = portalCode();
      const older = { batchId: randomUUID(), requestedAt: new Date(Date.now() - 10_000) };
      const newer = { batchId: randomUUID(), requestedAt: new Date() };
      const [old, tax, health] = [randomUUID(), randomUUID(), randomUUID()];
      await disclosures.add({ inquiryId: old, portalCode: code, provider: 'tax-agency', rule: 'R-POR-TAX-SELF', ...older });
      await disclosures.add({ inquiryId: tax, portalCode: code, provider: 'tax-agency', rule: 'R-POR-TAX-SELF', ...newer });
      await disclosures.add({ inquiryId: health, portalCode: code, provider: 'health-agency', rule: 'R-POR-HEA-SELF', ...newer });

      expect(await disclosures.awaited(tax)).toEqual({ provider: 'tax-agency', item: SELF_DISCLOSURE_ITEM, status: 'pending' });
      expect(await disclosures.awaited(randomUUID())).toBeNull();
      await disclosures.settle(tax, { status: 'answered', result: { incomes: [] } }, null);
      await disclosures.settle(tax, { status: 'failed', reason: 'a second result' }, null);
      await disclosures.fail(health, 'the exchange hub queue did not accept the inquiry');

      const latest = await disclosures.latestBatch(code);
      expect(latest.map((row) => [row.provider, row.status])).toEqual([
        ['health-agency', 'failed'],
        ['tax-agency', 'answered'],
      ]);
      expect(latest[1]).toMatchObject({ result: { incomes: [] }, reason: null, answeredAt: expect.any(Date) });

      await disclosures.deleteRequestedBefore(new Date(Date.now() - 5_000));
      expect(await disclosures.awaited(old)).toBeNull();
      await disclosures.forgetCitizen(code);
      expect(await disclosures.latestBatch(code)).toEqual([]);
    });
  });

  describe('exchange records', () => {
    it('keeps a record once per handle and shows a citizen only their own, newest first', async () => {
      const records = new ExchangeRecordRepository(dataSource);
      const [mine, someoneElse] = [portalCode(), portalCode()];
      const record = (code: string, at: string): NewExchangeRecord => ({
        handle: randomUUID(),
        portalCode: code,
        requester: 'pension-agency',
        provider: 'tax-agency',
        rule: 'R-PEN-TAX-INCOME',
        item: 'annual-income',
        procedure: 'pension benefit assessment',
        status: 'permitted',
        reason: null,
        receipt: null,
        at: new Date(at),
      });
      const first = record(mine, '2026-01-05T10:00:00Z');
      const second = record(mine, '2026-02-05T10:00:00Z');
      await records.recordOnce(first);
      await records.recordOnce({ ...first, status: 'denied', reason: 'a retried message' });
      await records.recordOnce(second);
      await records.recordOnce(record(someoneElse, '2026-03-05T10:00:00Z'));

      const shown = await records.forCitizen(mine, 500);
      expect(shown.map((row) => row.handle)).toEqual([second.handle, first.handle]);
      expect(shown[1]).toMatchObject({ status: 'permitted', reason: null });
      expect(await records.forCitizen(mine, 1)).toHaveLength(1);
    });
  });
});
