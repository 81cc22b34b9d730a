import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ANSWER_DEADLINE_SECONDS } from '@myna/protocol';
import { ExchangeLogRepository } from '../exchange-log/exchange-log.repository';
import { ExchangeClosings } from '../exchange/exchange-closings';
import { OutboundMix } from '../exchange/outbound-mix';
import { runPeriodically } from './periodic-task';

/** How often a consuming hub process looks for exchanges nobody answered. */
export const EXPIRY_INTERVAL_MS = 60_000;
const BATCH = 200;

/**
 * Closes the exchanges a provider never answered (its worker was down past the
 * delivery's expiry, say) as `expired`, once no answer could be accepted any more
 * (ANSWER_DEADLINE_SECONDS after delivery). Without it such an exchange stayed
 * open for ever: the requester waited, and the citizen never saw that the
 * provider had been asked about them.
 */
@Injectable()
export class ExchangeExpiry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('exchange-hub housekeeping');
  private periodic?: { stop(): Promise<void> };

  constructor(
    @Inject(ExchangeLogRepository) private readonly log: ExchangeLogRepository,
    @Inject(ExchangeClosings) private readonly closings: ExchangeClosings,
    @Inject(OutboundMix) private readonly mix: OutboundMix,
  ) {}

  onApplicationBootstrap(): void {
    this.periodic = runPeriodically(() => this.sweep(), EXPIRY_INTERVAL_MS, this.logger, 'closing unanswered exchanges');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.periodic?.stop();
  }

  /** Closes every exchange delivered more than the deadline before `now`; returns how many it closed. */
  async sweep(now: Date = new Date()): Promise<number> {
    const deadline = new Date(now.getTime() - ANSWER_DEADLINE_SECONDS * 1000);
    let expired = 0;
    for (;;) {
      const overdue = await this.log.overdueExchanges(deadline, BATCH);
      for (const exchange of overdue) {
        if (!exchange.recordSubject) continue;
        const { closing, outbound } = await this.closings.expired({ ...exchange, recordSubject: exchange.recordSubject });
        // An answer that closed it meanwhile wins; nothing is sent for this closing then.
        if ((await this.log.close(exchange, closing, outbound)) !== 'closed') continue;
        await this.mix.release(outbound);
        expired++;
        const { id: exchangeId, requester, provider, rule, item } = exchange;
        this.logger.log({ exchangeId, requester, provider, rule, item, status: 'expired' }, 'exchange expired unanswered');
      }
      if (overdue.length < BATCH) return expired;
    }
  }
}
