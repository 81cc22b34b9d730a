import { Module } from '@nestjs/common';
import { ExchangeLogController } from './exchange-log.controller';
import { ExchangeLogRepository } from './exchange-log.repository';
import { ExchangeEntity } from './exchange.entity';
import { RejectedMessageEntity } from './rejected-message.entity';
import { SeenMessageEntity } from './seen-message.entity';

export const EXCHANGE_LOG_ENTITIES = [ExchangeEntity, SeenMessageEntity, RejectedMessageEntity];

/** The hub's read API over its own log. */
@Module({
  controllers: [ExchangeLogController],
  providers: [ExchangeLogRepository],
})
export class ExchangeLogModule {}
