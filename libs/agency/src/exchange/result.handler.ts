import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryDeepPartialEntity } from 'typeorm';
import type { InboundHandler, InboundJob } from '@myna/messaging';
import { SERVICE_KEYS } from '@myna/platform';
import { JOB_NAMES, openResult, ServiceKeyRing, settle, verifyResult, type Service } from '@myna/protocol';
import { Inquiry } from './exchange.entities';
import { checkEnvelope, rejectMessage } from './rejections';

/** DESIGN §5 step 5, the requester's side: verify the hub and the provider, decrypt, store the result. */
@Injectable()
export class ResultHandler implements InboundHandler {
  readonly jobName = JOB_NAMES.result;
  private readonly logger = new Logger('result');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeyRing,
  ) {}

  async handle(token: string, job: InboundJob): Promise<void> {
    const result = await checkEnvelope(this.dataSource, job, () => verifyResult(this.keys, token));
    const inquiries = this.dataSource.getRepository(Inquiry);
    const inquiry = await inquiries.findOneBy({ id: result.inquiryId });
    if (!inquiry) return rejectMessage(this.dataSource, job, 'unknown-inquiry', `no inquiry ${result.inquiryId} was made here`);
    if (inquiry.status !== 'pending') return; // already settled: a retried result changes nothing

    const opened = await checkEnvelope(this.dataSource, job, () => openResult(this.keys, result, { provider: inquiry.provider as Service, item: inquiry.item }));
    // A result is a JSON object, which TypeORM's typing of jsonb columns cannot tell.
    const settled = settle(opened) as QueryDeepPartialEntity<Inquiry>;
    await inquiries.update({ id: inquiry.id, status: 'pending' }, { ...settled, answeredAt: new Date(), receipt: (result.receipt ?? null) as QueryDeepPartialEntity<Inquiry>['receipt'] });
    this.logger.log({ inquiryId: inquiry.id, status: opened.status }, 'inquiry settled');
  }
}
