import { randomUUID } from 'node:crypto';
import type { Settlement, VerifiedMessage } from '@myna/protocol';
import type { InboundEnvelope } from './inbound-envelope';
import type { InboundMessage } from './inbound-handler';
import { MessageRejections, type NewRejection, type RejectedMessageRepository } from './message-rejections';
import { RejectedMessageError } from './messaging.exception';
import { RequesterResultHandler, type RequesterInquiries } from './requester-result.handler';

/** A requester's inquiries in memory (the real ones are repositories, tested on PostgreSQL). */
class InquiriesInMemory implements RequesterInquiries {
  readonly settled: { inquiryId: string; settlement: Settlement }[] = [];
  constructor(
    readonly whenUnknown: 'reject' | 'drop',
    private readonly rows: Map<string, { provider: string; item: string; status: string }> = new Map(),
  ) {}
  async awaited(inquiryId: string) {
    return this.rows.get(inquiryId) ?? null;
  }
  async settle(inquiryId: string, settlement: Settlement) {
    this.settled.push({ inquiryId, settlement });
  }
}

function handlerFor(inquiries: RequesterInquiries) {
  const recorded: NewRejection[] = [];
  const repository = { record: async (rejection: NewRejection) => void recorded.push(rejection) } as unknown as RejectedMessageRepository;
  // No payload is opened in these cases: a key ring with no keys.
  const envelope = { keys: () => ({}) } as unknown as InboundEnvelope;
  return { handler: new RequesterResultHandler(inquiries, envelope, new MessageRejections(repository, 'tax-agency')), recorded };
}

const result = (inquiryId: string): InboundMessage<'result'> => ({
  job: { id: `job-${inquiryId}`, name: 'result', attemptsMade: 0, sender: 'exchange-hub' },
  message: { id: randomUUID(), from: 'exchange-hub' } as VerifiedMessage,
  claims: { inquiryId, status: 'denied', reason: 'no rule permits it' },
});

describe('a requester’s result handler, the same for agencies and the portal', () => {
  it('refuses, records and dead-letters a result for an inquiry an agency never made', async () => {
    const { handler, recorded } = handlerFor(new InquiriesInMemory('reject'));
    const inquiryId = randomUUID();
    await expect(handler.handle(result(inquiryId))).rejects.toThrow(RejectedMessageError);
    expect(recorded).toEqual([expect.objectContaining({ jobId: `job-${inquiryId}`, reason: 'unknown-inquiry', detail: `no inquiry ${inquiryId} was made here` })]);
  });

  it('drops a result for an inquiry the portal has forgotten (answers go at sign-out), recording nothing', async () => {
    const inquiries = new InquiriesInMemory('drop');
    const { handler, recorded } = handlerFor(inquiries);
    await expect(handler.handle(result(randomUUID()))).resolves.toBeUndefined();
    expect(recorded).toEqual([]);
    expect(inquiries.settled).toEqual([]);
  });

  it('leaves an inquiry already settled as it is', async () => {
    const inquiryId = randomUUID();
    const inquiries = new InquiriesInMemory('reject', new Map([[inquiryId, { provider: 'tax-agency', item: 'annual-income', status: 'answered' }]]));
    const { handler, recorded } = handlerFor(inquiries);
    await handler.handle(result(inquiryId));
    expect(inquiries.settled).toEqual([]);
    expect(recorded).toEqual([]);
  });

  it('settles a pending inquiry the hub denied, with the hub’s reason', async () => {
    const inquiryId = randomUUID();
    const inquiries = new InquiriesInMemory('reject', new Map([[inquiryId, { provider: 'health-agency', item: 'medical-claims', status: 'pending' }]]));
    // A denial carries no payload: nothing to open, so no key is needed.
    const { handler } = handlerFor(inquiries);
    await handler.handle(result(inquiryId));
    expect(inquiries.settled).toEqual([{ inquiryId, settlement: { status: 'denied', reason: 'no rule permits it' } }]);
  });
});
