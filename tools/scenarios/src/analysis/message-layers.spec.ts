import { base64url } from 'jose';
import { computeAgencyCode, encryptSubjects, generateProcessingSerial, parseHubBundle, parseIssuerBundle, parsePartyBundle, translate } from '@myna/codes';
import { encryptFor, loadServiceKeyRing, MESSAGE_TYPES, sealMessage, signMessage, SERVICES, type Service, type ServiceKeyRing } from '@myna/protocol';
import { testKeysDir } from '@myna/testing';
import type { CodeCiphertextLayer, JweLayer, JwsLayer } from '../runner/trace-format';
import { heldKeys, MessageDecoder } from './message-layers';

// Real tokens, made with the test key ceremony's keys the way the services make them.
const rings = new Map<Service, ServiceKeyRing>();
const ring = (service: Service) => rings.get(service)!;

beforeAll(async () => {
  for (const service of SERVICES) rings.set(service, await loadServiceKeyRing(testKeysDir(service), service));
});

/** tax's code for a fresh person, and that code encrypted to tax (as the hub's delivery carries it). */
function taxSubject(): { code: string; ciphertext: string } {
  const issuer = parseIssuerBundle(ring('code-issuer').codesBundle);
  const serial = generateProcessingSerial();
  const code = computeAgencyCode(issuer.pseudonymKeys.get('tax-agency')!, serial);
  // Pension's subject for its edge to tax, translated by the hub along that edge.
  const pensionCode = computeAgencyCode(issuer.pseudonymKeys.get('pension-agency')!, serial);
  const [subject] = encryptSubjects(parsePartyBundle(ring('pension-agency').codesBundle), pensionCode, ['tax-agency']);
  const delivered = translate(parseHubBundle(ring('exchange-hub').codesBundle), 'pension-agency', 'tax-agency', subject);
  return { code: code.toText(), ciphertext: delivered.toText() };
}

const claim = (layer: JwsLayer, name: string) => layer.claims.find((entry) => entry.name === name);

describe('taking a message apart as each party could', () => {
  it('opens a delivery with the recipient’s key only, and finds the recipient’s own code inside', async () => {
    const { code, ciphertext } = taxSubject();
    const signed = await signMessage(ring('exchange-hub'), {
      to: 'tax-agency',
      type: MESSAGE_TYPES.delivery,
      claims: { exchangeId: 'e-1', requester: 'pension-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: {}, subject: ciphertext },
      ttlSeconds: 60,
    });
    const delivery = await encryptFor(ring('exchange-hub'), 'tax-agency', signed);
    const decoder = new MessageDecoder(SERVICES.map((service) => heldKeys(ring(service))));

    const layer = (await decoder.decode(delivery)) as JweLayer;
    await decoder.resolveCodes(async (party, codes) => new Set(party === 'tax-agency' ? codes.filter((candidate) => candidate === code) : []));

    expect(layer).toMatchObject({ kind: 'jwe', recipient: 'tax-agency', header: { alg: 'A256KW', enc: 'A256GCM' } });
    expect(layer.attempts.filter((attempt) => attempt.opened).map((attempt) => attempt.party)).toEqual(['tax-agency']);
    expect(layer.attempts.find((attempt) => attempt.party === 'exchange-hub')?.reason).toMatch(/^not-for-me: /);
    const inner = layer.inner as JwsLayer;
    expect(inner).toMatchObject({ kind: 'jws', signer: 'exchange-hub', signature: 'valid' });
    expect(claim(inner, 'rule')?.value).toBe('R-PEN-TAX-INCOME');
    const subject = claim(inner, 'subject')?.layer as CodeCiphertextLayer;
    expect(subject.kind).toBe('code-ciphertext');
    // Every code holder's key was tried; only tax's gave a code it holds, and no one without a code key is listed.
    expect(subject.attempts.map((attempt) => [attempt.party, attempt.opened])).toEqual([
      ['tax-agency', true],
      ['pension-agency', false],
      ['health-agency', false],
      ['myna-portal', false],
    ]);
    expect(subject.code).toBe(`${code.slice(0, 16)}…${code.slice(-6)}`);
    expect(JSON.stringify(layer)).not.toContain(code);
  });

  it('reads a JWS without any key, names its signer, and tells a forged or unsigned one apart', async () => {
    const decoder = new MessageDecoder([heldKeys(ring('exchange-hub'))]);
    const inquiry = await signMessage(ring('pension-agency'), { to: 'exchange-hub', type: MESSAGE_TYPES.inquiry, claims: { item: 'annual-income' }, ttlSeconds: 60 });
    expect(await decoder.decode(inquiry)).toMatchObject({ kind: 'jws', signer: 'pension-agency', signature: 'valid', header: { typ: 'inquiry+jwt' } });

    const [header, , signature] = inquiry.split('.');
    const altered = `${header}.${base64url.encode(JSON.stringify({ item: 'tax-assessment' }))}.${signature}`;
    expect(await decoder.decode(altered)).toMatchObject({ kind: 'jws', signer: 'pension-agency', signature: 'invalid' });

    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none' }))}.${base64url.encode(JSON.stringify({ item: 'x' }))}.`;
    expect(await decoder.decode(unsigned)).toMatchObject({ kind: 'jws', signature: 'none' });

    const keyless = (await new MessageDecoder([]).decode(inquiry)) as JwsLayer;
    expect(keyless).toMatchObject({ kind: 'jws', signature: 'not-checked' });
    expect(claim(keyless, 'item')?.value).toBe('annual-income');
  });

  it('reports a key file it was not given as not tried, and opens nested layers only for their recipient', async () => {
    // An answer: signed by tax, its payload sealed to pension.
    const payload = await sealMessage(ring('tax-agency'), { to: 'pension-agency', type: MESSAGE_TYPES.answerPayload, claims: { value: { incomeYen: 5 } }, ttlSeconds: 60 });
    const answer = await signMessage(ring('tax-agency'), { to: 'exchange-hub', type: MESSAGE_TYPES.answer, claims: { outcome: 'answered', payload }, ttlSeconds: 60 });
    const decoder = new MessageDecoder(['exchange-hub', 'pension-agency'].map((service) => heldKeys(ring(service as Service))));

    const layer = (await decoder.decode(answer)) as JwsLayer;
    const sealed = claim(layer, 'payload')?.layer as JweLayer;
    expect(sealed.recipient).toBe('pension-agency');
    expect(sealed.attempts.map((attempt) => [attempt.party, attempt.opened])).toEqual([
      ['exchange-hub', false],
      ['pension-agency', true],
    ]);
    expect(claim(sealed.inner as JwsLayer, 'value')?.value).toBe('{"incomeYen":5}');
    expect(decoder.keysHeld).toEqual(['exchange-hub', 'pension-agency']);
  });

  it('shortens long values and never shows a whole token', async () => {
    const decoder = new MessageDecoder([heldKeys(ring('exchange-hub'))]);
    const long = 'x'.repeat(200);
    const token = await signMessage(ring('pension-agency'), { to: 'exchange-hub', type: MESSAGE_TYPES.inquiry, claims: { note: long }, ttlSeconds: 60 });
    const layer = (await decoder.decode(token)) as JwsLayer;
    expect(claim(layer, 'note')?.value).toBe(`${'x'.repeat(16)}…${'x'.repeat(6)}`);
  });
});
