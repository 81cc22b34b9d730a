import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ExchangeLogRepository } from '../exchange-log/exchange-log.repository';

/** How long a sent message's row may wait for the next log append before it is deleted on its own. */
export const FORGET_WITHIN_MS = 50;

/**
 * The messages the hub has put on their queues and not yet deleted from its outbox.
 * Every message the hub sends is logged first, so their rows are deleted by the next
 * append's statement (LogSequencer) instead of one statement more; when no append
 * comes within FORGET_WITHIN_MS, or a mix round ends, or the hub shuts down, they are
 * deleted on their own. A crash meanwhile means only that they are sent again, under
 * the same job ids, as after a crash between sending and deleting: receivers take a
 * message once by its id.
 */
@Injectable()
export class SentMessages implements BeforeApplicationShutdown {
  private readonly logger = new Logger('exchange-hub outbox');
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** How long rows wait for an append before being deleted on their own. */
  protected readonly forgetWithinMs: number = FORGET_WITHIN_MS;

  constructor(@Inject(ExchangeLogRepository) private readonly log: ExchangeLogRepository) {}

  /** These are on their queues: their rows may go. */
  add(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.pending.push(...ids);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: unknown) => this.logger.warn(`deleting sent messages failed this time: ${error instanceof Error ? error.message : String(error)}`));
    }, this.forgetWithinMs).unref();
  }

  /** Hands the waiting ids to a statement that deletes them; `add` them again if it did not commit. */
  take(): string[] {
    const ids = this.pending;
    this.pending = [];
    return ids;
  }

  /** Deletes every waiting row now. */
  async flush(): Promise<void> {
    const ids = this.take();
    if (ids.length === 0) return;
    try {
      await this.log.deleteOutbound(ids);
    } catch (error) {
      this.add(ids);
      throw error;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
