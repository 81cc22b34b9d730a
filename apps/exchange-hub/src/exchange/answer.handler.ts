import { Inject, Injectable, Logger } from '@nestjs/common';
import type { InboundHandler, InboundJob } from '@myna/messaging';
import {
  AGENCIES,
  answerClaimsSchema,
  JOB_NAMES,
  MESSAGE_MAX_AGE_SECONDS,
  MESSAGE_TYPES,
  type VerifiedMessage,
} from '@myna/protocol';
import type { ExchangeEntity } from '../exchange-log/exchange.entity';
import { ExchangeLogRepository } from '../exchange-log/exchange-log.repository';
import { HubKeys } from '../hub-keys/hub-keys';
import { MessageRejections } from '../rejections/message-rejections';
import { ExchangeClosings } from './exchange-closings';
import { ExchangeDispatcher } from './exchange-dispatcher';
import { InboundEnvelope } from './inbound-envelope';
import { isSealedFor } from './sealed-payload';

/**
 * DESIGN §5 steps 5 and 6. Verifies the provider's ANSWER, closes the exchange,
 * relays the answer unchanged to the requester inside a hub-signed RESULT, and
 * sends the portal its EXCHANGE_RECORD. The hub never reads the payload: it is a
 * JWE for the requester.
 */
@Injectable()
export class AnswerHandler implements InboundHandler {
  readonly jobName = JOB_NAMES.answer;
  private readonly logger = new Logger('exchange-hub answers');

  constructor(
    @Inject(InboundEnvelope) private readonly envelope: InboundEnvelope,
    @Inject(HubKeys) private readonly keys: HubKeys,
    @Inject(ExchangeClosings) private readonly closings: ExchangeClosings,
    @Inject(ExchangeLogRepository) private readonly log: ExchangeLogRepository,
    @Inject(ExchangeDispatcher) private readonly dispatcher: ExchangeDispatcher,
    @Inject(MessageRejections) private readonly rejections: MessageRejections,
  ) {}

  async handle(token: string, job: InboundJob): Promise<void> {
    const { message, claims } = await this.envelope.open(
      job,
      token,
      { type: MESSAGE_TYPES.answer, from: AGENCIES, maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS },
      answerClaimsSchema,
    );
    const seen = await this.log.findSeen(message.id);
    if (seen && (seen.jobId !== job.id || seen.sender !== message.from)) {
      return this.rejections.reject(job, 'replayed', `answer ${message.id} was already received in another job`, message);
    }

    const exchange = await this.log.findExchange(claims.exchangeId);
    if (!exchange) return this.rejections.reject(job, 'unknown-exchange', `no exchange ${claims.exchangeId}`, message);
    if (message.from !== exchange.provider) {
      return this.rejections.reject(job, 'misaddressed', `${message.from} answered exchange ${exchange.id}, which is for ${exchange.provider}`, message);
    }
    const audience = ([] as unknown[]).concat(message.claims.aud);
    if (!audience.includes(exchange.requester)) {
      return this.rejections.reject(job, 'misaddressed', `the answer is not addressed to the requester ${exchange.requester}`, message);
    }
    if (exchange.status === 'denied') {
      return this.rejections.reject(job, 'not-delivered', `exchange ${exchange.id} was denied and never delivered`, message);
    }
    if (exchange.status === 'expired') return this.tooLate(job, message, exchange);
    if (exchange.status !== 'delivered') return this.closedAlready(job, message, exchange);
    if (!isSealedFor(claims.payload, this.keys.ring.recipient(exchange.requester).kid)) {
      return this.rejections.reject(job, 'payload-not-sealed', `the answer payload is not a JWE for ${exchange.requester}`, message);
    }

    const closing = await this.closings.answered(exchange, message, token, claims.outcome);
    const closed = await this.log.close(exchange.id, closing, {
      id: message.id,
      sender: message.from,
      jobId: job.id,
      expiresAt: new Date(message.expiresAt * 1000),
    });
    if (closed === 'already-seen') {
      return this.rejections.reject(job, 'replayed', `answer ${message.id} was already received in another job`, message);
    }
    if (closed === 'not-open') {
      const current = await this.log.findExchange(exchange.id);
      if (current?.answerMessageId === message.id) {
        return this.rejections.reject(job, 'replayed', `answer ${message.id} was already received in another job`, message);
      }
      if (current?.status === 'expired') return this.tooLate(job, message, current);
      return this.rejections.reject(job, 'already-answered', `exchange ${exchange.id} was closed by another answer`, message);
    }
    await this.conclude({ ...exchange, ...closing });
  }

  private tooLate(job: InboundJob, message: VerifiedMessage, exchange: ExchangeEntity): Promise<void> {
    const closedAt = exchange.closedAt?.toISOString() ?? 'its deadline';
    return this.rejections.reject(job, 'exchange-expired', `exchange ${exchange.id} was closed unanswered at ${closedAt}: the answer came too late`, message);
  }

  /** The same answer again in the same job (a retry) re-sends the outcome; a different answer is refused. */
  private async closedAlready(job: InboundJob, message: VerifiedMessage, exchange: ExchangeEntity): Promise<void> {
    if (exchange.answerMessageId !== message.id) {
      return this.rejections.reject(job, 'already-answered', `exchange ${exchange.id} is already ${exchange.status}`, message);
    }
    await this.conclude(exchange);
  }

  private async conclude(exchange: ExchangeEntity): Promise<void> {
    await this.dispatcher.conclude(exchange);
    const { id: exchangeId, inquiryId, requester, provider, rule, item, status } = exchange;
    this.logger.log({ exchangeId, inquiryId, requester, provider, rule, item, status }, `exchange ${status}`);
  }
}
