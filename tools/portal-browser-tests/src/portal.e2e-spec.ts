import type * as crypto from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { provisionDemoCitizens, type DemoCard } from '@myna/card';
import { computeAgencyCode, parseIssuerBundle, ProcessingSerial } from '@myna/codes';
import { loadServiceKeyRing, SERVICES, type Service } from '@myna/protocol';
import { pollUntil, queryAs, startTestFederation, testKeysDir, type TestFederation } from '@myna/testing';
import { launchChromium, screenshot, useCard } from './browser';

// Issue #6 acceptance, in a real Chromium against the real portal: every service
// runs as its own process on its own PostgreSQL database, with the machine's Redis.
const PIN = '8375';
const WRONG_PIN = '0000';
const HAPPY = 'demo-sato-hanako';
const SUSPENDED = 'demo-suzuki-ichiro';
const LOCKING = 'demo-tanaka-yui';

type Json = Record<string, unknown>;

async function call(url: string, init: { method?: string; body?: unknown; cookie?: string } = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...(init.cookie ? { cookie: init.cookie } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    redirect: 'manual',
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Json, headers: response.headers };
}

describe('MynaPortal with a My Number Card', () => {
  let federation: TestFederation<Service>;
  let browser: Browser;
  let cardStoreDir: string;
  let cards: Map<string, DemoCard>;
  const exchangesOf = new Map<string, string[]>();
  const privateKeys: crypto.KeyObject[] = [];
  const served: Promise<string>[] = [];
  let portal: string;

  const portalDb = () => federation.databases['myna-portal'].url;

  beforeAll(async () => {
    cardStoreDir = mkdtempSync(path.join(tmpdir(), 'myna-portal-cards-'));
    browser = await launchChromium();
    federation = await startTestFederation(SERVICES, { env: { 'myna-portal': { CARD_READER: 'on', CARD_STORE_DIR: cardStoreDir, LOG_LEVEL: 'debug' } } });
    portal = federation.urls['myna-portal'];

    // Watch the chips make their keys (only the test can), to search for them later.
    const cryptoModule = jest.requireActual<typeof crypto>('node:crypto');
    const real = cryptoModule.generateKeyPairSync;
    const spy = jest.spyOn(cryptoModule, 'generateKeyPairSync').mockImplementation(((...args: unknown[]) => {
      const pair = (real as (...a: unknown[]) => { privateKey: crypto.KeyObject })(...args);
      privateKeys.push(pair.privateKey);
      return pair;
    }) as typeof real);
    const provisioned = await provisionDemoCitizens({ urls: federation.urls, cardStoreDir, pin: PIN }).finally(() => spy.mockRestore());
    cards = new Map(provisioned.map((card) => [card.cardId, card]));

    // The seeded exchanges: settled at the requester, and recorded at the portal under the handle the hub
    // issued it (only the hub's log maps one to the other: the test reads it as the auditor).
    for (const card of provisioned) {
      const handles: string[] = [];
      for (const { requester, inquiryId } of card.inquiries) {
        await pollUntil(
          async () => {
            const { body } = await call(`${federation.urls[requester]}/inquiries/${inquiryId}`);
            return body.status !== 'pending' ? body : undefined;
          },
          { timeoutMs: 60_000, intervalMs: 100, what: `inquiry ${inquiryId} to settle` },
        );
        const [row] = await queryAs<{ portal_handle: string }>(federation.databases['exchange-hub'].url, 'SELECT portal_handle FROM exchange WHERE requester = $1 AND inquiry_id = $2', [requester, inquiryId]);
        handles.push(row.portal_handle);
      }
      exchangesOf.set(card.cardId, handles);
    }
    const all = [...exchangesOf.values()].flat();
    await pollUntil(async () => (await queryAs<{ n: number }>(portalDb(), 'SELECT count(*)::int AS n FROM exchange_record WHERE handle = ANY($1)', [all]))[0].n === all.length, {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the portal to receive every seeded exchange record',
    });
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await federation?.stop();
    if (cardStoreDir) rmSync(cardStoreDir, { recursive: true, force: true });
  });

  /** A fresh browser profile, recording every response body the portal serves it. */
  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    context.on('response', (response) => served.push(response.text().catch(() => '')));
    return { context, page: await context.newPage() };
  }

  describe('in the browser', () => {
    it('signs in with the right PIN and shows every exchange about the citizen, and only those', async () => {
      const { context, page } = await newPage();
      await useCard(page, portal, HAPPY, PIN);
      await page.waitForURL(`${portal}/records`);

      const table = page.locator('#exchange-records');
      await table.waitFor();
      const rowIds = await table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-handle')));
      expect(rowIds.sort()).toEqual([...exchangesOf.get(HAPPY)!].sort());
      for (const other of [SUSPENDED, LOCKING]) for (const id of exchangesOf.get(other)!) expect(rowIds).not.toContain(id);

      const permitted = await table.locator('tbody tr', { hasText: 'R-PEN-TAX-INCOME' }).innerText();
      for (const text of ['Japan Pension Service (日本年金機構)', 'Municipal tax office', 'Annual income (所得)', 'premium exemption', 'Permitted']) expect(permitted).toContain(text);
      expect(permitted).toMatch(/\d{2} \w{3} \d{4}, \d{2}:\d{2}:\d{2} JST/);
      const denied = await table.locator('tbody tr', { hasText: 'R-TAX-HEA-CLAIMS' }).innerText();
      expect(denied).toContain('Denied');
      expect(denied).toContain('no rule R-TAX-HEA-CLAIMS');

      const [cookie] = await context.cookies(portal);
      expect(cookie).toMatchObject({ name: 'myna_session', httpOnly: true, sameSite: 'Strict', path: '/', secure: false });
      expect(await page.evaluate('document.cookie')).toBe('');
      await screenshot(page, '01-signed-in-exchange-records');
      await context.close();
    });

    it('shows what each agency holds, fetched through the hub under the portal’s own rules', async () => {
      const { context, page } = await newPage();
      await useCard(page, portal, HAPPY, PIN);
      await page.waitForURL(`${portal}/records`);
      await page.getByRole('link', { name: 'My information (自己情報)' }).click();
      await page.getByRole('button', { name: 'Ask the agencies what they hold about me' }).click();

      // The page shows the inquiries pending, and refreshes itself until all three agencies have answered.
      for (const agency of ['tax-agency', 'pension-agency', 'health-agency']) {
        await page.locator(`section.agency[data-provider="${agency}"][data-status="answered"]`).waitFor({ timeout: 30_000 });
      }
      const tax = await page.locator('section.agency[data-provider="tax-agency"]').innerText();
      expect(tax).toContain('R-POR-TAX-SELF');
      expect(tax).toContain('¥4,350,000');
      expect(tax).toContain('¥214,000');
      expect(await page.locator('section.agency[data-provider="health-agency"]').innerText()).toContain('¥12,400');
      expect(await page.locator('section.agency[data-provider="pension-agency"]').innerText()).toContain('category-1');
      await screenshot(page, '02-my-information');

      // The hub recorded the portal's own inquiries too, and the citizen sees them.
      await page.getByRole('link', { name: 'My exchange records (情報提供等記録)' }).click();
      await page.locator('#exchange-records tbody tr', { hasText: 'R-POR-PEN-SELF' }).waitFor();
      expect(await page.locator('#exchange-records tbody tr', { hasText: 'R-POR-PEN-SELF' }).innerText()).toContain('MynaPortal, at your request');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${portal}/login`);
      await page.goto(`${portal}/records`);
      expect(page.url()).toBe(`${portal}/login`);
      expect(await queryAs(portalDb(), 'SELECT * FROM self_disclosure')).toEqual([]);
      await context.close();
    });

    it('locks the card after three wrong PINs, and then refuses the right PIN too', async () => {
      const { context, page } = await newPage();
      const status = page.locator('#reader-status');
      await useCard(page, portal, LOCKING, WRONG_PIN);
      await status.filter({ hasText: 'Wrong PIN (暗証番号が違います). 2 tries left before the card locks.' }).waitFor();
      await useCard(page, portal, LOCKING, '9999');
      await status.filter({ hasText: '1 try left before the card locks.' }).waitFor();
      await useCard(page, portal, LOCKING, '1111');
      await status.filter({ hasText: 'Wrong PIN for the third time: the card is now locked (暗証番号ロック)' }).waitFor();
      await screenshot(page, '03-card-locked');

      await useCard(page, portal, LOCKING, PIN);
      await status.filter({ hasText: 'This card is locked after 3 wrong PINs (暗証番号ロック). Even the right PIN is refused now.' }).waitFor();
      expect(page.url()).toBe(`${portal}/login`);
      expect(await page.locator('#reader-card option[value="demo-tanaka-yui"]').innerText()).toContain('(locked)');
      await screenshot(page, '04-locked-card-refuses-right-pin');
      await context.close();
    });

    it('refuses a card suspended through the hotline, with a clear message', async () => {
      const serial = cards.get(SUSPENDED)!.certificateSerial;
      const hotline = await call(`${federation.urls['code-issuer']}/cards/${serial}/suspend`, { method: 'POST' });
      expect(hotline.body.status).toBe('suspended');

      const { context, page } = await newPage();
      await useCard(page, portal, SUSPENDED, PIN);
      const error = page.locator('#login-error');
      await error.filter({ hasText: "Sign-in refused: this card's certificate is suspended (一時停止)." }).waitFor();
      expect(page.url()).toBe(`${portal}/login`);
      expect(await context.cookies(portal)).toEqual([]);
      await screenshot(page, '05-suspended-card-refused');
      await context.close();
    });
  });

  describe('the sign-in API', () => {
    let extra: DemoCard;

    beforeAll(async () => {
      if (!federation) return; // the suite's own set-up failed, and says why
      [extra] = await provisionDemoCitizens({
        urls: federation.urls,
        cardStoreDir,
        pin: PIN,
        seedExchanges: false,
        citizens: [{ cardId: 'extra-kato-ken', myNumber: '123456789018', name: 'Kato Ken', address: '1-1 Hon-cho, Sendai', dateOfBirth: '1970-01-01', gender: 'male', records: { 'tax-agency': {}, 'pension-agency': {}, 'health-agency': {} } }],
      });
    });

    async function signedChallenge(cardId: string): Promise<{ challengeId: string; certificate: string; signature: string }> {
      const challenge = await call(`${portal}/login/challenge`, { method: 'POST' });
      expect(challenge.status).toBe(200);
      const signed = await call(`${portal}/card-reader/sign`, { body: { cardId, pin: PIN, toBeSigned: challenge.body.toBeSigned } });
      expect(signed.status).toBe(200);
      return { challengeId: challenge.body.challengeId as string, certificate: signed.body.certificate as string, signature: signed.body.signature as string };
    }

    it('uses a challenge once; the session cookie is HttpOnly, SameSite=Strict, Path=/, and the session holds only the portal’s code', async () => {
      const attempt = await signedChallenge(HAPPY);
      const first = await call(`${portal}/login`, { body: attempt });
      expect(first.status).toBe(200);
      const setCookie = first.headers.get('set-cookie')!;
      expect(setCookie).toMatch(/^myna_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=1800$/);
      const replay = await call(`${portal}/login`, { body: attempt });
      expect(replay).toMatchObject({ status: 401, body: { reason: 'challenge-invalid' } });

      const sessionId = setCookie.split(';')[0].split('=')[1];
      const sessions = await queryAs<{ id_hash: Buffer; portal_code: string }>(portalDb(), 'SELECT id_hash, portal_code FROM portal_session');
      const issuerRing = await loadServiceKeyRing(testKeysDir('code-issuer'), 'code-issuer');
      const [citizen] = await queryAs<{ processing_serial: string }>(federation.databases['code-issuer'].url, 'SELECT processing_serial FROM citizen WHERE my_number = $1', [cards.get(HAPPY)!.myNumber]);
      const portalCode = computeAgencyCode(parseIssuerBundle(issuerRing.codesBundle).pseudonymKeys.get('myna-portal')!, ProcessingSerial.parse(citizen.processing_serial)).toText();
      expect(sessions.map((row) => row.portal_code)).toContain(portalCode);
      expect(JSON.stringify(sessions)).not.toContain(sessionId);
      const columns = await queryAs<{ column_name: string }>(portalDb(), "SELECT column_name FROM information_schema.columns WHERE table_name = 'portal_session' ORDER BY column_name");
      expect(columns.map((column) => column.column_name)).toEqual(['created_at', 'expires_at', 'id_hash', 'portal_code']);

      const page = await call(`${portal}/records`, { cookie: `myna_session=${sessionId}` });
      expect(page.status).toBe(200);
      const loggedOut = await call(`${portal}/logout`, { method: 'POST', cookie: `myna_session=${sessionId}` });
      expect(loggedOut.status).toBe(303);
      expect((await call(`${portal}/records`, { cookie: `myna_session=${sessionId}` })).headers.get('location')).toBe('/login');
    });

    it('refuses an expired challenge', async () => {
      const attempt = await signedChallenge(HAPPY);
      await queryAs(portalDb(), "UPDATE login_challenge SET expires_at = now() - interval '1 second' WHERE id = $1", [attempt.challengeId]);
      expect(await call(`${portal}/login`, { body: attempt })).toMatchObject({ status: 401, body: { reason: 'challenge-invalid' } });
    });

    it('refuses a signature over another challenge, or by another card', async () => {
      const [a, b] = [await signedChallenge(HAPPY), await signedChallenge(HAPPY)];
      expect(await call(`${portal}/login`, { body: { ...a, signature: b.signature } })).toMatchObject({ status: 401, body: { reason: 'signature-invalid' } });
      const other = await signedChallenge(extra.cardId);
      const c = await signedChallenge(HAPPY);
      const mixed = await call(`${portal}/login`, { body: { ...c, signature: (await signedChallenge(extra.cardId)).signature, certificate: c.certificate } });
      expect(mixed).toMatchObject({ status: 401, body: { reason: 'signature-invalid' } });
      expect(await call(`${portal}/login`, { body: { ...other, certificate: c.certificate } })).toMatchObject({ status: 401, body: { reason: 'signature-invalid' } });
    });

    it('refuses a certificate the issuer did not sign, even under the issuer’s key id', async () => {
      const attempt = await signedChallenge(HAPPY);
      const forger = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
      const [, payload] = attempt.certificate.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const issuerKid = (await loadServiceKeyRing(testKeysDir('code-issuer'), 'code-issuer')).signingKid;
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'card-certificate+jwt', kid: issuerKid }).sign(forger.privateKey);
      expect(await call(`${portal}/login`, { body: { ...attempt, certificate: forged } })).toMatchObject({ status: 401, body: { reason: 'certificate-invalid' } });
    });

    it('refuses a revoked card, checking the status at the issuer on every sign-in', async () => {
      const attempt = await signedChallenge(extra.cardId);
      expect((await call(`${portal}/login`, { body: attempt })).status).toBe(200);
      await call(`${federation.urls['code-issuer']}/cards/${extra.certificateSerial}/revoke`, { body: { reason: 'lost-or-stolen' } });
      const refused = await call(`${portal}/login`, { body: await signedChallenge(extra.cardId) });
      expect(refused).toMatchObject({ status: 403, body: { reason: 'certificate-revoked', message: expect.stringContaining('revoked (失効)') } });
    });
  });

  describe('secrets', () => {
    it('no API response, log line or stored state exposes a chip’s private key or the PIN', async () => {
      // What the portal served the browsers, plus the reader's own API.
      const bodies = await Promise.all(served);
      bodies.push(JSON.stringify((await call(`${portal}/card-reader/cards`)).body));
      const challenge = await call(`${portal}/login/challenge`, { method: 'POST' });
      bodies.push(JSON.stringify((await call(`${portal}/card-reader/sign`, { body: { cardId: HAPPY, pin: PIN, toBeSigned: challenge.body.toBeSigned } })).body));
      const logs = federation.output('myna-portal');
      expect(logs).toContain('/card-reader/sign'); // the log does record the reader's requests
      const tables = await queryAs<{ table_name: string }>(portalDb(), "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      const portalRows = await Promise.all(tables.map(({ table_name: table }) => queryAs(portalDb(), `SELECT * FROM "${table}"`)));
      const store = readdirSync(cardStoreDir).map((file) => readFileSync(path.join(cardStoreDir, file), 'utf8'));

      expect(privateKeys.length).toBe(cards.size);
      const keyForms = privateKeys.flatMap((key) => {
        const der = key.export({ format: 'der', type: 'pkcs8' });
        return [key.export({ format: 'jwk' }).d!, der.toString('base64'), der.toString('base64url'), der.toString('hex')];
      });
      // The PIN as any interface would carry it: a JSON string, a form field, a query parameter.
      const pinForms = [`"${PIN}"`, `pin=${PIN}`, `pin: ${PIN}`, `"pin":${PIN}`];
      const places = { 'served bodies': bodies.join('\n'), 'portal log': logs, 'portal database': JSON.stringify(portalRows), 'card store': store.join('\n') };
      expect(bodies.length).toBeGreaterThan(20);
      for (const [where, text] of Object.entries(places)) {
        for (const secret of [...keyForms, ...pinForms]) expect({ where, leaked: text.includes(secret) }).toEqual({ where, leaked: false });
      }
      for (const card of cards.values()) expect(places['card store']).not.toContain(card.myNumber);
    });
  });
});
