import { Inject, Injectable } from '@nestjs/common';
import { MessageSender } from '@myna/messaging';
import { JOB_NAMES } from '@myna/protocol';
import type { ExchangeEntity } from '../exchange-log/exchange.entity';
import { deliveryMessageId, recordMessageId, resultMessageId } from './hub-messages';

/** What sending needs of an exchange, recorded or just built. */
export type DispatchableExchange = Pick<
  ExchangeEntity,
  'id' | 'inquiryId' | 'requester' | 'provider' | 'rule' | 'item' | 'status' | 'reason' | 'deliveryToken' | 'resultToken' | 'recordToken'
>;

/**
 * Sends the tokens an exchange row holds, under fixed job ids: sending twice is
 * harmless (the queue keeps one job per id), so a retried job simply sends again.
 */
@Injectable()
export class ExchangeDispatcher {
  constructor(@Inject(MessageSender) private readonly sender: MessageSender) {}

  async deliver(exchange: DispatchableExchange): Promise<void> {
    if (!exchange.deliveryToken) throw new Error(`exchange ${exchange.id} has no delivery`);
    await this.sender.send(exchange.provider, JOB_NAMES.delivery, exchange.deliveryToken, deliveryMessageId(exchange.id));
  }

  /** The requester's result first, then the portal's record. */
  async conclude(exchange: DispatchableExchange): Promise<void> {
    if (!exchange.resultToken || !exchange.recordToken) throw new Error(`exchange ${exchange.id} is not closed`);
    await this.sender.send(exchange.requester, JOB_NAMES.result, exchange.resultToken, resultMessageId(exchange.id));
    await this.sender.send('myna-portal', JOB_NAMES.exchangeRecord, exchange.recordToken, recordMessageId(exchange.id));
  }
}
