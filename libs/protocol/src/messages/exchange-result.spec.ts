import { ANSWER_DEADLINE_SECONDS, MESSAGE_TTL_SECONDS, resultClaimsSchema, exchangeRecordClaimsSchema } from './exchange';
import { settle } from './exchange-result';

describe('how a requester records a result', () => {
  const exchangeId = '5d1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';

  it('keeps answers and no-records with their value, and denials with their reason', () => {
    expect(settle({ status: 'answered', exchangeId, value: { incomeYen: 1 } })).toEqual({ status: 'answered', result: { incomeYen: 1 } });
    expect(settle({ status: 'no-record', exchangeId, value: null })).toEqual({ status: 'no-record', result: null });
    expect(settle({ status: 'denied', exchangeId, reason: 'no rule' })).toEqual({ status: 'denied', reason: 'no rule' });
  });

  it('records an exchange the provider never answered as a failed inquiry, with the reason', () => {
    expect(settle({ status: 'expired', exchangeId, reason: 'tax-agency did not answer' })).toEqual({ status: 'failed', reason: 'tax-agency did not answer' });
  });
});

describe('an exchange nobody answers', () => {
  it('is closed only after the delivery and any answer to it have expired, with a margin', () => {
    expect(ANSWER_DEADLINE_SECONDS).toBeGreaterThan(2 * MESSAGE_TTL_SECONDS);
  });

  it('has its own result status, and its own status in the citizen’s record', () => {
    const base = { inquiryId: '6e2a3b4c-5d6e-4f7a-8b9c-0d1e2f3a4b5c', exchangeId: '5d1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b' };
    expect(resultClaimsSchema.parse({ ...base, status: 'expired', reason: 'late' }).status).toBe('expired');
    expect(exchangeRecordClaimsSchema.shape.status.options).toContain('unanswered');
  });
});
