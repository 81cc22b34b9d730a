import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ExchangeLogRepository } from '../exchange-log/exchange-log.repository';
import { HUB_SETTINGS, type HubSettings } from '../hub-settings';
import { runPeriodically } from './periodic-task';

/** How often a consuming hub process applies the retention period. */
export const RETENTION_INTERVAL_MS = 60 * 60_000;
const DAY_MS = 24 * 3600_000;

/**
 * The exchange log's metadata is kept for HUB_LOG_RETENTION_DAYS after an exchange
 * closes (7 years by default, as the real system keeps its access records), then
 * deleted, with the rejections of the same age. Ciphertexts never wait that long:
 * they leave when the exchange closes and its messages are sent.
 */
@Injectable()
export class LogRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('exchange-hub housekeeping');
  private periodic?: { stop(): Promise<void> };

  constructor(
    @Inject(ExchangeLogRepository) private readonly log: ExchangeLogRepository,
    @Inject(HUB_SETTINGS) private readonly settings: HubSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.periodic = runPeriodically(() => this.prune(), RETENTION_INTERVAL_MS, this.logger, 'applying the log retention period');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.periodic?.stop();
  }

  async prune(now: Date = new Date()): Promise<{ exchanges: number; rejections: number }> {
    const pruned = await this.log.pruneLog(new Date(now.getTime() - this.settings.logRetentionDays * DAY_MS));
    if (pruned.exchanges + pruned.rejections > 0) this.logger.log(pruned, `log entries older than ${this.settings.logRetentionDays} days deleted`);
    return pruned;
  }
}
