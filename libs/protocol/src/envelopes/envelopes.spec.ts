import { base64url, SignJWT } from 'jose';
import { LegalTable } from '../legal-table/legal-table';
import { ServiceKeyRing } from '../keys/key-ring';
import { runServiceKeyCeremony } from '../keys/service-key-ceremony';
import type { Service } from '../parties';
import { openMessage, sealMessage, signMessage, verifyMessage } from './envelopes';
import { EnvelopeError } from './envelope.exception';

const files = runServiceKeyCeremony(LegalTable.load(), 'envelope-tests').services;
const rings = new Map<Service, ServiceKeyRing>();
const ring = async (service: Service) => {
  if (!rings.has(service)) rings.set(service, await ServiceKeyRing.fromFile(files.get(service)!));
  return rings.get(service)!;
};

const inquiry = { to: 'exchange-hub' as const, type: 'inquiry+jwt', claims: { item: 'annual-income' }, ttlSeconds: 60 };
const expectInquiry = { type: 'inquiry+jwt', from: ['pension-agency', 'tax-agency'] as Service[], maxAgeSeconds: 120 };

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EnvelopeError) return error.code;
    throw error;
  }
  throw new Error('the message was accepted');
}

function tamperPayload(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
  change(claims);
  return [header, base64url.encode(JSON.stringify(claims)), signature].join('.');
}

describe('signed and sealed messages', () => {
  it('carries claims from a sender to its addressee', async () => {
    const token = await signMessage(await ring('pension-agency'), { ...inquiry, id: 'msg-1' });
    const verified = await verifyMessage(await ring('exchange-hub'), token, expectInquiry);
    expect(verified).toMatchObject({ id: 'msg-1', from: 'pension-agency', claims: { item: 'annual-income', aud: 'exchange-hub' } });
    expect(verified.expiresAt - verified.issuedAt).toBe(60);
  });

  it('rejects a forged signature', async () => {
    const token = await signMessage(await ring('pension-agency'), inquiry);
    const forged = tamperPayload(token, (claims) => (claims.item = 'medical-claims'));
    expect(await rejection(verifyMessage(await ring('exchange-hub'), forged, expectInquiry))).toBe('bad-signature');
  });

  it('rejects a service that signs with its own key but claims to be another', async () => {
    const tax = await ring('tax-agency');
    // A payload claiming iss=pension-agency, signed with tax's own key.
    const lie = await new SignJWT({ item: 'x' })
      .setProtectedHeader({ alg: 'EdDSA', kid: tax.signingKid, typ: 'inquiry+jwt' })
      .setIssuer('pension-agency').setAudience('exchange-hub').setIssuedAt().setExpirationTime('60s').setJti('lie')
      .sign(tax.signingKey);
    expect(await rejection(verifyMessage(await ring('exchange-hub'), lie, expectInquiry))).toBe('impersonation');
  });

  it('rejects alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'inquiry+jwt' }));
    const payload = base64url.encode(JSON.stringify({ iss: 'pension-agency', aud: 'exchange-hub', iat: 1, exp: 9999999999, jti: 'x' }));
    expect(await rejection(verifyMessage(await ring('exchange-hub'), `${header}.${payload}.`, expectInquiry))).toBe(
      'algorithm-not-allowed',
    );
  });

  it('rejects an expired message', async () => {
    const token = await signMessage(await ring('pension-agency'), { ...inquiry, ttlSeconds: -10 });
    expect(await rejection(verifyMessage(await ring('exchange-hub'), token, expectInquiry))).toBe('expired');
  });

  it('rejects a message addressed to another service', async () => {
    const token = await signMessage(await ring('pension-agency'), { ...inquiry, to: 'code-issuer' });
    expect(await rejection(verifyMessage(await ring('exchange-hub'), token, expectInquiry))).toBe('wrong-audience');
  });

  it('rejects an unexpected message type and an unexpected sender', async () => {
    const other = await signMessage(await ring('pension-agency'), { ...inquiry, type: 'answer+jwt' });
    expect(await rejection(verifyMessage(await ring('exchange-hub'), other, expectInquiry))).toBe('wrong-type');
    const fromHealth = await signMessage(await ring('health-agency'), inquiry);
    expect(await rejection(verifyMessage(await ring('exchange-hub'), fromHealth, expectInquiry))).toBe('unknown-sender');
  });

  it('seals for one recipient: another service cannot open it', async () => {
    const sealed = await sealMessage(await ring('pension-agency'), { ...inquiry, to: 'tax-agency' });
    const expectForTax = { ...expectInquiry, from: ['pension-agency'] as Service[] };
    await expect(openMessage(await ring('tax-agency'), sealed, expectForTax)).resolves.toMatchObject({ from: 'pension-agency' });
    expect(await rejection(openMessage(await ring('health-agency'), sealed, expectForTax))).toBe('not-for-me');
  });

  it.each(['', 'a.b', 'not a token', 'a.b.c.d.e'])('rejects malformed input %p with a reason', async (input) => {
    expect(['malformed', 'not-for-me']).toContain(await rejection(openMessage(await ring('tax-agency'), input, expectInquiry)));
    expect(['malformed', 'algorithm-not-allowed']).toContain(await rejection(verifyMessage(await ring('tax-agency'), input, expectInquiry)));
  });
});
