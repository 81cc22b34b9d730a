import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OperatorCredentialError } from '@myna/protocol';
import { OperatorClient, operatorRoleFor, serviceAt } from './operator-client';

/** A stand-in for a service: a token endpoint that counts what it issues, and one route that wants a bearer token. */
function standIn() {
  const issued: string[] = [];
  const seen: string[] = [];
  let refuseNext = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (request.url === '/oauth/token') {
        const [id, secret] = Buffer.from(String(request.headers.authorization).replace('Basic ', ''), 'base64').toString().split(':');
        if (secret !== 'S'.repeat(43) || !body.includes('grant_type=client_credentials')) return response.writeHead(401).end(JSON.stringify({ code: 'invalid-credentials', reason: 'no' }));
        const token = `token-${issued.length + 1}-for-${decodeURIComponent(id)}`;
        issued.push(token);
        return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 300 }));
      }
      const token = String(request.headers.authorization ?? '').replace('Bearer ', '');
      seen.push(token);
      if (refuseNext > 0) {
        refuseNext--;
        return response.writeHead(401).end(JSON.stringify({ code: 'invalid-credentials' }));
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, token }));
    });
  });
  return { server, issued, seen, refuse: (times: number) => (refuseNext = times) };
}

describe('OperatorClient', () => {
  let stand: ReturnType<typeof standIn>;
  let url: string;
  const credentialsDir = mkdtempSync(path.join(tmpdir(), 'operators-'));
  writeFileSync(
    path.join(credentialsDir, 'tax-agency.agency-officer.json'),
    JSON.stringify({ format: 'myna/operator-credential', version: 1, service: 'tax-agency', clientId: 'tax-agency.agency-officer', clientSecret: 'S'.repeat(43), roles: ['agency-officer'] }),
  );

  beforeAll(async () => {
    stand = standIn();
    await new Promise<void>((resolve) => stand.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(stand.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => stand.server.close(() => resolve())));

  it('asks for a token once, sends it as a bearer token, and keeps it while it is valid', async () => {
    const client = new OperatorClient({ credentialsDir, urls: { 'tax-agency': url } });
    const before = stand.issued.length;
    const first = await client.as('tax-agency', 'agency-officer').expect('GET', '/exchange-records', undefined, [200]);
    const second = await client.request('tax-agency', 'agency-officer', 'GET', '/exchange-records');
    expect(first.body).toEqual({ ok: true, token: stand.issued[before] });
    expect(second.body).toEqual(first.body);
    expect(stand.issued.length).toBe(before + 1);
  });

  it('asks for a fresh token once when the service refuses the one it holds', async () => {
    const client = new OperatorClient({ credentialsDir, urls: { 'tax-agency': url } });
    await client.request('tax-agency', 'agency-officer', 'GET', '/x');
    const before = stand.issued.length;
    stand.refuse(1);
    const answer = await client.request('tax-agency', 'agency-officer', 'GET', '/x');
    expect(answer.status).toBe(200);
    expect(stand.issued.length).toBe(before + 1);
  });

  it('names the missing credential file, and the service’s refusal', async () => {
    const client = new OperatorClient({ credentialsDir, urls: { 'tax-agency': url, 'code-issuer': url } });
    await expect(client.token('code-issuer', 'registrar')).rejects.toBeInstanceOf(OperatorCredentialError);
    const answer = await client.as('tax-agency', 'agency-officer').expect('GET', '/y', undefined, [200]);
    expect(answer.status).toBe(200);
    stand.refuse(2);
    await expect(client.as('tax-agency', 'agency-officer').expect('GET', '/z', undefined, [200])).rejects.toThrow(/answered 401 invalid-credentials/);
  });

  it('knows whose role each route is, and which service serves a URL', () => {
    expect(operatorRoleFor('code-issuer', 'POST', '/citizens/batch')).toBe('registrar');
    expect(operatorRoleFor('exchange-hub', 'GET', '/exchanges')).toBe('hub-auditor');
    expect(operatorRoleFor('tax-agency', 'GET', '/persons/5f0c0d1e-2a3b-4c5d-8e6f-7a8b9c0d1e2f')).toBe('records-clerk');
    expect(operatorRoleFor('tax-agency', 'POST', '/inquiries')).toBe('agency-officer');
    expect(operatorRoleFor('myna-portal', 'POST', '/operator/dead-letters/x/replay')).toBe('dead-letter-admin');
    expect(serviceAt({ 'tax-agency': 'http://127.0.0.1:4002', 'code-issuer': 'http://127.0.0.1:4000' }, 'http://127.0.0.1:4000/citizens?x=1')).toBe('code-issuer');
    expect(serviceAt({ 'tax-agency': 'http://127.0.0.1:4002' }, 'http://127.0.0.1:9/x')).toBeUndefined();
  });
});
