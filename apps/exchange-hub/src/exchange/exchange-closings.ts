import { Inject, Injectable } from '@nestjs/common';
import { parseCiphertext } from '@myna/codes';
import { ANSWER_DEADLINE_SECONDS, LegalTable, type ExchangeRecordClaims } from '@myna/protocol';
import type { ExchangeEntity } from '../exchange-log/exchange.entity';
import type { ExchangeClosing, OutboundMessage } from '../exchange-log/exchange-log.repository';
import { BlindTranslator } from './blind-translator';
import { HubMessages, type ExchangeFacts } from './hub-messages';
import { NO_RULE_PROCEDURE } from './legal-basis';

/** What an exchange's closing messages are about: the exchange as recorded, or as it is being recorded. */
export type ClosedExchange = Pick<ExchangeEntity, 'inquiryId' | 'requester' | 'provider' | 'portalHandle' | 'rule' | 'item'> & {
  recordSubject: string;
};

/**
 * How an exchange ends, with the messages it sends: the requester's RESULT and
 * the portal's EXCHANGE_RECORD, queued with the closing in one transaction.
 */
@Injectable()
export class ExchangeClosings {
  constructor(
    @Inject(LegalTable) private readonly legalTable: LegalTable,
    @Inject(BlindTranslator) private readonly translator: BlindTranslator,
    @Inject(HubMessages) private readonly messages: HubMessages,
  ) {}

  /** No rule permits it (or the hub cannot translate for the edge): nothing reaches the provider. */
  async denied(exchange: ClosedExchange, reason: string): Promise<{ closedAt: Date; outbound: OutboundMessage[] }> {
    const closedAt = new Date();
    return {
      closedAt,
      outbound: [
        this.messages.result(exchange.requester, { inquiryId: exchange.inquiryId, status: 'denied', reason }, facts(exchange)),
        this.record(exchange, 'denied', closedAt, reason),
      ],
    };
  }

  /** The provider answered: its sealed payload goes to the requester unchanged. */
  async answered(
    exchange: ClosedExchange,
    answer: { id: string; payload: string; outcome: 'answered' | 'no-record' },
  ): Promise<{ closing: ExchangeClosing; outbound: OutboundMessage[] }> {
    const closedAt = new Date();
    return {
      closing: { status: answer.outcome, answerMessageId: answer.id, closedAt },
      outbound: [
        this.messages.result(exchange.requester, { inquiryId: exchange.inquiryId, status: answer.outcome, payload: answer.payload }, facts(exchange)),
        this.record(exchange, 'permitted', closedAt),
      ],
    };
  }

  /** Nobody answered by the deadline: the requester learns it, and so does the citizen. */
  async expired(exchange: ClosedExchange): Promise<{ closing: ExchangeClosing; outbound: OutboundMessage[] }> {
    const closedAt = new Date();
    const reason = `${exchange.provider} did not answer within ${ANSWER_DEADLINE_SECONDS / 60} minutes of the delivery`;
    return {
      closing: { status: 'expired', answerMessageId: null, reason, closedAt },
      outbound: [
        this.messages.result(exchange.requester, { inquiryId: exchange.inquiryId, status: 'expired', reason }, facts(exchange)),
        this.record(exchange, 'unanswered', closedAt, reason),
      ],
    };
  }

  private record(exchange: ClosedExchange, status: ExchangeRecordClaims['status'], at: Date, reason?: string): OutboundMessage {
    const rule = this.legalTable.permits(exchange.requester, exchange.provider, exchange.item, exchange.rule);
    return this.messages.exchangeRecord({
      handle: exchange.portalHandle,
      subject: this.translator.forPortal(exchange.requester, parseCiphertext(exchange.recordSubject)).toText(),
      requester: exchange.requester,
      provider: exchange.provider,
      rule: exchange.rule,
      item: exchange.item,
      procedure: rule?.procedure ?? NO_RULE_PROCEDURE,
      status,
      reason,
      at: at.toISOString(),
    });
  }
}

function facts(exchange: ClosedExchange): ExchangeFacts {
  return { requester: exchange.requester, provider: exchange.provider, rule: exchange.rule, item: exchange.item };
}
