import { type DynamicModule, Module } from '@nestjs/common';
import type { CardStore } from '../store/card-store';
import { CardReaderController, CARD_READER_STORE } from './card-reader.controller';

/**
 * Mounts the virtual card reader at /card-reader. The demo mounts it in the
 * portal's process for convenience; it shares nothing with the portal's own
 * code, which sees only the signature and the certificate the browser posts.
 */
@Module({})
export class CardReaderModule {
  static register(options: { store: CardStore }): DynamicModule {
    return {
      module: CardReaderModule,
      controllers: [CardReaderController],
      providers: [{ provide: CARD_READER_STORE, useValue: options.store }],
    };
  }
}
