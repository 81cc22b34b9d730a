import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ExchangeLogRepository } from './exchange-log.repository';

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
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(@Inject(ExchangeLogRepository) private readonly log: ExchangeLogRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.prune()
        .catch((error: unknown) => this.logger.warn(`replay guard not pruned this time: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => (this.running = undefined));
    }, PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Forgets the ids of messages that expired more than the grace period before `now`. */
  async prune(now: Date = new Date()): Promise<number> {
    const pruned = await this.log.pruneSeenMessages(new Date(now.getTime() - PRUNE_GRACE_MS));
    if (pruned > 0) this.logger.log(`replay guard pruned: ${pruned} expired message ids forgotten`);
    return pruned;
  }
}
