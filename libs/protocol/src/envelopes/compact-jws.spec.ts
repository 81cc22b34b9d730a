import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { CompactSign, compactVerify, errors, jwtVerify, SignJWT } from 'jose';
import { LegalTable } from '../legal-table/legal-table';
import { ServiceKeyRing } from '../keys/key-ring';
import { runServiceKeyCeremony } from '../keys/service-key-ceremony';
import { EXCHANGE_HUB, PENSION_AGENCY, TAX_AGENCY } from '../parties';
import { readCompactJws, signCompactEdDsa, verifyEd25519 } from './compact-jws';
import { signMessage, verifyMessage, type ExpectedMessage } from './envelopes';
import { EnvelopeError } from './envelope.exception';

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

describe('an EdDSA signature checked in the calling thread', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const token = signCompactEdDsa(privateKey, { alg: 'EdDSA', kid: 'k', typ: 't' }, '{"a":1}');

  it('holds over the signing input, and fails for a changed payload, another key or a signature of the wrong length', () => {
    const jws = readCompactJws(token)!;
    expect(jws.header).toEqual({ alg: 'EdDSA', kid: 'k', typ: 't' });
    expect(verifyEd25519(publicKey, jws)).toBe(true);
    expect(verifyEd25519(generateKeyPairSync('ed25519').publicKey, jws)).toBe(false);
    expect(verifyEd25519(publicKey, { ...jws, signingInput: `${jws.signingInput}x` })).toBe(false);
    expect(verifyEd25519(publicKey, { ...jws, signature: jws.signature.subarray(0, 63) })).toBe(false);
    expect(verifyEd25519(publicKey, { ...jws, signature: Buffer.alloc(0) })).toBe(false);
  });

  it('takes apart only three segments whose header is a JSON object', () => {
    const [header, payload, signature] = token.split('.');
    for (const bad of [`${header}.${payload}`, `${token}.x`, `${Buffer.from('[1]').toString('base64url')}.${payload}.${signature}`, `${Buffer.from('not json').toString('base64url')}.${payload}.${signature}`, `.${payload}.${signature}`]) {
      expect(readCompactJws(bad)).toBeNull();
    }
  });

  it('is checked with a public Ed25519 key only', () => {
    const jws = readCompactJws(token)!;
    expect(() => verifyEd25519(privateKey, jws)).toThrow(TypeError);
    expect(() => verifyEd25519(generateKeyPairSync('x25519').publicKey, jws)).toThrow(TypeError);
    expect(() => verifyEd25519(new Uint8Array(32), jws)).toThrow(TypeError);
  });
});

/**
 * verifyMessage as it was, all in jose's jwtVerify: the reference the in-thread
 * signature check plus jose's claim checks must agree with, code for code.
 */
async function verifyWithJwtVerify(ring: ServiceKeyRing, token: string, expected: ExpectedMessage): Promise<{ id: string; from: string; issuedAt: number; expiresAt: number; claims: unknown }> {
  if (token.split('.').length !== 3) throw new EnvelopeError('malformed', 'not a compact JWS');
  let signer: string | undefined;
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        if (header.alg !== 'EdDSA') throw new EnvelopeError('algorithm-not-allowed', 'algorithm');
        const verifier = ring.verifierFor(header.kid);
        if (!verifier) throw new EnvelopeError('unknown-sender', 'unknown');
        signer = verifier.service;
        return verifier.key;
      },
      { algorithms: ['EdDSA'], audience: ring.service, issuer: [...expected.from], typ: expected.type, maxTokenAge: `${expected.maxAgeSeconds}s`, requiredClaims: ['iss', 'aud', 'iat', 'exp', 'jti'] },
    );
    if (payload.iss !== signer) throw new EnvelopeError('impersonation', 'impersonation');
    return { id: String(payload.jti), from: signer!, issuedAt: payload.iat!, expiresAt: payload.exp!, claims: payload };
  } catch (error) {
    if (error instanceof EnvelopeError) throw error;
    if (error instanceof errors.JWTExpired) throw new EnvelopeError('expired', 'expired');
    if (error instanceof errors.JOSEAlgNotAllowed) throw new EnvelopeError('algorithm-not-allowed', 'algorithm');
    if (error instanceof errors.JWSSignatureVerificationFailed) throw new EnvelopeError('bad-signature', 'signature');
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'aud') throw new EnvelopeError('wrong-audience', 'aud');
      if (error.claim === 'iat' && /age|too old/i.test(error.message)) throw new EnvelopeError('expired', 'too old');
      if (error.claim === 'typ') throw new EnvelopeError('wrong-type', 'typ');
      if (error.claim === 'iss') throw new EnvelopeError('unknown-sender', 'iss');
    }
    throw new EnvelopeError('malformed', 'malformed');
  }
}

async function outcome(verification: Promise<unknown>): Promise<unknown> {
  try {
    return { accepted: await verification };
  } catch (error) {
    if (error instanceof EnvelopeError) return { refused: error.code };
    throw error;
  }
}

describe('verifyMessage', () => {
  afterEach(() => jest.useRealTimers());

  it("accepts and refuses what jose's jwtVerify did, with the same codes, for tokens built to fail every check", async () => {
    const pension = await ServiceKeyRing.fromFile(files.get(PENSION_AGENCY)!);
    const tax = await ServiceKeyRing.fromFile(files.get(TAX_AGENCY)!);
    const hub = await ServiceKeyRing.fromFile(files.get(EXCHANGE_HUB)!);
    const now = 1796591405;
    jest.useFakeTimers({ now: now * 1000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const expected: ExpectedMessage = { type: 'inquiry+jwt', from: [PENSION_AGENCY], maxAgeSeconds: 120 };
    const absent = Symbol('absent');
    // Mostly the value a good message has, else one that fails a check (or none): most tokens break one or two checks.
    const usually = <T>(good: T, ...bad: unknown[]) => fc.oneof({ weight: 5, arbitrary: fc.constant<unknown>(good) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(...bad, absent) });
    const header = fc.record({
      alg: usually('EdDSA', 'none', 'HS256', 'ES256', 7),
      kid: usually(pension.signingKid, tax.signingKid, hub.signingKid, 'pension-agency:sig:unknown', 3),
      typ: usually('inquiry+jwt', 'Inquiry+JWT', 'application/inquiry+jwt', 'answer+jwt', 1),
      cty: fc.constantFrom<unknown>('JWT', absent),
    });
    const claims = fc.record({
      iss: usually(PENSION_AGENCY, TAX_AGENCY, EXCHANGE_HUB, 7),
      aud: usually(EXCHANGE_HUB, [EXCHANGE_HUB, TAX_AGENCY], TAX_AGENCY, [], [TAX_AGENCY]),
      iat: usually(now, now - 60, now - 121, now - 500, now + 30, '1796591405'),
      exp: usually(now + 60, now + 1, now, now - 1, 'soon'),
      nbf: fc.constantFrom<unknown>(absent, absent, absent, now - 10, now + 100, 'x'),
      jti: usually('message-1', 5),
      item: fc.constantFrom<unknown>('annual-income', '佐藤', absent),
    });
    const payload = fc.oneof(
      { weight: 12, arbitrary: claims.map((record) => JSON.stringify(Object.fromEntries(Object.entries(record).filter(([, value]) => value !== absent)))) },
      { weight: 1, arbitrary: fc.constantFrom('[1,2]', '"text"', '42', 'null', 'not json', '') },
    );
    const signer = fc.constantFrom<KeyObject>(...Array<KeyObject>(5).fill(pension.signingKey as KeyObject), tax.signingKey as KeyObject);
    const damage = fc.constantFrom(...Array<string>(10).fill('none'), 'flip-signature', 'short-signature', 'empty-signature', 'flip-payload');
    const seen = new Map<string, number>();

    await fc.assert(
      fc.asyncProperty(header, payload, signer, damage, async (fields, body, key, harm) => {
        const protectedHeader = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== absent));
        const input = `${Buffer.from(JSON.stringify(protectedHeader)).toString('base64url')}.${Buffer.from(body).toString('base64url')}`;
        let signature = sign(null, Buffer.from(input), key);
        if (harm === 'flip-signature') signature[7] ^= 1;
        if (harm === 'short-signature') signature = signature.subarray(0, 40);
        if (harm === 'empty-signature') signature = Buffer.alloc(0);
        let token = `${input}.${signature.toString('base64url')}`;
        if (harm === 'flip-payload') token = token.replace(/\.(.)/, (_match, first: string) => `.${first === 'A' ? 'B' : 'A'}`);
        const ours = await outcome(verifyMessage(hub, token, expected));
        expect(ours).toEqual(await outcome(verifyWithJwtVerify(hub, token, expected)));
        const kind = 'accepted' in (ours as object) ? 'accepted' : String((ours as { refused: string }).refused);
        seen.set(kind, (seen.get(kind) ?? 0) + 1);
      }),
      {
        numRuns: 1500,
        // The rarest ways through, besides those drawn: tax signing as itself but claiming to be pension, and a token too old.
        examples: [
          [{ alg: 'EdDSA', kid: tax.signingKid, typ: 'inquiry+jwt', cty: absent }, JSON.stringify({ iss: PENSION_AGENCY, aud: EXCHANGE_HUB, iat: now, exp: now + 60, jti: 'm' }), tax.signingKey as KeyObject, 'none'],
          [{ alg: 'EdDSA', kid: pension.signingKid, typ: 'inquiry+jwt', cty: absent }, JSON.stringify({ iss: PENSION_AGENCY, aud: EXCHANGE_HUB, iat: now - 500, exp: now + 60, jti: 'm' }), pension.signingKey as KeyObject, 'none'],
        ],
      },
    );
    // Every way through was taken: accepted, and each refusal the checks can give.
    expect([...seen.keys()].sort()).toEqual(['accepted', 'algorithm-not-allowed', 'bad-signature', 'expired', 'impersonation', 'malformed', 'unknown-sender', 'wrong-audience', 'wrong-type']);
  });

  it('refuses a critical header extension, which jose would take for b64', async () => {
    const pension = await ServiceKeyRing.fromFile(files.get(PENSION_AGENCY)!);
    const hub = await ServiceKeyRing.fromFile(files.get(EXCHANGE_HUB)!);
    const expected: ExpectedMessage = { type: 'inquiry+jwt', from: [PENSION_AGENCY], maxAgeSeconds: 120 };
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: PENSION_AGENCY, aud: EXCHANGE_HUB, iat: now, exp: now + 60, jti: 'm' };
    const signed = (extension: Record<string, unknown>) => {
      const header = { alg: 'EdDSA', kid: pension.signingKid, typ: 'inquiry+jwt', ...extension };
      const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      return `${input}.${sign(null, Buffer.from(input), pension.signingKey as KeyObject).toString('base64url')}`;
    };
    for (const extension of [{ crit: ['b64'], b64: true }, { crit: ['x'], x: 1 }, { crit: [] }]) {
      expect(await outcome(verifyMessage(hub, signed(extension), expected))).toEqual({ refused: 'malformed' });
    }
    // jose itself takes the first, a b64 extension that changes nothing.
    expect(await outcome(verifyWithJwtVerify(hub, signed({ crit: ['b64'], b64: true }), expected))).toMatchObject({ accepted: { from: PENSION_AGENCY } });
  });
});
