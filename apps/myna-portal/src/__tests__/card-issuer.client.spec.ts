import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signCardStatus, PORTAL_CODE_RESPONSE_TYPE } from '@myna/card';
import type { ServiceConfig } from '@myna/platform';
import { LegalTable, runServiceKeyCeremony, sealMessage, ServiceKeyRing, type Service } from '@myna/protocol';
import { CardIssuerClient } from '../issuer-client/card-issuer.client';
import { LoginRefusedError } from '../login/login.exception';

const SERIAL = 'ABCDEF0123456789ABCD';

/**
 * The portal's client against a stand-in code-issuer on a real socket: whatever
 * the "issuer" answers that is not a fresh, signed, matching answer, sign-in
 * fails closed.
 */
describe('CardIssuerClient', () => {
  const rings = new Map<Service, ServiceKeyRing>();
  let server: Server;
  let answer: (url: URL, body: string) => Promise<{ status: number; json: unknown }>;
  let client: CardIssuerClient;

  beforeAll(async () => {
    const files = runServiceKeyCeremony(LegalTable.load(), 'card-issuer-client-spec').services;
    for (const service of ['myna-portal', 'code-issuer', 'tax-agency'] as const) rings.set(service, await ServiceKeyRing.fromFile(files.get(service)!));
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', async () => {
        const { status, json } = await answer(new URL(request.url ?? '/', 'http://issuer'), body);
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = clientFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const clientFor = (url: string) => new CardIssuerClient(rings.get('myna-portal')!, { peers: { codeIssuerUrl: url } } as ServiceConfig);
  const issuerKey = (service: Service = 'code-issuer') => ({ kid: rings.get(service)!.signingKid, key: rings.get(service)!.signingKey });
  const refusal = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: unknown) => (error instanceof LoginRefusedError ? error.code : String(error)));

  it('accepts a status signed by code-issuer for this serial and this check’s nonce', async () => {
    answer = async (url) => ({ status: 200, json: { statusToken: await signCardStatus(issuerKey(), { serial: SERIAL, status: 'suspended', nonce: url.searchParams.get('nonce')! }) } });
    await expect(client.certificateStatus(SERIAL)).resolves.toBe('suspended');
  });

  it.each([
    ['another nonce (a replayed answer)', async () => signCardStatus(issuerKey(), { serial: SERIAL, status: 'valid', nonce: 'an-old-nonce-from-before' })],
    ['another serial', async (url: URL) => signCardStatus(issuerKey(), { serial: '0000000000000000FFFF', status: 'valid', nonce: url.searchParams.get('nonce')! })],
    ['another signer (an agency)', async (url: URL) => signCardStatus(issuerKey('tax-agency'), { serial: SERIAL, status: 'valid', nonce: url.searchParams.get('nonce')! })],
    ['no signature at all', async () => 'eyJhbGciOiJub25lIn0.eyJzdGF0dXMiOiJ2YWxpZCJ9.'],
  ])('fails closed on a status answer with %s', async (_what, token) => {
    answer = async (url) => ({ status: 200, json: { statusToken: await token(url) } });
    await expect(refusal(client.certificateStatus(SERIAL))).resolves.toBe('issuer-unavailable');
  });

  it('fails closed when the issuer does not answer', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(refusal(clientFor(`http://127.0.0.1:${port}`).certificateStatus(SERIAL))).resolves.toBe('issuer-unavailable');
  });

  it('tells a suspended certificate from an unavailable issuer when asking for the portal code', async () => {
    answer = async () => ({ status: 409, json: { code: 'certificate-not-valid', reason: 'the certificate is suspended' } });
    await expect(refusal(client.portalCode(SERIAL))).resolves.toBe('certificate-suspended');
    answer = async () => ({ status: 500, json: {} });
    await expect(refusal(client.portalCode(SERIAL))).resolves.toBe('issuer-unavailable');
  });

  it('takes a portal code only sealed by code-issuer and about this certificate', async () => {
    const code = 'ac1.' + 'B'.repeat(43);
    const sealed = (from: Service, certificateSerial: string) =>
      sealMessage(rings.get(from)!, { to: 'myna-portal', type: PORTAL_CODE_RESPONSE_TYPE, claims: { requestId: 'r', certificateSerial, portalCode: code }, ttlSeconds: 60 });
    answer = async () => ({ status: 200, json: { response: await sealed('code-issuer', SERIAL) } });
    await expect(client.portalCode(SERIAL)).resolves.toBe(code);
    answer = async () => ({ status: 200, json: { response: await sealed('code-issuer', '0000000000000000FFFF') } });
    await expect(refusal(client.portalCode(SERIAL))).resolves.toBe('issuer-unavailable');
    answer = async () => ({ status: 200, json: { response: await sealed('tax-agency', SERIAL) } });
    await expect(refusal(client.portalCode(SERIAL))).resolves.toBe('issuer-unavailable');
  });
});
