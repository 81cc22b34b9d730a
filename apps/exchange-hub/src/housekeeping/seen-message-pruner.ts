import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ExchangeLogRepository } from '../exchange-log/exchange-log.repository';
import { runPeriodically } from './periodic-task';

/** How often a consuming hub process prunes its replay guard. */
export const PRUNE_INTERVAL_MS = 10 * 60_000;
/**
 * How long past its expiry a message id is kept. The envelope check refuses an
 * expired message before the replay guard is consulted, so the id is no longer
 * needed then; the margin covers clocks that differ between hub hosts and the database.
 */
export const PRUNE_GRACE_MS = 5 * 60_000;

/**
 * Keeps `seen_message` (the replay guard) to the messages that could still be
 * accepted: without it the table grows by a row for every inquiry and answer, forever.
 * Runs in the processes that consume the hub's queue; several hubs pruning at once is harmless.
 */
@Injectable()
export class SeenMessagePruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('exchange-hub housekeeping');
  private periodic?: { stop(): Promise<void> };

  constructor(@Inject(ExchangeLogRepository) private readonly log: ExchangeLogRepository) {}

  onApplicationBootstrap(): void {
    this.periodic = runPeriodically(() => this.prune(), PRUNE_INTERVAL_MS, this.logger, 'pruning the replay guard');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.periodic?.stop();
  }

  /** Forgets the ids of messages that expired more than the grace period before `now`. */
  async prune(now: Date = new Date()): Promise<number> {
    const pruned = await this.log.pruneSeenMessages(new Date(now.getTime() - PRUNE_GRACE_MS));
    if (pruned > 0) this.logger.log(`replay guard pruned: ${pruned} expired message ids forgotten`);
    return pruned;
  }
}
