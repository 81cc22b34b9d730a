import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { InboundHandler, InboundJob } from '@myna/messaging';
import { SERVICE_KEYS } from '@myna/platform';
import {
  answerClaimsSchema,
  answerPayloadClaimsSchema,
  EXCHANGE_HUB,
  JOB_NAMES,
  MESSAGE_MAX_AGE_SECONDS,
  MESSAGE_TYPES,
  openMessage,
  resultClaimsSchema,
  ServiceKeyRing,
  verifyMessage,
  type Service,
} from '@myna/protocol';
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
    const message = await checkEnvelope(this.dataSource, job, () =>
      verifyMessage(this.keys, token, { type: MESSAGE_TYPES.result, from: [EXCHANGE_HUB], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS }),
    );
    const parsed = resultClaimsSchema.safeParse(message.claims);
    if (!parsed.success) return rejectMessage(this.dataSource, job, 'malformed', 'result claims do not match the protocol');
    const result = parsed.data;
    const inquiries = this.dataSource.getRepository(Inquiry);
    const inquiry = await inquiries.findOneBy({ id: result.inquiryId });
    if (!inquiry) return rejectMessage(this.dataSource, job, 'unknown-inquiry', `no inquiry ${result.inquiryId} was made here`);
    if (inquiry.status !== 'pending') return; // already settled: a retried result changes nothing

    if (result.status === 'denied') {
      await inquiries.update({ id: inquiry.id, status: 'pending' }, { status: 'denied', reason: result.reason ?? 'denied by the exchange hub', exchangeId: result.exchangeId, answeredAt: new Date() });
      this.logger.log({ inquiryId: inquiry.id, status: 'denied' }, 'inquiry denied');
      return;
    }
    if (!result.answer) return rejectMessage(this.dataSource, job, 'malformed', 'an answered result carries no answer');
    const provider = inquiry.provider as Service;
    const answer = await checkEnvelope(this.dataSource, job, () =>
      verifyMessage(this.keys, result.answer!, { type: MESSAGE_TYPES.answer, from: [provider], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS }),
    );
    const answerClaims = answerClaimsSchema.safeParse(answer.claims);
    if (!answerClaims.success || answerClaims.data.exchangeId !== result.exchangeId) {
      return rejectMessage(this.dataSource, job, 'malformed', 'the answer does not belong to this exchange');
    }
    const payload = await checkEnvelope(this.dataSource, job, () =>
      openMessage(this.keys, answerClaims.data.payload, { type: MESSAGE_TYPES.answerPayload, from: [provider], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS }),
    );
    const value = answerPayloadClaimsSchema.safeParse(payload.claims);
    if (!value.success || value.data.exchangeId !== result.exchangeId) {
      return rejectMessage(this.dataSource, job, 'malformed', 'the answer payload does not belong to this exchange');
    }
    await inquiries.update(
      { id: inquiry.id, status: 'pending' },
      {
        status: answerClaims.data.outcome,
        result: (answerClaims.data.outcome === 'answered' ? value.data.value : null) as Inquiry['result'] & object,
        exchangeId: result.exchangeId,
        answeredAt: new Date(),
      },
    );
    this.logger.log({ inquiryId: inquiry.id, exchangeId: result.exchangeId, status: answerClaims.data.outcome }, 'inquiry answered');
  }
}
