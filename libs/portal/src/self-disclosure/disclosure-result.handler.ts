import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryDeepPartialEntity } from 'typeorm';
import { RejectedMessageError, type InboundHandler, type InboundJob } from '@myna/messaging';
import { SERVICE_KEYS } from '@myna/platform';
import { EnvelopeError, JOB_NAMES, openResult, ServiceKeyRing, settle, verifyResult, type Service } from '@myna/protocol';
import { SelfDisclosure } from './self-disclosure.entity';
import { SELF_DISCLOSURE_ITEM } from './self-disclosure.service';

/**
 * DESIGN §5 step 5, with the portal as requester: verify the hub's RESULT, then
 * the provider's signed ANSWER inside it, then open the payload sealed to the
 * portal (the hub could not read it), and keep the answer for the citizen.
 */
@Injectable()
export class DisclosureResultHandler implements InboundHandler {
  readonly jobName = JOB_NAMES.result;
  private readonly logger = new Logger('self-disclosure result');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeyRing,
  ) {}

  async handle(token: string, _job: InboundJob): Promise<void> {
    const result = await envelope(() => verifyResult(this.keys, token));
    const repository = this.dataSource.getRepository(SelfDisclosure);
    const disclosure = await repository.findOneBy({ inquiryId: result.inquiryId });
    // Answers are forgotten at sign-out; a result arriving after that has no one to show it to.
    if (!disclosure) return this.logger.log({ inquiryId: result.inquiryId }, 'result for a forgotten self-disclosure dropped');
    if (disclosure.status !== 'pending') return;

    const provider = disclosure.provider as Service;
    const opened = await envelope(() => openResult(this.keys, result, { provider, item: SELF_DISCLOSURE_ITEM }));
    // A result is a JSON object, which TypeORM's typing of jsonb columns cannot tell.
    const settled = settle(opened) as QueryDeepPartialEntity<SelfDisclosure>;
    await repository.update({ inquiryId: disclosure.inquiryId, status: 'pending' }, { ...settled, answeredAt: new Date(), receipt: (result.receipt ?? null) as QueryDeepPartialEntity<SelfDisclosure>['receipt'] });
    this.logger.log({ inquiryId: disclosure.inquiryId, provider, outcome: opened.status }, 'self-disclosure settled');
  }
}

async function envelope<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof EnvelopeError) throw new RejectedMessageError(error.code, error.message);
    throw error;
  }
}
