import { Inject, Logger } from '@nestjs/common';
import { JOB_NAMES, openResult, settle, type LogReceipt, type Service, type Settlement } from '@myna/protocol';
import { InboundHandler, type InboundMessage, type InboundMessageHandler } from './inbound-handler';
import { InboundEnvelope } from './inbound-envelope';
import { MessageRejections } from './message-rejections';

/** What a requester keeps of the inquiries it made (an agency's `inquiry`, the portal's `self_disclosure`). */
export interface RequesterInquiries {
  /** A result for an inquiry this party does not keep: refused, or (the portal forgets answers at sign-out) dropped. */
  readonly whenUnknown: 'reject' | 'drop';
  /** The inquiry a result answers, if this party made it and still keeps it. */
  awaited(inquiryId: string): Promise<{ provider: string; item: string; status: string } | null>;
  /** Settles the inquiry if it is still pending, keeping the hub's log receipt; a settled one is left as it is. */
  settle(inquiryId: string, settlement: Settlement, receipt: LogReceipt | null): Promise<void>;
}

/** Injection token: the party's RequesterInquiries (its own repository). */
export const REQUESTER_INQUIRIES = Symbol('REQUESTER_INQUIRIES');

/**
 * DESIGN §5 step 5, the requester's side, the same for every requester (agencies and
 * the portal provide it, with their own inquiries): given the hub's RESULT (verified
 * at the edge), find the inquiry it answers, verify the provider's signed ANSWER
 * inside it, open the payload sealed to this party (the hub could not read it), and
 * settle the inquiry once. A retried result changes nothing.
 */
@InboundHandler(JOB_NAMES.result)
export class RequesterResultHandler implements InboundMessageHandler<'result'> {
  private readonly logger = new Logger('result');

  constructor(
    @Inject(REQUESTER_INQUIRIES) private readonly inquiries: RequesterInquiries,
    @Inject(InboundEnvelope) private readonly envelope: InboundEnvelope,
    @Inject(MessageRejections) private readonly rejections: MessageRejections,
  ) {}

  async handle({ job, claims: result }: InboundMessage<'result'>): Promise<void> {
    const inquiry = await this.inquiries.awaited(result.inquiryId);
    if (!inquiry) {
      if (this.inquiries.whenUnknown === 'drop') return this.logger.log({ inquiryId: result.inquiryId }, 'result for a forgotten inquiry dropped');
      return this.rejections.reject(job, 'unknown-inquiry', `no inquiry ${result.inquiryId} was made here`);
    }
    if (inquiry.status !== 'pending') return;
    const provider = inquiry.provider as Service;
    const opened = await this.rejections.envelope(job, () => openResult(this.envelope.keys(), result, { provider, item: inquiry.item }));
    const settlement = settle(opened);
    await this.inquiries.settle(result.inquiryId, settlement, result.receipt ?? null);
    this.logger.log({ inquiryId: result.inquiryId, provider, status: settlement.status }, 'inquiry settled');
  }
}
