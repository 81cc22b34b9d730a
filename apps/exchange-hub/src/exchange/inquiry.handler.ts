import { randomUUID } from 'node:crypto';
import { Inject, Logger } from '@nestjs/common';
import { InboundHandler, MessageRejections, type InboundJob, type InboundMessage, type InboundMessageHandler } from '@myna/messaging';
import { CodesError, parseCiphertext, type Ciphertext } from '@myna/codes';
import { JOB_NAMES, LegalTable, type CodeHolder, type InquiryClaims, type VerifiedMessage } from '@myna/protocol';
import { ExchangeLogRepository, type NewExchange, type OutboundMessage } from '../exchange-log/exchange-log.repository';
import { BlindTranslator } from './blind-translator';
import { ExchangeClosings } from './exchange-closings';
import { HubMessages } from './hub-messages';
import { decideLegalBasis } from './legal-basis';
import { OutboundMix } from './outbound-mix';

/**
 * DESIGN §5 step 3. Given an INQUIRY (verified at the edge), refuses replays, checks the legal table,
 * then either denies it (result to the requester, record to the portal, nothing to
 * the provider) or translates the subject blindly and delivers an opaque token to
 * the provider under a handle of its own. The exchange, the seen inquiry and the
 * messages to send are recorded in one transaction; the mix sends the messages.
 */
@InboundHandler(JOB_NAMES.inquiry)
export class InquiryHandler implements InboundMessageHandler<'inquiry'> {
  private readonly logger = new Logger('exchange-hub inquiries');

  constructor(
    @Inject(LegalTable) private readonly legalTable: LegalTable,
    @Inject(BlindTranslator) private readonly translator: BlindTranslator,
    @Inject(HubMessages) private readonly messages: HubMessages,
    @Inject(ExchangeClosings) private readonly closings: ExchangeClosings,
    @Inject(ExchangeLogRepository) private readonly log: ExchangeLogRepository,
    @Inject(OutboundMix) private readonly mix: OutboundMix,
    @Inject(MessageRejections) private readonly rejections: MessageRejections,
  ) {}

  async handle({ job, message, claims }: InboundMessage<'inquiry'>): Promise<void> {
    if (message.id !== claims.inquiryId) {
      return this.rejections.reject(job, 'invalid-claims', `message id ${message.id} is not the inquiryId ${claims.inquiryId}`, message);
    }
    // A replay or a retry is found when the exchange is recorded (the seen inquiry is part of it), not
    // by a read before: the first time, which is every time but those, costs one query less.

    let subjects: { subject: Ciphertext; recordSubject: Ciphertext };
    try {
      subjects = { subject: parseCiphertext(claims.subject), recordSubject: parseCiphertext(claims.recordSubject) };
    } catch (error) {
      if (!(error instanceof CodesError)) throw error;
      return this.rejections.reject(job, 'invalid-claims', `subject: ${error.message}`, message);
    }

    const { exchange, outbound } = await this.prepare(job, message.from as CodeHolder, claims, subjects);
    const recorded = await this.log.open(exchange, outbound, { id: message.id, sender: message.from, jobId: job.id, expiresAt: new Date(message.expiresAt * 1000) });
    // Another job carrying the same inquiry recorded it first: that job sends, this one is a replay.
    if (recorded === 'already-seen') return this.resume(job, message);
    await this.mix.release(outbound);
    const { id: exchangeId, requester, provider, rule, item, status, reason } = exchange;
    this.logger.log({ exchangeId, requester, provider, rule, item, status, reason: reason ?? undefined }, `exchange ${status}`);
  }

  /**
   * A message id already recorded: the same job again is a retry after a crash, whose
   * exchange and messages were committed together (the mix sends what is left); any other job is a replay.
   */
  private async resume(job: InboundJob, message: VerifiedMessage): Promise<void> {
    const seen = await this.log.findSeen(message.from, message.id);
    if (!seen || seen.jobId !== job.id) {
      return this.rejections.reject(job, 'replayed', `inquiry ${message.id} was already received in another job`, message);
    }
  }

  private async prepare(
    job: InboundJob,
    requester: CodeHolder,
    claims: InquiryClaims,
    subjects: { subject: Ciphertext; recordSubject: Ciphertext },
  ): Promise<{ exchange: NewExchange; outbound: OutboundMessage[] }> {
    const request = { requester, provider: claims.provider, rule: claims.rule, item: claims.item };
    const common = { id: randomUUID(), inquiryId: claims.inquiryId, inquiryJobId: job.id, portalHandle: randomUUID(), ...request };
    const route = this.route(request, subjects.subject);

    if ('denial' in route) {
      const { closedAt, outbound } = await this.closings.denied({ ...common, recordSubject: claims.recordSubject }, route.denial);
      return { exchange: { ...common, status: 'denied', reason: route.denial, providerHandle: null, recordSubject: null, closedAt }, outbound };
    }
    const providerHandle = randomUUID();
    const delivery = this.messages.delivery(
      claims.provider,
      { handle: providerHandle, requester, rule: claims.rule, item: claims.item, parameters: claims.parameters, subject: route.providerSubject.toText() },
      request,
    );
    return {
      exchange: { ...common, status: 'delivered', reason: null, providerHandle, recordSubject: subjects.recordSubject.toText(), closedAt: null },
      outbound: [delivery],
    };
  }

  /** The legal basis, then the translation it allows: Enc(Y_requester→provider, P_requester) → Enc(Y_provider←requester, P_provider←requester). */
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
}
