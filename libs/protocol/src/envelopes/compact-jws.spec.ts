import { generateKeyPairSync } from 'node:crypto';
import { CompactSign, compactVerify, SignJWT } from 'jose';
import { LegalTable } from '../legal-table/legal-table';
import { ServiceKeyRing } from '../keys/key-ring';
import { runServiceKeyCeremony } from '../keys/service-key-ceremony';
import { EXCHANGE_HUB, PENSION_AGENCY, TAX_AGENCY } from '../parties';
import { signCompactEdDsa } from './compact-jws';
import { signMessage, verifyMessage } from './envelopes';

const files = runServiceKeyCeremony(LegalTable.load(), 'compact-jws-tests').services;

describe('a compact EdDSA JWS signed in the calling thread', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');

  it.each([
    ['a tree head', { alg: 'EdDSA' as const, kid: 'exchange-hub:sig:1', typ: 'myna-tree-head' }, '{"log":"myna","size":3,"root":"abc","timestamp":1796587860000}'],
    ['text beyond ASCII', { alg: 'EdDSA' as const, kid: 'k', typ: 'inquiry+jwt' }, '{"name":"佐藤 花子","note":"☃ ok"}'],
    ['an empty object', { alg: 'EdDSA' as const, kid: '', typ: 't' }, '{}'],
  ])('is byte for byte what jose signs, and verifies with jose: %s', async (_case, header, payload) => {
    const ours = signCompactEdDsa(privateKey, header, payload);
    expect(ours).toBe(await new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader(header).sign(privateKey));
    const verified = await compactVerify(ours, publicKey, { algorithms: ['EdDSA'] });
    expect(new TextDecoder().decode(verified.payload)).toBe(payload);
    expect(verified.protectedHeader).toEqual(header);
  });

  it('signs with a private Ed25519 key only', () => {
    const header = { alg: 'EdDSA' as const, kid: 'k', typ: 't' };
    expect(() => signCompactEdDsa(publicKey, header, '{}')).toThrow(TypeError);
    expect(() => signCompactEdDsa(generateKeyPairSync('x25519').privateKey, header, '{}')).toThrow(TypeError);
    expect(() => signCompactEdDsa(new Uint8Array(32), header, '{}')).toThrow(TypeError);
  });
});

describe('signMessage', () => {
  afterEach(() => jest.useRealTimers());

  it("writes the token jose's SignJWT writes for the same message at the same time, and the addressee verifies it", async () => {
    const pension = await ServiceKeyRing.fromFile(files.get(PENSION_AGENCY)!);
    const hub = await ServiceKeyRing.fromFile(files.get(EXCHANGE_HUB)!);
    jest.useFakeTimers({ now: new Date('2026-12-06T21:10:05.750Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const message = { to: EXCHANGE_HUB, alsoTo: [TAX_AGENCY], type: 'answer+jwt', claims: { item: 'annual-income', n: 1 }, ttlSeconds: 300, id: 'message-1' };
    const ours = await signMessage(pension, message);
    const jose = await new SignJWT(message.claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: pension.signingKid, typ: message.type })
      .setIssuer(PENSION_AGENCY)
      .setAudience([EXCHANGE_HUB, TAX_AGENCY])
      .setIssuedAt()
      .setExpirationTime('300s')
      .setJti('message-1')
      .sign(pension.signingKey);
    expect(ours).toBe(jose);
    const verified = await verifyMessage(hub, ours, { type: 'answer+jwt', from: [PENSION_AGENCY], maxAgeSeconds: 600 });
    expect(verified).toMatchObject({ id: 'message-1', from: PENSION_AGENCY, issuedAt: 1796591405, expiresAt: 1796591705 });
  });

  it('refuses a lifetime that is not a whole number of seconds', async () => {
    const pension = await ServiceKeyRing.fromFile(files.get(PENSION_AGENCY)!);
    for (const ttlSeconds of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(signMessage(pension, { to: EXCHANGE_HUB, type: 'inquiry+jwt', claims: {}, ttlSeconds })).rejects.toThrow(/whole number of seconds/);
    }
  });
});
