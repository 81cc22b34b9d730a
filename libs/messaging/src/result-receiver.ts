import { Inject, Injectable } from '@nestjs/common';
import { openResult, settle, type Service, type Settlement } from '@myna/protocol';
import type { InboundMessage } from './inbound-handler';
import { InboundEnvelope } from './inbound-envelope';
import { MessageRejections } from './message-rejections';

/** What a requester keeps of the inquiries it made (an agency's `inquiry`, the portal's `self_disclosure`). */
export interface RequesterInquiries {
  /** The inquiry a result answers, if this party made it and still keeps it. */
  find(inquiryId: string): Promise<{ provider: string; item: string; status: string } | null>;
  /** Settles the inquiry if it is still pending; a settled one is left as it is. */
  settle(inquiryId: string, settlement: Settlement): Promise<void>;
}

export interface ReceivedResult {
  inquiryId: string;
  provider: Service;
  status: Settlement['status'];
}

/**
 * DESIGN §5 step 5, the requester's side, for every requester: given the hub's
 * RESULT (verified at the edge), find the inquiry it answers, verify the provider's
 * signed ANSWER inside it, open the payload sealed to this party (the hub could not
 * read it), and settle the inquiry once. A retried result changes nothing.
 */
@Injectable()
export class ResultReceiver {
  constructor(
    @Inject(InboundEnvelope) private readonly envelope: InboundEnvelope,
    @Inject(MessageRejections) private readonly rejections: MessageRejections,
  ) {}

  /**
   * Returns what was settled, or undefined when there was nothing to settle: already
   * settled, or (with `unknown: 'drop'`) an inquiry this party no longer keeps.
   */
  async receive(
    { job, claims: result }: InboundMessage<'result'>,
    inquiries: RequesterInquiries,
    { unknown }: { unknown: 'reject' | 'drop' },
  ): Promise<ReceivedResult | undefined> {
    const ring = this.envelope.keys();
    const inquiry = await inquiries.find(result.inquiryId);
    if (!inquiry) {
      if (unknown === 'drop') return undefined;
      return this.rejections.reject(job, 'unknown-inquiry', `no inquiry ${result.inquiryId} was made here`);
    }
    if (inquiry.status !== 'pending') return undefined;
    const provider = inquiry.provider as Service;
    const opened = await this.rejections.envelope(job, () => openResult(ring, result, { provider, item: inquiry.item }));
    const settlement = settle(opened);
    await inquiries.settle(result.inquiryId, settlement);
    return { inquiryId: result.inquiryId, provider, status: settlement.status };
  }
}
