import { loadServiceKeyRing, MESSAGE_TYPES, sealMessage, signMessage } from '@myna/protocol';
import { testKeysDir } from '@myna/testing';
import { isSealedFor } from '../sealed-payload';

describe('isSealedFor', () => {
  it('accepts a JWE for the requester only: not one for another party, not a JWS, not plain text', async () => {
    const tax = await loadServiceKeyRing(testKeysDir('tax-agency'), 'tax-agency');
    const pensionKid = tax.recipient('pension-agency').kid;
    const message = { type: MESSAGE_TYPES.answerPayload, claims: { value: 1 }, ttlSeconds: 60 };

    expect(isSealedFor(await sealMessage(tax, { ...message, to: 'pension-agency' }), pensionKid)).toBe(true);
    expect(isSealedFor(await sealMessage(tax, { ...message, to: 'health-agency' }), pensionKid)).toBe(false);
    expect(isSealedFor(await signMessage(tax, { ...message, to: 'pension-agency' }), pensionKid)).toBe(false);
    expect(isSealedFor('annual income: 3,200,000 yen', pensionKid)).toBe(false);
    expect(isSealedFor('a.b.c.d.e', pensionKid)).toBe(false);
  });
});
