import { createSecretKey, randomBytes } from 'node:crypto';
import { base64url, CompactEncrypt, decodeProtectedHeader, importJWK, SignJWT } from 'jose';
import { LegalTable } from '../legal-table/legal-table';
import { ServiceKeyRing } from '../keys/key-ring';
import { runServiceKeyCeremony } from '../keys/service-key-ceremony';
import type { Service } from '../parties';
import { decryptForMe, encryptFor, openMessage, sealMessage, signMessage, verifyMessage } from './envelopes';
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
    // The hub relays it and holds neither end's X25519 key, so it has no K(pension→tax) either.
    expect(await rejection(openMessage(await ring('exchange-hub'), sealed, expectForTax))).toBe('not-for-me');
  });

  it('wraps a fresh content key under the sender→recipient edge key, naming both ends', async () => {
    const pension = await ring('pension-agency');
    const tax = await ring('tax-agency');
    const sealed = await sealMessage(pension, { ...inquiry, to: 'tax-agency' });
    expect(decodeProtectedHeader(sealed)).toEqual({ alg: 'A256KW', enc: 'A256GCM', kid: tax.decryptionKid, skid: pension.decryptionKid, cty: 'JWT' });
    const again = await sealMessage(pension, { ...inquiry, to: 'tax-agency', id: 'same' });
    expect(await sealMessage(pension, { ...inquiry, to: 'tax-agency', id: 'same' })).not.toBe(again);
  });

  it('opens only what the named sender sealed: another sender key, or a sealed message reflected back, fails', async () => {
    const pension = await ring('pension-agency');
    const tax = await ring('tax-agency');
    const health = await ring('health-agency');
    const token = await signMessage(pension, { ...inquiry, to: 'tax-agency' });
    await expect(decryptForMe(tax, await encryptFor(pension, 'tax-agency', token))).resolves.toBe(token);
    // The header is authenticated: naming health as the sender breaks the ciphertext.
    const [header, ...rest] = (await encryptFor(pension, 'tax-agency', token)).split('.');
    const relabelled = JSON.parse(new TextDecoder().decode(base64url.decode(header)));
    relabelled.skid = health.decryptionKid;
    expect(await rejection(decryptForMe(tax, [base64url.encode(JSON.stringify(relabelled)), ...rest].join('.')))).toBe('not-for-me');
    relabelled.skid = 'nobody:enc:0000';
    expect(await rejection(decryptForMe(tax, [base64url.encode(JSON.stringify(relabelled)), ...rest].join('.')))).toBe('unknown-sender');
    // K(pension→tax) is not K(tax→pension): what pension sent cannot come back as if from tax.
    const back = (await encryptFor(pension, 'tax-agency', token)).split('.');
    const asFromTax = { alg: 'A256KW', enc: 'A256GCM', kid: pension.decryptionKid, skid: tax.decryptionKid, cty: 'JWT' };
    expect(await rejection(decryptForMe(pension, [base64url.encode(JSON.stringify(asFromTax)), ...back.slice(1)].join('.')))).toBe('not-for-me');
  });

  it('refuses key management it does not use: per-message ECDH-ES, or a direct key', async () => {
    const tax = await ring('tax-agency');
    const taxJwk = files.get('pension-agency')!.directory['tax-agency'].encryption;
    const plaintext = new TextEncoder().encode(await signMessage(await ring('pension-agency'), { ...inquiry, to: 'tax-agency' }));
    const ecdhEs = await new CompactEncrypt(plaintext)
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: tax.decryptionKid, cty: 'JWT' })
      .encrypt(await importJWK(taxJwk, 'ECDH-ES+A256KW'));
    expect(await rejection(decryptForMe(tax, ecdhEs))).toBe('algorithm-not-allowed');
    const direct = await new CompactEncrypt(plaintext)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: tax.decryptionKid, skid: (await ring('pension-agency')).decryptionKid })
      .encrypt(createSecretKey(randomBytes(32)));
    expect(await rejection(decryptForMe(tax, direct))).toBe('algorithm-not-allowed');
  });

  it.each(['', 'a.b', 'not a token', 'a.b.c.d.e'])('rejects malformed input %p with a reason', async (input) => {
    expect(['malformed', 'not-for-me']).toContain(await rejection(openMessage(await ring('tax-agency'), input, expectInquiry)));
    expect(['malformed', 'algorithm-not-allowed']).toContain(await rejection(verifyMessage(await ring('tax-agency'), input, expectInquiry)));
  });
});
