import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { deadLetterQueue, inboundQueue, inboundQueues, type Service } from '@myna/protocol';
import { SERVICE_CONFIG, type ServiceConfig } from '@myna/platform';
import { DeadLetterService, MESSAGING_PARTY } from './dead-letters';
import { InboundHandlers } from './inbound-handlers';
import { inboundProcessorsFor, type WorkerSettings } from './inbound-processor';
import { InboundEnvelope } from './inbound-envelope';
import { MessageRejections, RejectedMessageRepository } from './message-rejections';
import { MessageSender } from './message-sender';
import { DeadLetterController } from './operator.controller';
import { bullConnection } from './redis-connection';

export interface MessagingOptions {
  party: Service;
  /** Parties this one sends to (producers are registered for its lanes to them). */
  sendsTo: readonly Service[];
  /** Whether this process consumes the inbound queue (a worker), or only sends (an API process). */
  consume: boolean;
  workers: WorkerSettings;
}

/**
 * The party edge's machinery, the same for every party: its inbound lanes and dead
 * letters, producers for its lanes to peers, its workers, and the one way to
 * record a refusal. It hosts none of the party's own providers: the party's module
 * provides its `@InboundHandler` classes, which the workers find at start-up.
 */
@Module({})
export class MessagingModule {
  static forParty(options: MessagingOptions): DynamicModule {
    const queues = [
      ...new Set([...inboundQueues(options.party), deadLetterQueue(options.party), ...options.sendsTo.map((to) => inboundQueue(to, options.party))]),
    ];
    return {
      module: MessagingModule,
      imports: [
        BullModule.forRootAsync({
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) => ({ connection: bullConnection(config.redis.url), prefix: config.redis.prefix }),
        }),
        BullModule.registerQueue(...queues.map((name) => ({ name }))),
        DiscoveryModule,
      ],
      controllers: [DeadLetterController],
      providers: [
        MessageSender,
        { provide: MESSAGING_PARTY, useValue: options.party },
        DeadLetterService,
        RejectedMessageRepository,
        MessageRejections,
        InboundEnvelope,
        ...(options.consume ? [InboundHandlers, ...inboundProcessorsFor(options.party, options.workers)] : []),
      ],
      exports: [MessageSender, DeadLetterService, MessageRejections, InboundEnvelope],
    };
  }
}
