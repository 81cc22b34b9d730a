import { Inject, Injectable, Logger } from '@nestjs/common';
import { InboundHandler, ResultReceiver, type InboundJob, type InboundMessageHandler } from '@myna/messaging';
import { JOB_NAMES } from '@myna/protocol';
import { SelfDisclosureRepository } from './self-disclosure.repository';

/**
 * DESIGN §5 step 5, with the portal as requester: the shared receiver verifies the
 * hub's RESULT, then the provider's signed ANSWER inside it, opens the payload
 * sealed to the portal (the hub could not read it) and keeps the answer for the
 * citizen. Answers are forgotten at sign-out: a result arriving after that has no
 * one to show it to, and is dropped.
 */
@Injectable()
@InboundHandler(JOB_NAMES.result)
export class DisclosureResultHandler implements InboundMessageHandler {
  private readonly logger = new Logger('self-disclosure result');

  constructor(
    @Inject(ResultReceiver) private readonly results: ResultReceiver,
    @Inject(SelfDisclosureRepository) private readonly disclosures: SelfDisclosureRepository,
  ) {}

  async handle(token: string, job: InboundJob): Promise<void> {
    const settled = await this.results.receive(job, token, this.disclosures, { unknown: 'drop' });
    if (settled) this.logger.log({ inquiryId: settled.inquiryId, provider: settled.provider, outcome: settled.status }, 'self-disclosure settled');
  }
}
