import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { FileCardStore } from '@myna/card-wallet';
import { FederationExceptionFilter, rateLimitBudgets, rateLimitThrottlers } from '@myna/platform';
import { CARD_STORE, ReaderController } from './reader.controller';
import { READER_SETTINGS, type ReaderSettings } from './reader-settings';

/** The card reader: its cards (the demo's file store), its pages, and a budget for PIN entries. */
@Module({})
export class ReaderModule {
  static register(settings: ReaderSettings): DynamicModule {
    const budgets = { ...rateLimitBudgets({}), 'pin-entry': { limit: settings.pinEntriesPerMinute, ttlSeconds: 60 } };
    return {
      module: ReaderModule,
      imports: [ThrottlerModule.forRoot({ throttlers: rateLimitThrottlers(budgets) })],
      controllers: [ReaderController],
      providers: [
        { provide: READER_SETTINGS, useValue: settings },
        { provide: CARD_STORE, useValue: new FileCardStore(settings.cardStoreDir) },
        { provide: APP_FILTER, useClass: FederationExceptionFilter },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
      ],
    };
  }
}
