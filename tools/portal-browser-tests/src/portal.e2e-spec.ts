import type * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { IcChip } from '@myna/card';
import { DEMO_CITIZENS, FileCardStore, provisionDemoCitizens, type DemoCard } from '@myna/card-wallet';
import { computeAgencyCode, parseIssuerBundle, ProcessingSerial } from '@myna/codes';
import { OperatorClient } from '@myna/operator-client';
import { loadServiceKeyRing, SERVICES, type Service } from '@myna/protocol';
import {
  freePort,
  pollUntil,
  queryAs,
  startTestCardReader,
  startTestFederation,
  testKeysDir,
  testOperatorCredentialsDir,
  type TestFederation,
  type TestProcess,
} from '@myna/testing';
import { japaneseNotInShippedFont, japaneseRuns, launchChromium, openCardReader, screenshot, typePin, useCard } from './browser';

// In a real Chromium against the real portal and the card reader, each its own
// process: every service runs on its own PostgreSQL database, with the machine's Redis.
const PIN = '8375';
const WRONG_PIN = '0000';
const HAPPY = 'demo-sato-hanako';
const SUSPENDED = 'demo-suzuki-ichiro';
const LOCKING = 'demo-tanaka-yui';
const holderOf = (cardId: string) => DEMO_CITIZENS.find((citizen) => citizen.cardId === cardId)!;

type Json = Record<string, unknown>;

/** A request as a browser without this site's pages would make it (no credentials but a cookie, maybe). */
async function call(url: string, init: { method?: string; body?: unknown; form?: Record<string, string>; cookie?: string; origin?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (init.cookie) headers.cookie = init.cookie;
  if (init.origin) headers.origin = init.origin;
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined && init.form === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body !== undefined ? JSON.stringify(init.body) : init.form !== undefined ? new URLSearchParams(init.form).toString() : undefined,
    redirect: 'manual',
  });
  const text = await response.text();
  let body: Json = {};
  try {
    body = JSON.parse(text) as Json;
  } catch {
    // an HTML page
  }
  return { status: response.status, body, text, headers: response.headers };
}

describe('MynaPortal with a My Number Card', () => {
  let federation: TestFederation<Service>;
  let reader: TestProcess & { url: string };
  let browser: Browser;
  let cardStoreDir: string;
  let operators: OperatorClient;
  let cards: Map<string, DemoCard>;
  const exchangesOf = new Map<string, string[]>();
  const privateKeys: crypto.KeyObject[] = [];
  const served: Promise<string>[] = [];
  let portal: string;

  const portalDb = () => federation.databases['myna-portal'].url;

  beforeAll(async () => {
    cardStoreDir = mkdtempSync(path.join(tmpdir(), 'myna-portal-cards-'));
    browser = await launchChromium();
    // The services answer at 127.0.0.1, the reader at localhost: another host, so it never sees the portal's cookies.
    const readerPort = await freePort();
    // The portal runs as the demo: its sign-in page names the demo cards and their PIN (this suite's own).
    // The secrets test looks for the PIN as an interface carries it (a form field, JSON), not as that help prints it.
    federation = await startTestFederation(SERVICES, {
      env: {
        'myna-portal': {
          CARD_READER_URL: `http://localhost:${readerPort}`,
          LOG_LEVEL: 'debug',
          RATE_LIMIT_SIGN_IN: '1000/60',
          DEMO_CARD_HOLDERS: DEMO_CITIZENS.map((citizen) => citizen.name).join(','),
          DEMO_CARD_PIN: PIN,
        },
      },
    });
    portal = federation.urls['myna-portal'];
    reader = await startTestCardReader({ port: readerPort, cardStoreDir, portalUrl: portal, env: { RATE_LIMIT_PIN_ENTRY: '1000' } });
    operators = new OperatorClient({ credentialsDir: testOperatorCredentialsDir(), urls: federation.urls });

    // Watch the chips make their keys (only the test can), to search for them later.
    const cryptoModule = jest.requireActual<typeof crypto>('node:crypto');
    const real = cryptoModule.generateKeyPairSync;
    const spy = jest.spyOn(cryptoModule, 'generateKeyPairSync').mockImplementation(((...args: unknown[]) => {
      const pair = (real as (...a: unknown[]) => { privateKey: crypto.KeyObject })(...args);
      privateKeys.push(pair.privateKey);
      return pair;
    }) as typeof real);
    const provisioned = await provisionDemoCitizens({ operators, cardStoreDir, pin: PIN }).finally(() => spy.mockRestore());
    cards = new Map(provisioned.map((card) => [card.cardId, card]));

    // The seeded exchanges: settled at the requester, and recorded at the portal under the handle the hub
    // issued it (only the hub's log maps one to the other: the test reads it as the auditor).
    for (const card of provisioned) {
      const handles: string[] = [];
      for (const { requester, inquiryId } of card.inquiries) {
        await pollUntil(
          async () => {
            const { body } = await operators.as(requester, 'agency-officer').request('GET', `/inquiries/${inquiryId}`);
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
    await reader?.stop();
    await federation?.stop();
    if (cardStoreDir) rmSync(cardStoreDir, { recursive: true, force: true });
  });

  /** A fresh browser profile, recording every response body the portal and the reader serve it. */
  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    context.on('response', (response) => served.push(response.text().catch(() => '')));
    return { context, page: await context.newPage() };
  }

  const chipOf = (cardId: string) => IcChip.open(new FileCardStore(cardStoreDir), cardId);
  const hotline = (cardId: string) => {
    const holder = holderOf(cardId);
    return call(`${federation.urls['code-issuer']}/cards/${cards.get(cardId)!.certificateSerial}/suspend`, { body: { name: holder.name, dateOfBirth: holder.dateOfBirth } });
  };

  describe('in the browser', () => {
    it('signs in with nothing but what the sign-in page says, shows who signed in, and draws every Japanese label with the shipped font', async () => {
      const { context, page } = await newPage();
      await page.goto(`${portal}/login`);
      const help = page.locator('#demo-sign-in');
      const holders = await help.locator('strong.demo-card').allInnerTexts();
      const pin = await help.locator('strong.demo-pin').innerText();
      expect(holders).toEqual(DEMO_CITIZENS.map((citizen) => citizen.name));
      expect(await japaneseNotInShippedFont(page)).toEqual([]);
      await screenshot(page, '00-sign-in-help');

      // As a newcomer would: press the button, pick the first card the page named, type the PIN it gave.
      await page.getByRole('button', { name: 'Sign in with my My Number Card' }).click();
      await page.waitForURL((url) => url.href.startsWith(`${reader.url}/sign-in?`));
      expect(await japaneseNotInShippedFont(page)).toEqual([]);
      await page.locator('li.card', { hasText: holders[0] }).locator('input[type="radio"]').check();
      await page.locator('input[name="pin"]').fill(pin);
      await page.getByRole('button', { name: 'Sign' }).click();
      await page.waitForURL(`${portal}/records`);

      const signedIn = page.locator('#signed-in-as');
      expect(await signedIn.innerText()).toBe(`Signed in as ${holders[0]}`);
      expect(await signedIn.locator('img').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
      await screenshot(page, '01-signed-in-as');
      expect(await japaneseNotInShippedFont(page)).toEqual([]);

      const icon = await call(`${portal}/favicon.ico`);
      expect({ status: icon.status, type: icon.headers.get('content-type') }).toEqual({ status: 200, type: 'image/svg+xml; charset=utf-8' });
      await context.close();
    });

    it('draws Japanese with the shipped font only: without it, the same check finds every label drawn by another font, or by none', async () => {
      const { context, page } = await newPage();
      await page.goto(`${portal}/login`);
      const shipped = await japaneseRuns(page);
      expect(shipped.length).toBeGreaterThan(3);
      for (const run of shipped) expect({ run: run.text, fonts: run.fonts }).toEqual({ run: run.text, fonts: [{ familyName: 'Noto Sans JP', isCustomFont: true, glyphCount: [...run.text].length }] });

      const without = await browser.newContext();
      const bare = await without.newPage();
      await bare.route('**/assets/noto-sans-jp.woff2', (route) => route.abort());
      await bare.goto(`${portal}/login`);
      const unshipped = await japaneseNotInShippedFont(bare);
      expect(unshipped.map((run) => run.text)).toEqual(shipped.map((run) => run.text));
      process.stdout.write(`without the shipped font, this machine draws the sign-in page's Japanese with: ${[...new Set(unshipped.flatMap((run) => run.fonts.map((font) => font.familyName)))].join(', ') || 'nothing'}\n`);
      await without.close();
      await context.close();
    });

    it('signs in with the right PIN, typed at the card reader, and shows every exchange about the citizen and only those', async () => {
      const { context, page } = await newPage();
      await openCardReader(page, portal, reader.url);
      expect(await page.locator('.asks').innerText()).toContain(`myna-portal at ${new URL(portal).origin}`);
      await screenshot(page, '00-card-reader');
      await typePin(page, HAPPY, PIN);
      await page.waitForURL(`${portal}/records`);

      const table = page.locator('#exchange-records');
      await table.waitFor();
      const rowIds = await table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-handle')));
      expect(rowIds.sort()).toEqual([...exchangesOf.get(HAPPY)!].sort());
      for (const other of [SUSPENDED, LOCKING]) for (const id of exchangesOf.get(other)!) expect(rowIds).not.toContain(id);

      const permitted = await table.locator('tbody tr', { hasText: 'R-PEN-TAX-INCOME' }).innerText();
      for (const text of ['Japan Pension Service (日本年金機構)', 'Municipal tax office', 'Annual income (所得)', 'premium exemption', 'Permitted']) expect(permitted).toContain(text);
      expect(permitted).toMatch(/\d{2} \w{3} \d{4}, \d{2}:\d{2}:\d{2} JST/);
      const deniedRow = table.locator('tbody tr', { hasText: 'R-TAX-HEA-CLAIMS' });
      const denied = await deniedRow.innerText();
      expect(denied).toContain('Denied');
      expect(await deniedRow.locator('td').nth(2).innerText()).toMatch(/^Not sent: no legal basis/);
      expect(denied).toContain('No law lets the municipal tax office ask the health insurer for your medical claims');
      expect(denied.split('R-TAX-HEA-CLAIMS').length - 1).toBe(1);
      expect(await page.locator('#card-events tbody tr[data-card-event="issued"]').innerText()).toContain('(the card you signed in with)');

      const [cookie] = await context.cookies(portal);
      expect(cookie).toMatchObject({ name: 'myna_session', httpOnly: true, sameSite: 'Strict', path: '/', secure: false });
      expect(await page.evaluate('document.cookie')).toBe('');
      expect(page.url()).not.toContain('signature');
      await screenshot(page, '01-signed-in-exchange-records');
      await context.close();
    });

    it('shows what each agency holds, fetched through the hub under the portal’s own rules', async () => {
      const { context, page } = await newPage();
      await useCard(page, portal, reader.url, HAPPY, PIN);
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
      const pension = await page.locator('section.agency[data-provider="pension-agency"]').innerText();
      for (const words of ['Category I: self-employed, students and others (第1号被保険者)', 'Applied for, not yet decided (申請中)', 'Not receiving a pension (未受給)']) expect(pension).toContain(words);
      expect(await page.locator('section.agency[data-provider="health-agency"]').innerText()).toContain('c: middle income (区分ウ)');
      expect(await page.locator('table.held td').allInnerTexts()).not.toEqual(expect.arrayContaining(['category-1', 'not-receiving', 'applied', 'c']));
      await screenshot(page, '02-my-information');
      expect(await japaneseNotInShippedFont(page)).toEqual([]);

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

    it('locks the card after three wrong PINs, and then refuses the right PIN too; each wrong PIN an answer on the page, not a browser error', async () => {
      const { context, page } = await newPage();
      const browserErrors: string[] = [];
      page.on('console', (message) => message.type() === 'error' && browserErrors.push(message.text()));
      page.on('pageerror', (error) => browserErrors.push(error.message));
      const error = page.locator('#reader-error');
      await useCard(page, portal, reader.url, LOCKING, WRONG_PIN);
      await error.filter({ hasText: 'Wrong PIN (暗証番号が違います). 2 tries left before the card locks.' }).waitFor();
      await typePin(page, LOCKING, '9999');
      await error.filter({ hasText: '1 try left before the card locks.' }).waitFor();
      await typePin(page, LOCKING, '1111');
      await error.filter({ hasText: 'Wrong PIN for the third time: the card is now locked (暗証番号ロック)' }).waitFor();
      expect(await error.getAttribute('data-code')).toBe('chip-locked');
      await screenshot(page, '03-card-locked');
      expect(browserErrors).toEqual([]);

      // The reader now offers the card no more; the chip itself refuses even the right PIN.
      await openCardReader(page, portal, reader.url);
      expect(await page.locator(`li[data-card-id="${LOCKING}"]`).getAttribute('data-state')).toBe('locked');
      expect(await page.locator(`input[name="cardId"][value="${LOCKING}"]`).isDisabled()).toBe(true);
      expect(await (await chipOf(LOCKING)).pinStatus()).toEqual({ retriesLeft: 0, locked: true });
      await expect((await chipOf(LOCKING)).signForAuthentication(PIN, Buffer.from('x'))).rejects.toMatchObject({ code: 'chip-locked' });
      await screenshot(page, '04-locked-card-refuses-right-pin');
      await context.close();
    });

    it('refuses a card suspended through the hotline, with a clear message', async () => {
      expect((await hotline(SUSPENDED)).status).toBe(202);

      const { context, page } = await newPage();
      await useCard(page, portal, reader.url, SUSPENDED, PIN);
      await page.waitForURL(`${portal}/login/card`);
      const error = page.locator('#login-error');
      await error.filter({ hasText: "Sign-in refused: this card's certificate is suspended (一時停止)." }).waitFor();
      expect((await context.cookies(portal)).map((cookie) => cookie.name)).not.toContain('myna_session');
      await screenshot(page, '05-suspended-card-refused');
      await context.close();
    });

    it('ends a session the moment its card is suspended, and shows the citizen every event of their cards', async () => {
      const [extra] = await provisionDemoCitizens({
        operators,
        cardStoreDir,
        pin: PIN,
        seedExchanges: false,
        citizens: [{ ...holderOf(HAPPY), cardId: 'extra-ito-mai', myNumber: '983205673214', name: 'Ito Mai', dateOfBirth: '1991-05-05', records: { 'tax-agency': {}, 'pension-agency': {}, 'health-agency': {} } }],
      });
      const { context, page } = await newPage();
      await useCard(page, portal, reader.url, extra.cardId, PIN);
      await page.waitForURL(`${portal}/records`);
      const registrar = operators.as('code-issuer', 'registrar');
      await call(`${federation.urls['code-issuer']}/cards/${extra.certificateSerial}/suspend`, { body: { name: 'Ito Mai', dateOfBirth: '1991-05-05' } });
      const [session] = (await context.cookies(portal)).filter((cookie) => cookie.name === 'myna_session');
      await page.goto(`${portal}/records`);
      expect(page.url()).toBe(`${portal}/login`);
      // The session itself is gone, not just refused once.
      expect((await call(`${portal}/records`, { cookie: `myna_session=${session.value}` })).headers.get('location')).toBe('/login');
      const sessionHashes = await queryAs<{ id_hash: Buffer }>(portalDb(), 'SELECT id_hash FROM portal_session');
      expect(sessionHashes.map((row) => row.id_hash.toString('hex'))).not.toContain(createHash('sha256').update(session.value).digest('hex'));

      // At the counter: the suspension lifted, the PIN reset; the citizen sees both.
      await registrar.expect('POST', `/cards/${extra.certificateSerial}/resume`, undefined, [200]);
      await useCard(page, portal, reader.url, extra.cardId, PIN);
      await page.waitForURL(`${portal}/records`);
      const events = await page.locator('#card-events tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-card-event')));
      expect(events).toEqual(['resumed', 'suspended', 'issued']);
      expect(await page.locator('#card-events').innerText()).toContain('Suspended (一時停止) through the hotline');
      await screenshot(page, '06-card-events');
      await context.close();
    });
  });

  describe('the pages’ own files', () => {
    const root = path.resolve(__dirname, '../../..');
    const portalFiles = ['portal.css', 'login.js', 'portal.js', 'favicon.svg'].map((name) => [`/assets/${name}`, `apps/myna-portal/src/pages/assets/${name}`]);
    const types: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml; charset=utf-8' };

    it.each([...portalFiles.map(([route, file]) => ['portal', route, file]), ['reader', '/assets/reader.css', 'tools/card-reader/src/assets/reader.css']])(
      'the %s serves %s byte for byte from %s, revalidated by its ETag',
      async (site, route, file) => {
        const url = `${site === 'portal' ? portal : reader.url}${route}`;
        const served = await call(url);
        expect(served.text).toBe(readFileSync(path.join(root, file), 'utf8'));
        expect({
          status: served.status,
          type: served.headers.get('content-type'),
          cache: served.headers.get('cache-control'),
          sniff: served.headers.get('x-content-type-options'),
        }).toEqual({ status: 200, type: types[file.split('.').pop()!], cache: 'no-cache', sniff: 'nosniff' });
        const etag = served.headers.get('etag');
        expect(etag).toMatch(/^(W\/)?"[^"]+"$/);
        // As a browser revalidates what it holds (fetch alone would add cache-control: no-cache, asking for the whole file).
        const again = await fetch(url, { headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' } });
        expect({ status: again.status, body: await again.text() }).toEqual({ status: 304, body: '' });
      },
    );

    it('keeps the pages’ Content-Security-Policy as strict as it was: scripts and styles from the page’s own origin only, nothing inline', async () => {
      const readerOrigin = new URL(reader.url).origin;
      const login = await call(`${portal}/login`);
      expect(login.headers.get('content-security-policy')).toBe(
        `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self' ${readerOrigin}; frame-ancestors 'none'; base-uri 'none'`,
      );
      const wallet = await call(`${reader.url}/`);
      expect(wallet.headers.get('content-security-policy')).toBe(
        `default-src 'none'; style-src 'self'; img-src data:; font-src 'self'; form-action 'self' ${new URL(portal).origin}; frame-ancestors 'none'; base-uri 'none'`,
      );
      for (const html of [login.text, wallet.text]) {
        expect(html).not.toMatch(/<style|\sstyle=|<script>|\son[a-z]+=/i);
      }

      // In the browser: every stylesheet and script loads under that policy, and none is refused.
      const { context, page } = await newPage();
      const refused: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
      });
      await page.goto(`${portal}/login`);
      expect(await page.evaluate('getComputedStyle(document.body).fontFamily')).toMatch(/^"Noto Sans JP Subset"/);
      expect(await page.evaluate('[...document.styleSheets].map((sheet) => new URL(sheet.href).pathname)')).toEqual(['/assets/noto-sans-jp.css', '/assets/portal.css']);
      await page.goto(reader.url);
      expect(await page.locator('header').evaluate((header) => header.ownerDocument.defaultView!.getComputedStyle(header).backgroundColor)).toBe('rgb(36, 41, 47)');
      expect(refused).toEqual([]);
      await context.close();
    });
  });

  describe('the hub’s log, verified in the browser', () => {
    const hubDb = () => federation.databases['exchange-hub'].url;
    const receiptIndex = async (handle: string) =>
      Number((await queryAs<{ index: string }>(portalDb(), `SELECT receipt->>'index' AS index FROM exchange_record WHERE handle = $1`, [handle]))[0].index);

    it('proves a record is in the log the hub signed, and that the log only grew since the citizen last looked; a tampered log fails', async () => {
      const { context, page } = await newPage();
      await useCard(page, portal, reader.url, HAPPY, PIN);
      await page.waitForURL(`${portal}/records`);
      const handle = exchangesOf.get(HAPPY)![0];
      const verifyButton = page.locator(`button[data-verify="${handle}"]`);
      const result = page.locator(`#verify-${handle}`);

      await verifyButton.click();
      await result.and(page.locator('[data-verified]')).waitFor();
      expect(await result.getAttribute('data-verified')).toBe('true');
      expect(await result.innerText()).toMatch(/^✓ Verified in your browser: this record is entry \d+ of the hub’s log of \d+ entries.*had not verified the log before/);
      await screenshot(page, '07-log-verified');

      // The browser remembers the head it verified: the next look proves the log only grew.
      await page.reload();
      await verifyButton.click();
      await result.and(page.locator('[data-verified]')).waitFor();
      expect(await result.innerText()).toMatch(/The log only grew since you last looked \(\d+ → \d+ entries\)/);

      // An insider changes this record's leaf in the hub's database: the browser's check fails.
      const index = await receiptIndex(handle);
      await queryAs(hubDb(), `UPDATE log_leaf SET leaf = replace(leaf, '"status":"', '"status":"x') WHERE idx = $1`, [index]);
      try {
        await page.reload();
        await verifyButton.click();
        await result.and(page.locator('[data-verified]')).waitFor();
        expect(await result.getAttribute('data-verified')).toBe('false');
        // The hub's signed heads are honest; the leaf stored under them is not: the proofs it now gives fail.
        expect(await result.innerText()).toContain('✗ Not verified: the hub’s log no longer holds this record as it was logged');
        await screenshot(page, '08-log-tampered');

        // Another leaf changed, removed: the hub cannot even make the tree it signed.
        await queryAs(hubDb(), `UPDATE log_leaf SET leaf = replace(leaf, '"status":"x', '"status":"') WHERE idx = $1`, [index]);
        const [removed] = await queryAs<{ idx: string; leaf: string }>(hubDb(), 'DELETE FROM log_leaf WHERE idx = 0 RETURNING idx, leaf');
        try {
          await page.reload();
          await verifyButton.click();
          await result.and(page.locator('[data-verified]')).waitFor();
          expect(await result.getAttribute('data-verified')).toBe('false');
          expect(await result.innerText()).toContain('✗ Not verified: the exchange hub gave no proof');
        } finally {
          await queryAs(hubDb(), 'INSERT INTO log_leaf (idx, leaf) VALUES ($1, $2)', [removed.idx, removed.leaf]);
        }
      } finally {
        await queryAs(hubDb(), `UPDATE log_leaf SET leaf = replace(leaf, '"status":"x', '"status":"') WHERE idx = $1`, [index]);
      }
      await page.reload();
      await verifyButton.click();
      await result.and(page.locator('[data-verified]')).waitFor();
      expect(await result.getAttribute('data-verified')).toBe('true');
      await context.close();
    });

    it('gives a record’s proofs to the citizen it is about only', async () => {
      const handle = exchangesOf.get(HAPPY)![0];
      expect((await call(`${portal}/records/${handle}/log-proof`)).status).toBe(401);
      const officer = await operators.token('myna-portal', 'dead-letter-admin');
      expect((await fetch(`${portal}/records/${handle}/log-proof`, { headers: { authorization: `Bearer ${officer}` } })).status).toBe(403);

      const { context, page } = await newPage();
      await useCard(page, portal, reader.url, HAPPY, PIN);
      await page.waitForURL(`${portal}/records`);
      const cookie = (await context.cookies(portal)).map((entry) => `${entry.name}=${entry.value}`).join('; ');
      expect((await call(`${portal}/records/${handle}/log-proof`, { cookie })).status).toBe(200);
      const othersHandle = exchangesOf.get(LOCKING)![0];
      expect((await call(`${portal}/records/${othersHandle}/log-proof`, { cookie })).body).toMatchObject({ code: 'no-receipt' });
      expect((await call(`${portal}/records/not-a-handle/log-proof`, { cookie })).status).toBe(400);
      await context.close();
    });
  });

  describe('from another site', () => {
    let evil: Server;
    let evilOrigin: string;
    const evilPages = new Map<string, string>();

    beforeAll(async () => {
      evil = createServer((request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' }).end(evilPages.get(request.url ?? '') ?? '<p>nothing</p>');
      });
      const port = await freePort();
      await new Promise<void>((resolve) => evil.listen(port, '127.0.0.1', resolve));
      evilOrigin = `http://127.0.0.1:${port}`;
    });

    afterAll(() => new Promise<void>((resolve) => evil.close(() => resolve())));

    /** A page on another origin that posts a form at once, as an attacker's page would. */
    async function visitAutoPostingPage(page: Page, name: string, action: string, fields: Record<string, string>): Promise<void> {
      const inputs = Object.entries(fields).map(([key, value]) => `<input name="${key}" value="${value}">`).join('');
      evilPages.set(`/${name}`, `<form id="f" method="post" action="${action}">${inputs}</form><script>document.getElementById('f').submit()</script>`);
      const navigated = page.waitForURL((url) => url.origin !== evilOrigin, { timeout: 10_000 });
      await page.goto(`${evilOrigin}/${name}`);
      await navigated;
    }

    it('cannot type PINs into the card reader, so cannot lock a citizen’s card (CSRF)', async () => {
      const before = await (await chipOf(HAPPY)).pinStatus();
      const { context, page } = await newPage();
      // The victim has used the reader before: it holds the reader's cookie.
      await openCardReader(page, portal, reader.url);
      const challenge = new URL(page.url()).searchParams;
      for (let attempt = 0; attempt < 3; attempt++) {
        await visitAutoPostingPage(page, `lock-${attempt}`, `${reader.url}/sign-in`, {
          cardId: HAPPY,
          pin: WRONG_PIN,
          rp: 'myna-portal',
          challenge: challenge.get('challenge')!,
          toBeSigned: challenge.get('toBeSigned')!,
          return: challenge.get('return')!,
        });
        expect(await page.content()).toMatch(/another origin|not sent from the card reader/);
      }
      expect(await (await chipOf(HAPPY)).pinStatus()).toEqual(before);
      await context.close();
    });

    it('cannot make a signed-in citizen ask the agencies, or sign out (CSRF)', async () => {
      const { context, page } = await newPage();
      await useCard(page, portal, reader.url, HAPPY, PIN);
      await page.waitForURL(`${portal}/records`);
      const asked = async () => (await queryAs<{ n: number }>(portalDb(), 'SELECT count(*)::int AS n FROM self_disclosure'))[0].n;
      const before = await asked();
      await visitAutoPostingPage(page, 'ask', `${portal}/my-information`, {});
      await visitAutoPostingPage(page, 'logout', `${portal}/logout`, {});
      expect(await asked()).toBe(before);
      await page.goto(`${portal}/records`);
      expect(page.url()).toBe(`${portal}/records`);
      await context.close();
    });

    it('cannot have the reader sign for it, or send the signature to itself', async () => {
      const { body } = await call(`${portal}/login/challenge`, { method: 'POST' });
      const asked = new URLSearchParams({ rp: 'myna-portal', challenge: String(body.challengeId), toBeSigned: String(body.toBeSigned), return: `${evilOrigin}/collect` });
      const refused = await call(`${reader.url}/sign-in?${asked}`);
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('the card reader signs in only to the services it knows');
      const other = Buffer.from('myna-card/user-authentication/v1\nevil-site\nAAAAAAAAAAAAAAAAAAAAAA').toString('base64url');
      const wrongBytes = new URLSearchParams({ rp: 'myna-portal', challenge: String(body.challengeId), toBeSigned: other, return: `${portal}/login/card` });
      expect((await call(`${reader.url}/sign-in?${wrongBytes}`)).status).toBe(400);
    });
  });

  describe('the sign-in API', () => {
    let extra: DemoCard;

    beforeAll(async () => {
      if (!federation) return; // the suite's own set-up failed, and says why
      [extra] = await provisionDemoCitizens({
        operators,
        cardStoreDir,
        pin: PIN,
        seedExchanges: false,
        citizens: [{ cardId: 'extra-kato-ken', myNumber: '123456789018', name: 'Kato Ken', address: '1-1 Hon-cho, Sendai', dateOfBirth: '1970-01-01', gender: 'male', records: { 'tax-agency': {}, 'pension-agency': {}, 'health-agency': {} } }],
      });
    });

    /** A challenge, signed by the card's chip as the reader would have it signed; and the browser's sign-in cookie. */
    async function signedChallenge(cardId: string): Promise<{ attempt: { challengeId: string; certificate: string; signature: string }; cookie: string }> {
      const challenge = await call(`${portal}/login/challenge`, { method: 'POST' });
      expect(challenge.status).toBe(200);
      const cookie = challenge.headers.get('set-cookie')!.split(';')[0];
      const signed = await (await chipOf(cardId)).signForAuthentication(PIN, Buffer.from(String(challenge.body.toBeSigned), 'base64url'));
      return { attempt: { challengeId: challenge.body.challengeId as string, ...signed }, cookie };
    }

    const signIn = (attempt: object, cookie: string) => call(`${portal}/login`, { body: attempt, cookie });

    it('uses a challenge once, from the browser it was given to; the session cookie is HttpOnly, SameSite=Strict, and the session holds the portal’s code and a sealed card', async () => {
      const { attempt, cookie } = await signedChallenge(HAPPY);
      expect(cookie).toMatch(/^myna_sign_in=[A-Za-z0-9_-]{43}$/);
      expect(await signIn(attempt, 'myna_sign_in=' + 'A'.repeat(43))).toMatchObject({ status: 401, body: { code: 'challenge-invalid' } });
      const first = await signIn(attempt, cookie);
      expect(first.status).toBe(200);
      const setCookie = first.headers.get('set-cookie')!;
      expect(setCookie).toMatch(/^myna_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=1800/);
      expect(await signIn(attempt, cookie)).toMatchObject({ status: 401, body: { code: 'challenge-invalid' } });

      const sessionId = setCookie.split(';')[0].split('=')[1];
      const sessions = await queryAs<{ id_hash: Buffer; portal_code: string; card_seal: Buffer }>(portalDb(), 'SELECT id_hash, portal_code, card_seal FROM portal_session');
      const issuerRing = await loadServiceKeyRing(testKeysDir('code-issuer'), 'code-issuer');
      const [citizen] = await queryAs<{ processing_serial: string }>(federation.databases['code-issuer'].url, 'SELECT processing_serial FROM citizen WHERE my_number = $1', [cards.get(HAPPY)!.myNumber]);
      const portalCode = computeAgencyCode(parseIssuerBundle(issuerRing.codesBundle).pseudonymKeys.get('myna-portal')!, ProcessingSerial.parse(citizen.processing_serial)).toText();
      expect(sessions.map((row) => row.portal_code)).toContain(portalCode);
      expect(JSON.stringify(sessions)).not.toContain(sessionId);
      expect(JSON.stringify(sessions.map((row) => row.card_seal.toString('latin1')))).not.toContain(cards.get(HAPPY)!.certificateSerial);
      const columns = await queryAs<{ column_name: string }>(portalDb(), "SELECT column_name FROM information_schema.columns WHERE table_name = 'portal_session' ORDER BY column_name");
      expect(columns.map((column) => column.column_name)).toEqual(['card_seal', 'created_at', 'expires_at', 'id_hash', 'portal_code']);

      const page = await call(`${portal}/records`, { cookie: `myna_session=${sessionId}` });
      expect(page.status).toBe(200);
      const csrf = /name="csrf" value="([A-Za-z0-9_-]{43})"/.exec(page.text)![1];
      expect((await call(`${portal}/logout`, { form: {}, cookie: `myna_session=${sessionId}` })).status).toBe(403);
      const loggedOut = await call(`${portal}/logout`, { form: { csrf }, cookie: `myna_session=${sessionId}` });
      expect(loggedOut.status).toBe(303);
      expect((await call(`${portal}/records`, { cookie: `myna_session=${sessionId}` })).headers.get('location')).toBe('/login');
    });

    it('refuses an expired challenge', async () => {
      const { attempt, cookie } = await signedChallenge(HAPPY);
      await queryAs(portalDb(), "UPDATE login_challenge SET expires_at = now() - interval '1 second' WHERE id = $1", [attempt.challengeId]);
      expect(await signIn(attempt, cookie)).toMatchObject({ status: 401, body: { code: 'challenge-invalid' } });
    });

    it('refuses a signature over another challenge, or by another card', async () => {
      const [a, b] = [await signedChallenge(HAPPY), await signedChallenge(HAPPY)];
      expect(await signIn({ ...a.attempt, signature: b.attempt.signature }, a.cookie)).toMatchObject({ status: 401, body: { code: 'signature-invalid' } });
      const other = await signedChallenge(extra.cardId);
      const c = await signedChallenge(HAPPY);
      const mixed = await signIn({ ...c.attempt, signature: (await signedChallenge(extra.cardId)).attempt.signature }, c.cookie);
      expect(mixed).toMatchObject({ status: 401, body: { code: 'signature-invalid' } });
      expect(await signIn({ ...other.attempt, certificate: c.attempt.certificate }, other.cookie)).toMatchObject({ status: 401, body: { code: 'signature-invalid' } });
    });

    it('refuses a certificate the issuer did not sign, even under the issuer’s key id', async () => {
      const { attempt, cookie } = await signedChallenge(HAPPY);
      const forger = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
      const [, payload] = attempt.certificate.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const issuerKid = (await loadServiceKeyRing(testKeysDir('code-issuer'), 'code-issuer')).signingKid;
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'card-certificate+jwt', kid: issuerKid }).sign(forger.privateKey);
      expect(await signIn({ ...attempt, certificate: forged }, cookie)).toMatchObject({ status: 401, body: { code: 'certificate-invalid' } });
    });

    it('refuses a revoked card, checking the status at the issuer on every sign-in', async () => {
      const first = await signedChallenge(extra.cardId);
      expect((await signIn(first.attempt, first.cookie)).status).toBe(200);
      await operators.as('code-issuer', 'registrar').expect('POST', `/cards/${extra.certificateSerial}/revoke`, { reason: 'lost-or-stolen' }, [200]);
      const again = await signedChallenge(extra.cardId);
      const refused = await signIn(again.attempt, again.cookie);
      expect(refused).toMatchObject({ status: 403, body: { code: 'certificate-revoked', reason: expect.stringContaining('revoked (失効)') } });
    });
  });

  describe('secrets', () => {
    it('no page, log line or stored state exposes a chip’s private key or the PIN', async () => {
      const bodies = await Promise.all(served);
      bodies.push((await call(`${reader.url}/`)).text);
      const logs = `${federation.output('myna-portal')}\n${reader.output()}`;
      const tables = await queryAs<{ table_name: string }>(portalDb(), "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      const portalRows = await Promise.all(tables.map(({ table_name: table }) => queryAs(portalDb(), `SELECT * FROM "${table}"`)));
      const store = readdirSync(cardStoreDir).map((file) => readFileSync(path.join(cardStoreDir, file), 'utf8'));

      expect(privateKeys.length).toBeGreaterThanOrEqual(cards.size);
      const keyForms = privateKeys.flatMap((key) => {
        const der = key.export({ format: 'der', type: 'pkcs8' });
        return [key.export({ format: 'jwk' }).d!, der.toString('base64'), der.toString('base64url'), der.toString('hex')];
      });
      // The PIN as any interface would carry it: a JSON string, a form field, a query parameter.
      const pinForms = [`"${PIN}"`, `pin=${PIN}`, `pin: ${PIN}`, `"pin":${PIN}`];
      const places = { 'served bodies': bodies.join('\n'), 'portal and reader logs': logs, 'portal database': JSON.stringify(portalRows), 'card store': store.join('\n') };
      expect(bodies.length).toBeGreaterThan(20);
      for (const [where, text] of Object.entries(places)) {
        for (const secret of [...keyForms, ...pinForms]) expect({ where, leaked: text.includes(secret) }).toEqual({ where, leaked: false });
      }
      for (const card of cards.values()) expect(places['card store']).not.toContain(card.myNumber);
    });
  });
});
