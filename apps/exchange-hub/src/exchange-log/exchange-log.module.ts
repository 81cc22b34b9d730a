import { type DynamicModule, Module } from '@nestjs/common';
import { MESSAGING_ENTITIES } from '@myna/messaging';
import type { ServiceRuntime } from '@myna/platform';
import { ExchangeLogController } from './exchange-log.controller';
import { ExchangeLogRepository } from './exchange-log.repository';
import { ExchangeEntity } from './exchange.entity';
import { OutboundMessageEntity } from './outbound-message.entity';
import { SeenMessageEntity } from './seen-message.entity';
import { SeenMessagePruner } from '../housekeeping/seen-message-pruner';

export const EXCHANGE_LOG_ENTITIES = [ExchangeEntity, OutboundMessageEntity, SeenMessageEntity, ...MESSAGING_ENTITIES];

/** The hub's read API over its own log; where the process consumes the queue, its housekeeping too. */
@Module({})
export class ExchangeLogModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return {
      module: ExchangeLogModule,
      controllers: [ExchangeLogController],
      providers: [ExchangeLogRepository, ...(runtime.consume ? [SeenMessagePruner] : [])],
    };
  }
}
