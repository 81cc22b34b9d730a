import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@myna/messaging';
import type { ServiceRuntime } from '@myna/platform';
import { CODE_HOLDERS, EXCHANGE_HUB } from '@myna/protocol';
import { ExchangeLogRepository } from '../exchange-log/exchange-log.repository';
import { hubKeysProvider, legalTableProvider } from '../hub-keys/hub-keys';
import { AnswerHandler } from './answer.handler';
import { BlindTranslator } from './blind-translator';
import { ExchangeExpiry } from '../housekeeping/exchange-expiry';
import { ExchangeClosings } from './exchange-closings';
import { HubMessages } from './hub-messages';
import { InquiryHandler } from './inquiry.handler';
import { OutboundMix } from './outbound-mix';
import { SentMessages } from './sent-messages';
import { LogRetention } from '../housekeeping/log-retention';
import { HUB_SETTINGS, parseHubSettings } from '../hub-settings';
import { LogSequencer } from '../transparency-log/log-sequencer';
import { TransparencyLogRepository } from '../transparency-log/transparency-log.repository';

/**
 * The hub's exchange: its inbound worker (inquiries and answers) and producers for
 * every code holder's queue. API-only processes (WORKERS=off) get the producers
 * and the dead-letter endpoints, without the worker.
 */
@Module({})
export class ExchangeModule {
  static register(runtime: ServiceRuntime, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const settings = parseHubSettings(env);
    return {
      module: ExchangeModule,
      imports: [
        MessagingModule.forParty({ party: EXCHANGE_HUB, sendsTo: CODE_HOLDERS, consume: runtime.consume, workers: runtime.config.workers }),
      ],
      providers: [
        hubKeysProvider,
        legalTableProvider,
        ExchangeLogRepository,
        BlindTranslator,
        HubMessages,
        { provide: HUB_SETTINGS, useValue: settings },
        ExchangeClosings,
        // The handlers, the log, the mix and the housekeeping run where the queues are consumed.
        ...(runtime.consume ? [InquiryHandler, AnswerHandler, TransparencyLogRepository, LogSequencer, SentMessages, OutboundMix, ExchangeExpiry, LogRetention] : []),
      ],
    };
  }
}
