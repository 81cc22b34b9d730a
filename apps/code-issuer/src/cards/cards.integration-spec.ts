import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { decodeJwt, importJWK } from 'jose';
import request from 'supertest';
import {
  authenticationMessage,
  ChipLockedError,
  IcChip,
  MemoryCardStore,
  PORTAL_CODE_REQUEST_TYPE,
  PORTAL_CODE_RESPONSE_TYPE,
  portalCodeResponseClaimsSchema,
  verifyCardCertificate,
  verifyCardStatus,
  type CardFace,
  type IssuerPublicKey,
} from '@myna/card';
import { issueAgencyCode, parseIssuerBundle, ProcessingSerial } from '@myna/codes';
import { loadServiceKeyRing, openMessage, sealMessage, type Service, type ServiceKeyRing } from '@myna/protocol';
import { asOperator, createTestDatabases, httpAs, queryAs, signedServiceRequest, startTestServiceApp, testKeysDir } from '@myna/testing';
import { HOTLINE_ANSWER } from './cards.controller';
import { codeIssuerService } from '../service-definition';

const PIN = '5930';
const PHOTO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`;
const facts = { name: 'Tanaka Jiro', address: '2-3-4 Sakura-machi, Higashi-shi', dateOfBirth: '1979-11-03', gender: 'male' as const };

describe('card certificates over HTTP', () => {
  let app: INestApplication;
  let databaseUrl: string;
  let drop: () => Promise<void>;
  let issuerKey: IssuerPublicKey;
  const rings = new Map<Service, ServiceKeyRing>();

  beforeAll(async () => {
    const provisioned = await createTestDatabases(['code-issuer']);
    drop = provisioned.drop;
    databaseUrl = provisioned.databases['code-issuer'].url;
    // This suite calls the hotline more often than its budget allows one caller; the budget has its own test.
    app = await startTestServiceApp(codeIssuerService, databaseUrl, { RATE_LIMIT_HOTLINE: '1000/60' });
    for (const service of ['myna-portal', 'tax-agency', 'code-issuer'] as const) rings.set(service, await loadServiceKeyRing(testKeysDir(service), service));
    registrar = await asOperator(app, 'code-issuer', 'registrar');
    const response = await http().get('/cards/issuer-key').expect(200);
    issuerKey = { kid: response.body.kid, jwk: response.body.jwk };
  });

  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  let registrar: { authorization: string };
  /** The counter: a registrar's requests. */
  const http = () => httpAs(app, registrar);
  /** Anyone: no credentials at all. */
  const anyone = () => request(app.getHttpServer());
  const hotline = (serial: string, holder: { name: string; dateOfBirth: string } = facts) => anyone().post(`/cards/${serial}/suspend`).send({ name: holder.name, dateOfBirth: holder.dateOfBirth });
  const resolveIssuer = async (kid: string | undefined) => (kid === issuerKey.kid ? importJWK(issuerKey.jwk, 'EdDSA') : undefined);

  async function registerCitizen(): Promise<{ myNumber: string; residenceCode: string }> {
    return (await http().post('/citizens').send(facts).expect(201)).body;
  }

  /** A card as the demo makes one: the chip makes its key, code-issuer certifies it over HTTP. */
  async function issueCard(identifier: { myNumber: string } | { residenceCode: string }, myNumber: string) {
    const face: CardFace = { ...facts, myNumber, photo: PHOTO };
    let issued: Record<string, unknown> = {};
    const chip = await IcChip.issue(new MemoryCardStore(), {
      cardId: 'card',
      face,
      pin: PIN,
      issuerKey,
      certify: async (publicKey) => {
        issued = (await http().post('/cards').send({ ...identifier, publicKey }).expect(201)).body;
        return issued.certificate as string;
      },
    });
    return { chip, serial: issued.certificateSerial as string, issued };
  }

  const statusOf = async (serial: string) => (await http().get(`/cards/${serial}/status`).expect(200)).body.status;

  describe('issuance', () => {
    it('certifies the chip’s key for a registered citizen, without the My Number, and records who holds the serial', async () => {
      const citizen = await registerCitizen();
      const { chip, serial, issued } = await issueCard({ myNumber: citizen.myNumber }, citizen.myNumber);

      const contents = await chip.readContents();
      expect(contents.userAuthentication.certificateSerial).toBe(serial);
      const certificate = await verifyCardCertificate(issued.certificate, resolveIssuer);
      expect(certificate.publicKey).toEqual(contents.userAuthentication.publicKey);
      const claims = JSON.stringify(decodeJwt(issued.certificate as string));
      for (const fact of [citizen.myNumber, citizen.residenceCode, facts.name, facts.address, facts.dateOfBirth]) expect(claims).not.toContain(fact);
      expect(new Date(issued.expiresAt as string).getTime() - new Date(issued.issuedAt as string).getTime()).toBe(5 * 365 * 86_400_000);

      const rows = await queryAs(databaseUrl, 'SELECT c.my_number, k.status FROM card_certificate k JOIN citizen c ON c.id = k.citizen_id WHERE k.serial = $1', [serial]);
      expect(rows).toEqual([{ my_number: citizen.myNumber, status: 'valid' }]);
    });

    it('issues by residence code too, and a new card revokes the citizen’s earlier certificate as superseded', async () => {
      const citizen = await registerCitizen();
      const first = await issueCard({ myNumber: citizen.myNumber }, citizen.myNumber);
      const second = await issueCard({ residenceCode: citizen.residenceCode }, citizen.myNumber);

      expect(second.issued.superseded).toEqual([first.serial]);
      expect(await statusOf(first.serial)).toBe('revoked');
      expect(await statusOf(second.serial)).toBe('valid');
      const [row] = await queryAs(databaseUrl, 'SELECT revocation_reason FROM card_certificate WHERE serial = $1', [first.serial]);
      expect(row).toEqual({ revocation_reason: 'superseded' });
    });

    it.each([
      ['no identifier', {}, 400, 'identifier-required'],
      ['both identifiers', { myNumber: 'MINE', residenceCode: 'MINE' }, 400, 'identifier-required'],
      ['an unregistered citizen', { myNumber: '123456789018' }, 404, 'citizen-not-found'],
    ])('refuses %s', async (_what, identifier, status, reason) => {
      const citizen = await registerCitizen();
      const body = Object.fromEntries(Object.entries(identifier).map(([key, value]) => [key, value === 'MINE' ? citizen[key as keyof typeof citizen] : value]));
      const publicKey = { kty: 'OKP', crv: 'Ed25519', x: randomBytes(32).toString('base64url') };
      const response = await http().post('/cards').send({ ...body, publicKey }).expect(status);
      expect(response.body).toMatchObject({ code: reason });
      expect(JSON.stringify(response.body)).not.toContain(citizen.myNumber);
    });

    it('refuses a malformed key, and a key that is already certified', async () => {
      const citizen = await registerCitizen();
      const malformed = await http().post('/cards').send({ myNumber: citizen.myNumber, publicKey: { kty: 'EC', crv: 'P-256', x: 'abc' } }).expect(400);
      expect(malformed.body.reason).toContain('publicKey.kty must be OKP');
      expect(malformed.body.reason).toContain('publicKey.x must be a 32-byte key in base64url (43 characters)');
      const publicKey = { kty: 'OKP', crv: 'Ed25519', x: randomBytes(32).toString('base64url') };
      await http().post('/cards').send({ myNumber: citizen.myNumber, publicKey }).expect(201);
      const again = await http().post('/cards').send({ residenceCode: citizen.residenceCode, publicKey }).expect(409);
      expect(again.body.code).toBe('public-key-already-certified');
    });
  });

  describe('status, the hotline and revocation', () => {
    it('answers a status check signed by the issuer, with the caller’s nonce', async () => {
      const citizen = await registerCitizen();
      const { serial } = await issueCard({ myNumber: citizen.myNumber }, citizen.myNumber);
      const nonce = randomBytes(16).toString('base64url');
      const response = await http().get(`/cards/${serial}/status`).query({ nonce }).expect(200);

      expect(response.body).toMatchObject({ certificateSerial: serial, status: 'valid', changedAt: null });
      await expect(verifyCardStatus(response.body.statusToken, resolveIssuer, { serial, nonce })).resolves.toMatchObject({ status: 'valid' });
      await expect(verifyCardStatus(response.body.statusToken, resolveIssuer, { serial, nonce: 'another-nonce-value' })).rejects.toThrow(/nonce/);
    });

    it('suspends at once through the hotline, given the holder’s name and birth date: the very next status check says suspended', async () => {
      const citizen = await registerCitizen();
      const { serial } = await issueCard({ myNumber: citizen.myNumber }, citizen.myNumber);

      const answer = await hotline(serial).expect(202);
      expect(answer.body).toEqual({ received: true, message: HOTLINE_ANSWER });
      expect(await statusOf(serial)).toBe('suspended');
      await hotline(serial).expect(202);
      expect(await statusOf(serial)).toBe('suspended');
    });

    it('answers the hotline the same whatever happened, and suspends nothing on a wrong name, a wrong birth date or an unknown serial', async () => {
      const citizen = await registerCitizen();
      const { serial } = await issueCard({ myNumber: citizen.myNumber }, citizen.myNumber);
      const answers = [
        await hotline(serial, { ...facts, name: 'Someone Else' }).expect(202),
        await hotline(serial, { ...facts, dateOfBirth: '1979-11-04' }).expect(202),
        await hotline('ABCDEF0123456789ABCD').expect(202),
      ];
      for (const answer of answers) expect(answer.body).toEqual({ received: true, message: HOTLINE_ANSWER });
      expect(await statusOf(serial)).toBe('valid');
      expect((await anyone().post(`/cards/${serial}/suspend`).send({}).expect(400)).body.code).toBe('invalid-request');
    });

    it('lifts a suspension and revokes only at the counter; revocation is for good and the hotline cannot bring a card back', async () => {
      const citizen = await registerCitizen();
      const { serial } = await issueCard({ myNumber: citizen.myNumber }, citizen.myNumber);
      await hotline(serial).expect(202);
      await anyone().post(`/cards/${serial}/resume`).expect(401);
      expect((await http().post(`/cards/${serial}/resume`).expect(200)).body.status).toBe('valid');
      await hotline(serial).expect(202);
      await anyone().post(`/cards/${serial}/revoke`).send({ reason: 'lost-or-stolen' }).expect(401);
      const revoked = await http().post(`/cards/${serial}/revoke`).send({ reason: 'lost-or-stolen' }).expect(200);
      expect(revoked.body.status).toBe('revoked');
      await hotline(serial).expect(202);
      expect((await http().post(`/cards/${serial}/resume`).expect(200)).body.status).toBe('revoked');
      expect(await statusOf(serial)).toBe('revoked');
      await http().post(`/cards/${serial}/revoke`).send({ reason: 'superseded' }).expect(400);
    });

    it('keeps every event of a citizen’s cards, for the portal and the counter only', async () => {
      const citizen = await registerCitizen();
      const { serial: first } = await issueCard({ myNumber: citizen.myNumber }, citizen.myNumber);
      await hotline(first).expect(202);
      await http().post(`/cards/${first}/resume`).expect(200);
      const { serial: second } = await issueCard({ residenceCode: citizen.residenceCode }, citizen.myNumber);
      await http().post(`/cards/${second}/revoke`).send({ reason: 'holder-request' }).expect(200);

      const expected = [
        { certificateSerial: first, kind: 'issued', detail: null },
        { certificateSerial: first, kind: 'suspended', detail: 'hotline' },
        { certificateSerial: first, kind: 'resumed', detail: null },
        { certificateSerial: first, kind: 'superseded', detail: null },
        { certificateSerial: second, kind: 'issued', detail: null },
        { certificateSerial: second, kind: 'revoked', detail: 'holder-request' },
      ];
      const byPortal = await signedServiceRequest(app, rings.get('myna-portal')!, 'code-issuer', 'GET', `/cards/${second}/events`).expect(200);
      expect(byPortal.body.events.map(({ at: _at, ...event }: Record<string, unknown>) => event)).toEqual(expected);
      const byRegistrar = await http().get(`/cards/${first}/events`).expect(200);
      expect(byRegistrar.body).toEqual(byPortal.body);
      await anyone().get(`/cards/${first}/events`).expect(401);
      await signedServiceRequest(app, rings.get('tax-agency')!, 'code-issuer', 'GET', `/cards/${first}/events`).expect(403);
    });

    it('limits hotline calls per caller, with a clear 429', async () => {
      const tight = await startTestServiceApp(codeIssuerService, databaseUrl, { RATE_LIMIT_HOTLINE: '2/60' });
      try {
        const call = () => request(tight.getHttpServer()).post('/cards/ABCDEF0123456789ABCD/suspend').send({ name: facts.name, dateOfBirth: facts.dateOfBirth });
        const answers = [await call(), await call(), await call()];
        expect(answers.map((answer) => answer.status)).toEqual([202, 202, 429]);
        expect(answers[2].body).toMatchObject({ statusCode: 429, code: 'too-many-requests' });
      } finally {
        await tight.close();
      }
    });

    it('reports an out-of-date certificate as expired', async () => {
      const citizen = await registerCitizen();
      const { serial } = await issueCard({ myNumber: citizen.myNumber }, citizen.myNumber);
      await queryAs(databaseUrl, "UPDATE card_certificate SET expires_at = now() - interval '1 second' WHERE serial = $1", [serial]);
      expect(await statusOf(serial)).toBe('expired');
    });

    it('answers 404 for an unknown serial and 400 for a malformed one', async () => {
      const unknown = 'ABCDEF0123456789ABCD';
      expect((await http().get(`/cards/${unknown}/status`).expect(404)).body.code).toBe('certificate-not-found');
      expect((await http().post(`/cards/${unknown}/revoke`).send({}).expect(404)).body.code).toBe('certificate-not-found');
      expect((await http().get('/cards/not-a-serial/status').expect(400)).body).toMatchObject({ code: 'invalid-request', reason: 'serial must be 20 hex digits (0-9, A-F)' });
    });

    it('answers a status check to the portal and the counter only', async () => {
      const citizen = await registerCitizen();
      const { serial } = await issueCard({ myNumber: citizen.myNumber }, citizen.myNumber);
      await anyone().get(`/cards/${serial}/status`).expect(401);
      const byPortal = await signedServiceRequest(app, rings.get('myna-portal')!, 'code-issuer', 'GET', `/cards/${serial}/status`).expect(200);
      expect(byPortal.body.status).toBe('valid');
      await signedServiceRequest(app, rings.get('tax-agency')!, 'code-issuer', 'GET', `/cards/${serial}/status`).expect(403);
    });
  });

  describe('PIN reset', () => {
    it('authorizes a locked chip to take a new PIN; a foreign key or a suspended certificate gets nothing', async () => {
      const citizen = await registerCitizen();
      const { chip, serial } = await issueCard({ myNumber: citizen.myNumber }, citizen.myNumber);
      const message = authenticationMessage('myna-portal', 'n');
      for (let i = 0; i < 3; i++) await chip.signForAuthentication('0000', message).catch(() => undefined);
      await expect(chip.signForAuthentication(PIN, message)).rejects.toBeInstanceOf(ChipLockedError);

      const reset = await chip.beginPinReset();
      const foreign = await http().post(`/cards/${serial}/pin-reset`).send({ keyThumbprint: randomBytes(32).toString('base64url'), nonce: reset.nonce }).expect(409);
      expect(foreign.body.code).toBe('public-key-mismatch');
      await anyone().post(`/cards/${serial}/pin-reset`).send({ keyThumbprint: reset.keyThumbprint, nonce: reset.nonce }).expect(401);
      const { body } = await http().post(`/cards/${serial}/pin-reset`).send({ keyThumbprint: reset.keyThumbprint, nonce: reset.nonce }).expect(200);
      await chip.resetPin(body.authorization, '8642');
      await expect(chip.signForAuthentication('8642', message)).resolves.toHaveProperty('signature');
      const [row] = await queryAs(databaseUrl, 'SELECT pin_resets FROM card_certificate WHERE serial = $1', [serial]);
      expect(row).toEqual({ pin_resets: 1 });

      await hotline(serial).expect(202);
      const again = await chip.beginPinReset();
      const refused = await http().post(`/cards/${serial}/pin-reset`).send({ keyThumbprint: again.keyThumbprint, nonce: again.nonce }).expect(409);
      expect(refused.body).toMatchObject({ code: 'certificate-not-valid', reason: expect.stringContaining('suspended') });
    });
  });

  describe('the portal’s code', () => {
    const ring = (service: Service) => rings.get(service)!;
    const sealRequest = (from: Service, certificateSerial: string) =>
      sealMessage(ring(from), { to: 'code-issuer', type: PORTAL_CODE_REQUEST_TYPE, claims: { certificateSerial }, ttlSeconds: 60 });
    const askAs = (caller: Service, sealed: string) => signedServiceRequest(app, ring(caller), 'code-issuer', 'POST', '/portal-codes', { request: sealed });

    it('gives myna-portal its own code for the holder of a valid certificate, sealed so only the portal can read it', async () => {
      const citizen = await registerCitizen();
      const { serial } = await issueCard({ myNumber: citizen.myNumber }, citizen.myNumber);
      const response = await askAs('myna-portal', await sealRequest('myna-portal', serial)).expect(200);

      const opened = await openMessage(ring('myna-portal'), response.body.response, { type: PORTAL_CODE_RESPONSE_TYPE, from: ['code-issuer'], maxAgeSeconds: 60 });
      const claims = portalCodeResponseClaimsSchema.parse(opened.claims);
      const [row] = await queryAs<{ processing_serial: string }>(databaseUrl, 'SELECT processing_serial FROM citizen WHERE my_number = $1', [citizen.myNumber]);
      const bundle = parseIssuerBundle(ring('code-issuer').codesBundle);
      expect(claims).toMatchObject({ certificateSerial: serial, portalCode: issueAgencyCode(bundle, 'myna-portal', ProcessingSerial.parse(row.processing_serial)).toText() });
      await expect(openMessage(ring('tax-agency'), response.body.response, { type: PORTAL_CODE_RESPONSE_TYPE, from: ['code-issuer'], maxAgeSeconds: 60 })).rejects.toMatchObject({ code: 'not-for-me' });
      const ledger = await queryAs(databaseUrl, "SELECT r.requester, i.agency FROM issuance_request r JOIN code_issuance i ON i.request_id = r.id WHERE r.id = $1", [claims.requestId]);
      expect(ledger).toEqual([{ requester: 'myna-portal', agency: 'myna-portal' }]);
    });

    it('refuses an agency asking, anyone unsigned, a replayed request, an unknown serial, and a suspended certificate', async () => {
      const citizen = await registerCitizen();
      const { serial } = await issueCard({ myNumber: citizen.myNumber }, citizen.myNumber);

      expect((await askAs('tax-agency', await sealRequest('tax-agency', serial)).expect(403)).body.code).toBe('forbidden');
      expect((await askAs('myna-portal', await sealRequest('tax-agency', serial)).expect(401)).body.code).toBe('unknown-sender');
      expect((await anyone().post('/portal-codes').send({ request: await sealRequest('myna-portal', serial) }).expect(401)).body.code).toBe('unauthenticated');
      const sealed = await sealRequest('myna-portal', serial);
      await askAs('myna-portal', sealed).expect(200);
      expect((await askAs('myna-portal', sealed).expect(409)).body.code).toBe('replayed');
      expect((await askAs('myna-portal', await sealRequest('myna-portal', 'ABCDEF0123456789ABCD')).expect(404)).body.code).toBe('certificate-not-found');

      await hotline(serial).expect(202);
      const refused = await askAs('myna-portal', await sealRequest('myna-portal', serial)).expect(409);
      expect(refused.body).toMatchObject({ code: 'certificate-not-valid', reason: 'the certificate is suspended' });
    });
  });
});
