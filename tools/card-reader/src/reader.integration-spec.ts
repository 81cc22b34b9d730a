import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { exportJWK, generateKeyPair } from 'jose';
import request from 'supertest';
import { authenticationMessage, IcChip, signCardCertificate, verifyAuthenticationSignature } from '@myna/card';
import { FileCardStore } from '@myna/card-wallet';
import { createReaderApp } from './main';
import { parseReaderSettings } from './reader-settings';

const PIN = '4321';
const PORTAL = 'http://localhost:4005';
const NONCE = 'N'.repeat(43);
const signInQuery = {
  rp: 'myna-portal',
  challenge: '5f0c0d1e-2a3b-4c5d-8e6f-7a8b9c0d1e2f',
  toBeSigned: Buffer.from(authenticationMessage('myna-portal', NONCE)).toString('base64url'),
  return: `${PORTAL}/login/card`,
};

describe('the card reader', () => {
  let app: INestApplication;
  let storeDir: string;
  let store: FileCardStore;

  beforeAll(async () => {
    storeDir = mkdtempSync(path.join(tmpdir(), 'reader-cards-'));
    store = new FileCardStore(storeDir);
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const issuerKey = { kid: 'test-issuer', jwk: { kty: 'OKP' as const, crv: 'Ed25519' as const, x: (await exportJWK(publicKey)).x! } };
    await IcChip.issue(store, {
      cardId: 'card-a',
      face: { myNumber: '123456789018', name: 'Sato Hanako', address: 'Tokyo', dateOfBirth: '1988-02-29', gender: 'female', photo: `data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}` },
      pin: PIN,
      issuerKey,
      certify: (key) => signCardCertificate({ kid: 'test-issuer', key: privateKey }, { serial: 'ABCDEF0123456789ABCD', publicKey: key, issuedAt: new Date(), expiresAt: new Date(Date.now() + 86_400_000) }),
    });
    app = await createReaderApp(parseReaderSettings({ CARD_STORE_DIR: storeDir, READER_RELYING_PARTIES: `myna-portal=${PORTAL}`, RATE_LIMIT_PIN_ENTRY: '1000' }), false);
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    rmSync(storeDir, { recursive: true, force: true });
  });

  /** The reader's page, as the browser gets it: its form token and its cookie. */
  async function openPage(): Promise<{ csrf: string; cookie: string }> {
    const page = await request(app.getHttpServer()).get('/sign-in').query(signInQuery).expect(200);
    expect(page.headers['content-security-policy']).toContain(`form-action 'self' ${PORTAL}`);
    return { csrf: /name="csrf" value="([^"]+)"/.exec(page.text)![1], cookie: String(page.headers['set-cookie']).split(';')[0] };
  }

  const sign = (form: Record<string, string>, headers: Record<string, string>) =>
    request(app.getHttpServer()).post('/sign-in').set(headers).type('form').send({ ...signInQuery, ...form });

  it('shows the service that asks and the cards it holds, masked, never a full My Number', async () => {
    const page = await request(app.getHttpServer()).get('/sign-in').query(signInQuery).expect(200);
    expect(page.text).toContain(`myna-portal</strong> at <code>${PORTAL}</code>`);
    expect(page.text).toContain('Sato Hanako');
    expect(page.text).not.toContain('123456789018');
    expect((await request(app.getHttpServer()).get('/').expect(200)).text).toContain('3 PIN tries left');
  });

  it('signs the challenge after the right PIN and sends it back to the service’s own address, in the fragment', async () => {
    const { csrf, cookie } = await openPage();
    const answer = await sign({ cardId: 'card-a', pin: PIN, csrf }, { cookie }).expect(303);
    const location = new URL(answer.headers.location);
    expect(`${location.origin}${location.pathname}`).toBe(`${PORTAL}/login/card`);
    expect(location.search).toBe('');
    const fields = new URLSearchParams(location.hash.slice(1));
    expect(fields.get('challenge')).toBe(signInQuery.challenge);
    const certificate = fields.get('certificate')!;
    const claims = JSON.parse(Buffer.from(certificate.split('.')[1], 'base64url').toString());
    expect(verifyAuthenticationSignature(claims.cnf.jwk, authenticationMessage('myna-portal', NONCE), fields.get('signature')!)).toBe(true);
    // The card face's name and photo come along, for the service to show who signed in; the My Number never does.
    expect(fields.get('name')).toBe('Sato Hanako');
    expect(fields.get('photo')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(answer.headers.location).not.toContain('123456789018');
  });

  it('says how many tries are left after a wrong PIN, on its own page: an answer, not a failed load', async () => {
    const { csrf, cookie } = await openPage();
    const wrong = await sign({ cardId: 'card-a', pin: '0000', csrf }, { cookie }).expect(200);
    expect(wrong.text).toContain('Wrong PIN (暗証番号が違います). 2 tries left before the card locks.');
    expect(wrong.text).toContain('data-code="pin-incorrect"');
    await sign({ cardId: 'card-a', pin: PIN, csrf }, { cookie }).expect(303);
    expect(await (await IcChip.open(store, 'card-a')).pinStatus()).toEqual({ retriesLeft: 3, locked: false });
  });

  it('refuses a form from another origin, or without its page’s token, before the chip sees the PIN', async () => {
    const { csrf, cookie } = await openPage();
    const answers = [
      await sign({ cardId: 'card-a', pin: '0000', csrf }, { cookie, origin: 'https://attacker.example' }),
      await sign({ cardId: 'card-a', pin: '0000', csrf }, { cookie, 'sec-fetch-site': 'cross-site' }),
      await sign({ cardId: 'card-a', pin: '0000' }, { cookie }),
      await sign({ cardId: 'card-a', pin: '0000', csrf }, {}),
      // Another first character: a fixed one would leave a token that already starts with it unchanged.
      await sign({ cardId: 'card-a', pin: '0000', csrf: csrf.replace(/^./, (first) => (first === 'x' ? 'y' : 'x')) }, { cookie }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([403, 403, 403, 403, 403]);
    expect(await (await IcChip.open(store, 'card-a')).pinStatus()).toEqual({ retriesLeft: 3, locked: false });
  });

  it('limits PIN entries per caller', async () => {
    const tight = await createReaderApp(parseReaderSettings({ CARD_STORE_DIR: storeDir, READER_RELYING_PARTIES: `myna-portal=${PORTAL}`, RATE_LIMIT_PIN_ENTRY: '2' }), false);
    await tight.init();
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 3; attempt++) statuses.push((await request(tight.getHttpServer()).post('/sign-in').type('form').send({ ...signInQuery, cardId: 'card-a', pin: '0000' })).status);
      expect(statuses).toEqual([403, 403, 429]);
    } finally {
      await tight.close();
    }
  });

  it('refuses a sign-in link for a service it does not know, without showing a card', async () => {
    const refused = await request(app.getHttpServer()).get('/sign-in').query({ ...signInQuery, return: 'https://attacker.example/collect' }).expect(400);
    expect(refused.text).not.toContain('Sato Hanako');
  });

  it('tells no cache to keep its pages or its refusals, and nobody its framework', async () => {
    const answers = [
      await request(app.getHttpServer()).get('/sign-in').query(signInQuery),
      await request(app.getHttpServer()).get('/sign-in').query({ ...signInQuery, return: 'https://attacker.example/collect' }),
      await request(app.getHttpServer()).get('/no-such-page'),
    ];
    expect(answers.map((answer) => ({ status: answer.status, cache: answer.headers['cache-control'], sniff: answer.headers['x-content-type-options'], poweredBy: answer.headers['x-powered-by'] }))).toEqual([
      { status: 200, cache: 'no-store', sniff: 'nosniff', poweredBy: undefined },
      { status: 400, cache: 'no-store', sniff: 'nosniff', poweredBy: undefined },
      { status: 404, cache: 'no-store', sniff: 'nosniff', poweredBy: undefined },
    ]);
  });
});
