import { randomInt } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MessageSender } from '@myna/messaging';
import type { JobName, Service } from '@myna/protocol';
import { ExchangeLogRepository, type OutboundMessage } from '../exchange-log/exchange-log.repository';
import { runPeriodically } from '../housekeeping/periodic-task';
import { HUB_SETTINGS, type HubSettings } from '../hub-settings';
import { LogSequencer } from '../transparency-log/log-sequencer';
import { HubMessages } from './hub-messages';
import { SentMessages } from './sent-messages';

/** With the mix off, leftovers (a crash between committing and sending) are sent after this. */
const LEFTOVER_AFTER_MS = 5_000;
const ROUND_LIMIT = 50_000;

/**
 * Everything the hub sends leaves through here, from the outbox its handlers fill
 * in the same transaction as the exchange's change. With the mix on (the default)
 * messages wait for the next round: every HUB_MIX_ROUND_SECONDS the round takes
 * all that was queued, shuffles it and sends it, so that the order and time in
 * which providers, requesters and the portal receive (and store) them do not
 * follow one another. With the mix off, handlers send at once. Either way the
 * hub logs what it sends, in the order it sends it, and signs each message with
 * its receipt (DESIGN §5, "The log").
 */
@Injectable()
export class OutboundMix implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('exchange-hub mix');
  private periodic?: { stop(): Promise<void> };

  constructor(
    @Inject(ExchangeLogRepository) private readonly log: ExchangeLogRepository,
    @Inject(MessageSender) private readonly sender: MessageSender,
    @Inject(HUB_SETTINGS) private readonly settings: HubSettings,
    @Inject(LogSequencer) private readonly sequencer: LogSequencer,
    @Inject(HubMessages) private readonly messages: HubMessages,
    @Inject(SentMessages) private readonly sent: SentMessages,
  ) {}

  get mixing(): boolean {
    return this.settings.mixRoundMs > 0;
  }

  onApplicationBootstrap(): void {
    const interval = this.mixing ? this.settings.mixRoundMs : LEFTOVER_AFTER_MS;
    this.periodic = runPeriodically(() => this.round(), interval, this.logger, 'sending a round');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.periodic?.stop();
  }

  /** After the handler's transaction committed: sends now with the mix off; with it on, the round will. */
  async release(messages: readonly OutboundMessage[]): Promise<void> {
    if (this.mixing) return;
    await this.sendAll(messages);
  }

  /** One round: everything queued before it began, in a uniformly random order. Returns how many it sent. */
  async round(now: Date = new Date()): Promise<number> {
    const before = this.mixing ? now : new Date(now.getTime() - LEFTOVER_AFTER_MS);
    let sent = 0;
    for (;;) {
      const messages = shuffle(await this.log.claimOutbound(before, ROUND_LIMIT));
      await this.sendAll(messages);
      sent += messages.length;
      if (messages.length < ROUND_LIMIT) break;
    }
    // A round's messages leave the database with the round.
    await this.sent.flush();
    if (sent > 0 && this.mixing) this.logger.log({ sent }, 'mix round sent');
    return sent;
  }

  /** Logs them in this order, then signs and sends each with its receipt; their rows are deleted soon after (SentMessages). */
  private async sendAll(messages: readonly OutboundMessage[]): Promise<void> {
    if (messages.length === 0) return;
    for (const message of await this.sequencer.issueReceipts(messages)) {
      await this.sender.send(message.recipient as Service, message.jobName as JobName, await this.messages.finalize(message), message.id);
    }
    this.sent.add(messages.map((message) => message.id));
  }
}

/** Fisher–Yates with the OS's random numbers: every order equally likely. */
export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
