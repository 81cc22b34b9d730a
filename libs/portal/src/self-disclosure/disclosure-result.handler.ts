import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RejectedMessageError, type InboundHandler, type InboundJob } from '@myna/messaging';
import { SERVICE_KEYS } from '@myna/platform';
import {
  answerClaimsSchema,
  answerPayloadClaimsSchema,
  EnvelopeError,
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
import { SelfDisclosure } from './self-disclosure.entity';

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
    const message = await envelope(() => verifyMessage(this.keys, token, { type: MESSAGE_TYPES.result, from: [EXCHANGE_HUB], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS }));
    const parsed = resultClaimsSchema.safeParse(message.claims);
    if (!parsed.success) throw new RejectedMessageError('malformed', 'result claims do not match the protocol');
    const result = parsed.data;
    const repository = this.dataSource.getRepository(SelfDisclosure);
    const disclosure = await repository.findOneBy({ inquiryId: result.inquiryId });
    // Answers are forgotten at sign-out; a result arriving after that has no one to show it to.
    if (!disclosure) return this.logger.log({ inquiryId: result.inquiryId }, 'result for a forgotten self-disclosure dropped');
    if (disclosure.status !== 'pending') return;

    if (result.status === 'denied') {
      await repository.update({ inquiryId: disclosure.inquiryId, status: 'pending' }, { status: 'denied', reason: result.reason ?? 'denied by the exchange hub', exchangeId: result.exchangeId, answeredAt: new Date() });
      return;
    }
    if (!result.answer) throw new RejectedMessageError('malformed', 'an answered result carries no answer');
    const provider = disclosure.provider as Service;
    const answer = await envelope(() => verifyMessage(this.keys, result.answer!, { type: MESSAGE_TYPES.answer, from: [provider], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS }));
    const answerClaims = answerClaimsSchema.safeParse(answer.claims);
    if (!answerClaims.success || answerClaims.data.exchangeId !== result.exchangeId) {
      throw new RejectedMessageError('malformed', 'the answer does not belong to this exchange');
    }
    const payload = await envelope(() =>
      openMessage(this.keys, answerClaims.data.payload, { type: MESSAGE_TYPES.answerPayload, from: [provider], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS }),
    );
    const value = answerPayloadClaimsSchema.safeParse(payload.claims);
    if (!value.success || value.data.exchangeId !== result.exchangeId) {
      throw new RejectedMessageError('malformed', 'the answer payload does not belong to this exchange');
    }
    const outcome = answerClaims.data.outcome;
    await repository.update(
      { inquiryId: disclosure.inquiryId, status: 'pending' },
      { status: outcome, result: (outcome === 'answered' ? value.data.value : null) as SelfDisclosure['result'] & object, exchangeId: result.exchangeId, answeredAt: new Date() },
    );
    this.logger.log({ inquiryId: disclosure.inquiryId, provider, outcome }, 'self-disclosure answered');
  }
}

async function envelope<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof EnvelopeError) throw new RejectedMessageError(error.reason, error.message);
    throw error;
  }
}
