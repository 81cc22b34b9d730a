import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { InboundHandler, InboundJob } from '@myna/messaging';
import { CodesError, parseCiphertext, type Ciphertext } from '@myna/codes';
import {
  CODE_HOLDERS,
  inquiryClaimsSchema,
  JOB_NAMES,
  LegalTable,
  MESSAGE_MAX_AGE_SECONDS,
  MESSAGE_TYPES,
  type CodeHolder,
  type InquiryClaims,
  type VerifiedMessage,
} from '@myna/protocol';
import { ExchangeLogRepository, type NewExchange } from '../exchange-log/exchange-log.repository';
import { MessageRejections } from '../rejections/message-rejections';
import { BlindTranslator } from './blind-translator';
import { ExchangeClosings } from './exchange-closings';
import { ExchangeDispatcher, type DispatchableExchange } from './exchange-dispatcher';
import { HubMessages } from './hub-messages';
import { InboundEnvelope } from './inbound-envelope';
import { decideLegalBasis } from './legal-basis';

/**
 * DESIGN §5 step 3. Verifies an INQUIRY, refuses replays, checks the legal table,
 * then either denies it (result to the requester, record to the portal, nothing to
 * the provider) or translates the subject blindly and delivers an opaque token to
 * the provider. The exchange is recorded before anything is sent.
 */
@Injectable()
export class InquiryHandler implements InboundHandler {
  readonly jobName = JOB_NAMES.inquiry;
  private readonly logger = new Logger('exchange-hub inquiries');

  constructor(
    @Inject(InboundEnvelope) private readonly envelope: InboundEnvelope,
    @Inject(LegalTable) private readonly legalTable: LegalTable,
    @Inject(BlindTranslator) private readonly translator: BlindTranslator,
    @Inject(HubMessages) private readonly messages: HubMessages,
    @Inject(ExchangeClosings) private readonly closings: ExchangeClosings,
    @Inject(ExchangeLogRepository) private readonly log: ExchangeLogRepository,
    @Inject(ExchangeDispatcher) private readonly dispatcher: ExchangeDispatcher,
    @Inject(MessageRejections) private readonly rejections: MessageRejections,
  ) {}

  async handle(token: string, job: InboundJob): Promise<void> {
    const { message, claims } = await this.envelope.open(
      job,
      token,
      { type: MESSAGE_TYPES.inquiry, from: CODE_HOLDERS, maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS },
      inquiryClaimsSchema,
    );
    if (message.id !== claims.inquiryId) {
      return this.rejections.reject(job, 'invalid-claims', `message id ${message.id} is not the inquiryId ${claims.inquiryId}`, message);
    }
    if (await this.log.findSeen(message.id)) return this.resume(job, message);

    let subject: Ciphertext;
    try {
      subject = parseCiphertext(claims.subject);
    } catch (error) {
      if (!(error instanceof CodesError)) throw error;
      return this.rejections.reject(job, 'invalid-claims', `subject: ${error.message}`, message);
    }

    const exchange = await this.prepare(job, message.from as CodeHolder, claims, subject);
    const recorded = await this.log.open(exchange, { id: message.id, sender: message.from, jobId: job.id, expiresAt: new Date(message.expiresAt * 1000) });
    // Another job carrying the same inquiry recorded it first: that job sends, this one is a replay.
    if (recorded === 'already-seen') return this.resume(job, message);
    await this.send(exchange);
  }

  /** A message id already recorded: the same job again resumes (a retry after a crash); any other job is a replay. */
  private async resume(job: InboundJob, message: VerifiedMessage): Promise<void> {
    const seen = await this.log.findSeen(message.id);
    if (!seen || seen.jobId !== job.id || seen.sender !== message.from) {
      return this.rejections.reject(job, 'replayed', `inquiry ${message.id} was already received in another job`, message);
    }
    const exchange = await this.log.findByInquiry(message.id);
    if (!exchange) throw new Error(`inquiry ${message.id} was seen but has no exchange`);
    if (exchange.status === 'delivered' || exchange.status === 'denied') await this.send(exchange);
    // Answered or no-record: the exchange has moved on, and the inquiry's part is done.
  }

  private async prepare(job: InboundJob, requester: CodeHolder, claims: InquiryClaims, subject: Ciphertext): Promise<NewExchange> {
    const exchangeId = randomUUID();
    const request = { requester, provider: claims.provider, rule: claims.rule, item: claims.item };
    const common = { id: exchangeId, inquiryId: claims.inquiryId, inquiryJobId: job.id, ...request, requesterSubject: subject.toText() };
    const route = this.route(request, subject);

    if ('denial' in route) return { ...common, deliveryToken: null, ...(await this.closings.denied(common, route.denial)) };

    return {
      ...common,
      status: 'delivered',
      reason: null,
      deliveryToken: await this.messages.delivery(claims.provider, {
        exchangeId,
        requester,
        rule: claims.rule,
        item: claims.item,
        parameters: claims.parameters,
        subject: route.providerSubject.toText(),
      }),
      resultToken: null,
      recordToken: null,
      closedAt: null,
    };
  }

  /** The legal basis, then the translation it allows: Enc(Y_requester, P_requester) → Enc(Y_provider, P_provider). */
  private route(
    request: { requester: CodeHolder; provider: CodeHolder; rule: string; item: string },
    subject: Ciphertext,
  ): { providerSubject: Ciphertext } | { denial: string } {
    const decision = decideLegalBasis(this.legalTable, request);
    if (!decision.permitted) return { denial: decision.reason };
    try {
      return { providerSubject: this.translator.forProvider(request.requester, request.provider, subject) };
    } catch (error) {
      if (!(error instanceof CodesError) || error.reason !== 'pair-not-permitted') throw error;
      // The table permits it but the key ceremony gave no factors (stale keys): deny rather than guess.
      return { denial: `${decision.rule.id} permits it, but the hub holds no translation factors for ${request.requester} → ${request.provider}` };
    }
  }

  private async send(exchange: DispatchableExchange): Promise<void> {
    if (exchange.status === 'denied') await this.dispatcher.conclude(exchange);
    else await this.dispatcher.deliver(exchange);
    const { id: exchangeId, inquiryId, requester, provider, rule, item, status, reason } = exchange;
    this.logger.log({ exchangeId, inquiryId, requester, provider, rule, item, status, reason: reason ?? undefined }, `exchange ${status}`);
  }
}
