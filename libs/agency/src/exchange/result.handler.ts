import { Inject, Injectable, Logger } from '@nestjs/common';
import { InboundHandler, ResultReceiver, type InboundJob, type InboundMessageHandler } from '@myna/messaging';
import { JOB_NAMES } from '@myna/protocol';
import { InquiryRepository } from './inquiry.repository';

/** DESIGN §5 step 5, the requester's side: the shared receiver verifies, opens and settles; a result for no inquiry of this agency's is refused. */
@Injectable()
@InboundHandler(JOB_NAMES.result)
export class ResultHandler implements InboundMessageHandler {
  private readonly logger = new Logger('result');

  constructor(
    @Inject(ResultReceiver) private readonly results: ResultReceiver,
    @Inject(InquiryRepository) private readonly inquiries: InquiryRepository,
  ) {}

  async handle(token: string, job: InboundJob): Promise<void> {
    const settled = await this.results.receive(job, token, this.inquiries, { unknown: 'reject' });
    if (settled) this.logger.log({ inquiryId: settled.inquiryId, status: settled.status }, 'inquiry settled');
  }
}
