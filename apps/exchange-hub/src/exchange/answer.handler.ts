import { Inject, Logger } from '@nestjs/common';
import { InboundHandler, MessageRejections, type InboundJob, type InboundMessage, type InboundMessageHandler } from '@myna/messaging';
import { JOB_NAMES, type VerifiedMessage } from '@myna/protocol';
import { ExchangeLogRepository, type AnswerableExchange } from '../exchange-log/exchange-log.repository';
import { HubKeys } from '../hub-keys/hub-keys';
import { ExchangeClosings } from './exchange-closings';
import { OutboundMix } from './outbound-mix';
import { isSealedFor } from './sealed-payload';

/**
 * DESIGN §5 steps 5 and 6. Given the provider's ANSWER (verified at the edge; it names the
 * provider's handle), closes the exchange, relays the payload sealed to the
 * requester inside a hub-signed RESULT that names only the requester's inquiry
 * id, and sends the portal its EXCHANGE_RECORD under the portal's handle. The hub
 * never reads the payload, and deletes the ciphertexts it kept once it has closed.
 */
@InboundHandler(JOB_NAMES.answer)
export class AnswerHandler implements InboundMessageHandler<'answer'> {
  private readonly logger = new Logger('exchange-hub answers');

  constructor(
    @Inject(HubKeys) private readonly keys: HubKeys,
    @Inject(ExchangeClosings) private readonly closings: ExchangeClosings,
    @Inject(ExchangeLogRepository) private readonly log: ExchangeLogRepository,
    @Inject(OutboundMix) private readonly mix: OutboundMix,
    @Inject(MessageRejections) private readonly rejections: MessageRejections,
  ) {}

  async handle({ job, message, claims }: InboundMessage<'answer'>): Promise<void> {
    const exchange = await this.log.findByProviderHandle(claims.handle);
    // An answer is marked seen in the transaction that closes its exchange: while the exchange is
    // still delivered it cannot have been, so only an unknown or closed exchange needs the read.
    const seen = exchange?.status === 'delivered' ? null : await this.log.findSeen(message.from, message.id);
    if (seen) {
      // The same job again: its closing and messages were committed together; the mix sends what is left.
      if (seen.jobId === job.id) return;
      return this.rejections.reject(job, 'replayed', `answer ${message.id} was already received in another job`, message);
    }

    if (!exchange) return this.rejections.reject(job, 'unknown-exchange', `no exchange was delivered under handle ${claims.handle}`, message);
    if (message.from !== exchange.provider) {
      return this.rejections.reject(job, 'misaddressed', `${message.from} answered under a handle issued to ${exchange.provider}`, message);
    }
    if (exchange.status === 'expired') return this.tooLate(job, message, exchange);
    if (exchange.status !== 'delivered' || !exchange.recordSubject) {
      return this.rejections.reject(job, 'already-answered', `that exchange is already ${exchange.status}`, message);
    }
    if (!isSealedFor(claims.payload, this.keys.ring.recipient(exchange.requester).kid)) {
      return this.rejections.reject(job, 'payload-not-sealed', `the answer payload is not a JWE for ${exchange.requester}`, message);
    }

    const { closing, outbound } = await this.closings.answered(
      { ...exchange, recordSubject: exchange.recordSubject },
      { id: message.id, payload: claims.payload, outcome: claims.outcome },
    );
    const closed = await this.log.close(exchange, closing, outbound, {
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
      if (current?.status === 'expired') return this.tooLate(job, message, current);
      return this.rejections.reject(job, 'already-answered', 'that exchange was closed by another answer', message);
    }
    await this.mix.release(outbound);
    const { id: exchangeId, requester, provider, rule, item } = exchange;
    this.logger.log({ exchangeId, requester, provider, rule, item, status: closing.status }, `exchange ${closing.status}`);
  }

  private tooLate(job: InboundJob, message: VerifiedMessage, exchange: AnswerableExchange): Promise<void> {
    const closedAt = exchange.closedAt?.toISOString() ?? 'its deadline';
    return this.rejections.reject(job, 'exchange-expired', `that exchange was closed unanswered at ${closedAt}: the answer came too late`, message);
  }
}
