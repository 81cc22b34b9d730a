import { LegalTable } from '../legal-table/legal-table';
import { ServiceKeyRing } from '../keys/key-ring';
import { runServiceKeyCeremony } from '../keys/service-key-ceremony';
import type { Service } from '../parties';
import { RequestSignatureError, signServiceRequest, verifyServiceRequest } from './request-signature';

const ceremony = runServiceKeyCeremony(LegalTable.load(), 'request-signature-tests');
const rings = new Map<Service, ServiceKeyRing>();
const ring = (service: Service) => rings.get(service)!;

beforeAll(async () => {
  for (const service of ['code-issuer', 'tax-agency', 'myna-portal'] as const) rings.set(service, await ServiceKeyRing.fromFile(ceremony.services.get(service)!));
});

const URL_ = 'http://issuer.internal:4000/code-issuance?x=1';
const BODY = JSON.stringify({ request: 'sealed' });

async function signed(from: Service = 'tax-agency', to: Service = 'code-issuer', body: string | undefined = BODY) {
  const headers = await signServiceRequest(ring(from), to, { method: 'POST', url: URL_, headers: { 'content-type': 'application/json' }, body });
  return { method: 'POST', url: URL_, headers: headers as Record<string, string>, rawBody: body === undefined ? undefined : Buffer.from(body) };
}

async function refusal(request: Awaited<ReturnType<typeof signed>>): Promise<string> {
  try {
    await verifyServiceRequest(ring('code-issuer'), 'code-issuer', request);
  } catch (error) {
    if (error instanceof RequestSignatureError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('signed requests between services (RFC 9421)', () => {
  it('tell the callee which service signed, over method, path, query and body', async () => {
    const request = await signed();
    expect(request.headers['content-digest']).toMatch(/^sha-256=:[A-Za-z0-9+/=]+:$/);
    expect(request.headers['signature-input']).toMatch(/^myna=\("@method" "@path" "@query" "content-digest"\);created=\d+;expires=\d+;nonce="[^"]+";keyid="tax-agency:sig:[^"]+";alg="ed25519";tag="myna-request:code-issuer"$/);
    await expect(verifyServiceRequest(ring('code-issuer'), 'code-issuer', request)).resolves.toMatchObject({ service: 'tax-agency' });
    const get = await signServiceRequest(ring('myna-portal'), 'code-issuer', { method: 'GET', url: 'http://issuer/cards/X/status?nonce=abc', headers: {} });
    await expect(verifyServiceRequest(ring('code-issuer'), 'code-issuer', { method: 'GET', url: 'http://elsewhere/cards/X/status?nonce=abc', headers: get as Record<string, string> })).resolves.toMatchObject({ service: 'myna-portal' });
  });

  it('refuse a changed body, method, path or query', async () => {
    const request = await signed();
    expect(await refusal({ ...request, rawBody: Buffer.from(BODY.replace('sealed', 'forged')) })).toMatch(/Content-Digest/);
    expect(await refusal({ ...request, method: 'PUT' })).toMatch(/not acceptable/);
    expect(await refusal({ ...request, url: URL_.replace('/code-issuance', '/cards') })).toMatch(/not acceptable/);
    expect(await refusal({ ...request, url: URL_.replace('x=1', 'x=2') })).toMatch(/not acceptable/);
  });

  it('refuse a request meant for another service, an unknown key, a second signature, and none at all', async () => {
    expect(await refusal(await signed('tax-agency', 'myna-portal'))).toMatch(/not meant for code-issuer/);
    const request = await signed();
    expect(await refusal({ ...request, headers: { ...request.headers, 'signature-input': request.headers['signature-input'].replace(/keyid="[^"]+"/, 'keyid="nobody:sig:x"') } })).toMatch(/not in the directory|not acceptable/);
    expect(await refusal({ ...request, headers: { ...request.headers, 'signature-input': `${request.headers['signature-input']}, other=("@method");keyid="x"` } })).toMatch(/exactly one signature/);
    expect(await refusal({ ...request, headers: { 'content-type': 'application/json' } })).toMatch(/exactly one signature/);
  });

  it('refuse a signature older than a minute', async () => {
    jest.useFakeTimers({ now: Date.now() - 120_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const old = await signed();
    jest.useRealTimers();
    expect(await refusal(old)).toMatch(/not acceptable/);
  });
});
