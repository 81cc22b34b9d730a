import { Inject, Injectable } from '@nestjs/common';
import { parseCiphertext } from '@myna/codes';
import { ANSWER_DEADLINE_SECONDS, LegalTable, type ExchangeRecordClaims, type VerifiedMessage } from '@myna/protocol';
import type { ExchangeEntity } from '../exchange-log/exchange.entity';
import type { ExchangeClosing } from '../exchange-log/exchange-log.repository';
import { BlindTranslator } from './blind-translator';
import { HubMessages } from './hub-messages';
import { NO_RULE_PROCEDURE } from './legal-basis';

/** What an exchange's closing messages are about: the exchange as recorded, or as it is being recorded. */
export type ClosedExchange = Pick<ExchangeEntity, 'id' | 'inquiryId' | 'requester' | 'provider' | 'rule' | 'item' | 'requesterSubject'>;

/**
 * How an exchange ends, with the messages it sends: the requester's
 * RESULT and the portal's EXCHANGE_RECORD, built once and stored with the closing
 * so that a retry re-sends them unchanged.
 */
@Injectable()
export class ExchangeClosings {
  constructor(
    @Inject(LegalTable) private readonly legalTable: LegalTable,
    @Inject(BlindTranslator) private readonly translator: BlindTranslator,
    @Inject(HubMessages) private readonly messages: HubMessages,
  ) {}

  /** No rule permits it (or the hub cannot translate for the pair): nothing reaches the provider. */
  async denied(exchange: ClosedExchange, reason: string) {
    const closedAt = new Date();
    return {
      status: 'denied' as const,
      reason,
      closedAt,
      resultToken: await this.messages.result(exchange.requester, { inquiryId: exchange.inquiryId, exchangeId: exchange.id, status: 'denied', reason }),
      recordToken: await this.record(exchange, 'denied', closedAt, reason),
    };
  }

  /** The provider answered: its signed answer goes to the requester unchanged. */
  async answered(exchange: ExchangeEntity, answer: VerifiedMessage, answerToken: string, outcome: 'answered' | 'no-record'): Promise<ExchangeClosing> {
    const closedAt = new Date();
    return {
      status: outcome,
      answerMessageId: answer.id,
      closedAt,
      resultToken: await this.messages.result(exchange.requester, { inquiryId: exchange.inquiryId, exchangeId: exchange.id, status: outcome, answer: answerToken }),
      recordToken: await this.record(exchange, 'permitted', closedAt),
    };
  }

  /** Nobody answered by the deadline: the requester learns it, and so does the citizen. */
  async expired(exchange: ExchangeEntity): Promise<ExchangeClosing> {
    const closedAt = new Date();
    const reason = `${exchange.provider} did not answer within ${ANSWER_DEADLINE_SECONDS / 60} minutes of the delivery`;
    return {
      status: 'expired',
      answerMessageId: null,
      reason,
      closedAt,
      resultToken: await this.messages.result(exchange.requester, { inquiryId: exchange.inquiryId, exchangeId: exchange.id, status: 'expired', reason }),
      recordToken: await this.record(exchange, 'unanswered', closedAt, reason),
    };
  }

  private record(exchange: ClosedExchange, status: ExchangeRecordClaims['status'], at: Date, reason?: string): Promise<string> {
    const rule = this.legalTable.permits(exchange.requester, exchange.provider, exchange.item, exchange.rule);
    return this.messages.exchangeRecord({
      exchangeId: exchange.id,
      subject: this.translator.forPortal(exchange.requester, parseCiphertext(exchange.requesterSubject)).toText(),
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
