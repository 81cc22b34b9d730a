import { Inject, Logger } from '@nestjs/common';
import { InboundHandler, ResultReceiver, type InboundMessage, type InboundMessageHandler } from '@myna/messaging';
import { JOB_NAMES } from '@myna/protocol';
import { SelfDisclosureRepository } from './self-disclosure.repository';

/**
 * DESIGN §5 step 5, with the portal as requester: given the hub's RESULT (verified
 * at the edge), the shared receiver verifies the provider's signed ANSWER inside it, opens the payload
 * sealed to the portal (the hub could not read it) and keeps the answer for the
 * citizen. Answers are forgotten at sign-out: a result arriving after that has no
 * one to show it to, and is dropped.
 */
@InboundHandler(JOB_NAMES.result)
export class DisclosureResultHandler implements InboundMessageHandler<'result'> {
  private readonly logger = new Logger('self-disclosure result');

  constructor(
    @Inject(ResultReceiver) private readonly results: ResultReceiver,
    @Inject(SelfDisclosureRepository) private readonly disclosures: SelfDisclosureRepository,
  ) {}

  async handle(result: InboundMessage<'result'>): Promise<void> {
    const settled = await this.results.receive(result, this.disclosures, { unknown: 'drop' });
    if (settled) this.logger.log({ inquiryId: settled.inquiryId, provider: settled.provider, outcome: settled.status }, 'self-disclosure settled');
  }
}
