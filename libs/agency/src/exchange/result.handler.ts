import { Inject, Logger } from '@nestjs/common';
import { InboundHandler, ResultReceiver, type InboundMessage, type InboundMessageHandler } from '@myna/messaging';
import { JOB_NAMES } from '@myna/protocol';
import { InquiryRepository } from './inquiry.repository';

/** DESIGN §5 step 5, the requester's side: the shared receiver opens the answer and settles; a result for no inquiry of this agency's is refused. */
@InboundHandler(JOB_NAMES.result)
export class ResultHandler implements InboundMessageHandler<'result'> {
  private readonly logger = new Logger('result');

  constructor(
    @Inject(ResultReceiver) private readonly results: ResultReceiver,
    @Inject(InquiryRepository) private readonly inquiries: InquiryRepository,
  ) {}

  async handle(result: InboundMessage<'result'>): Promise<void> {
    const settled = await this.results.receive(result, this.inquiries, { unknown: 'reject' });
    if (settled) this.logger.log({ inquiryId: settled.inquiryId, status: settled.status }, 'inquiry settled');
  }
}
