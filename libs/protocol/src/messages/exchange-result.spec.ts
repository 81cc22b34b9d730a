import { ANSWER_DEADLINE_SECONDS, MESSAGE_TTL_SECONDS, resultClaimsSchema, exchangeRecordClaimsSchema } from './exchange';
import { settle } from './exchange-result';

describe('how a requester records a result', () => {
  it('keeps answers and no-records with their value, and denials with their reason', () => {
    expect(settle({ status: 'answered', value: { incomeYen: 1 } })).toEqual({ status: 'answered', result: { incomeYen: 1 } });
    expect(settle({ status: 'no-record', value: null })).toEqual({ status: 'no-record', result: null });
    expect(settle({ status: 'denied', reason: 'no rule' })).toEqual({ status: 'denied', reason: 'no rule' });
  });

  it('records an exchange the provider never answered as a failed inquiry, with the reason', () => {
    expect(settle({ status: 'expired', reason: 'tax-agency did not answer' })).toEqual({ status: 'failed', reason: 'tax-agency did not answer' });
  });
});

describe('an exchange nobody answers', () => {
  it('is closed only after the delivery and any answer to it have expired, with a margin', () => {
    expect(ANSWER_DEADLINE_SECONDS).toBeGreaterThan(2 * MESSAGE_TTL_SECONDS);
  });

  it('has its own result status, and its own status in the citizen’s record', () => {
    expect(resultClaimsSchema.parse({ inquiryId: '6e2a3b4c-5d6e-4f7a-8b9c-0d1e2f3a4b5c', status: 'expired', reason: 'late' }).status).toBe('expired');
    expect(exchangeRecordClaimsSchema.shape.status.options).toContain('unanswered');
  });
});

describe('per-party handles', () => {
  it('give the requester its inquiry id only: a result names no other handle', () => {
    // The receipt holds the requester's own leaf, whose commitment only its inquiry id and nonce open.
    expect(Object.keys(resultClaimsSchema.shape).sort()).toEqual(['inquiryId', 'payload', 'reason', 'receipt', 'status']);
  });
});
