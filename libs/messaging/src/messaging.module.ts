import { type DynamicModule, Module, type ModuleMetadata, type Provider, type Type } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { deadLetterQueue, inboundQueue, inboundQueues, type Service } from '@myna/protocol';
import { SERVICE_CONFIG, type ServiceConfig } from '@myna/platform';
import { DeadLetterService, MESSAGING_PARTY } from './dead-letters';
import { INBOUND_HANDLERS, type InboundHandler } from './inbound-handler';
import { inboundProcessorsFor } from './inbound-processor';
import { MessageSender } from './message-sender';
import { DeadLetterController } from './operator.controller';
import { bullConnection } from './redis-connection';

export interface MessagingOptions {
  party: Service;
  /** Parties this one sends to (producers are registered for its lanes to them). */
  sendsTo: readonly Service[];
  /** Handlers of this party's inbound messages, one per job name. */
  handlers: Type<InboundHandler>[];
  /** Providers the handlers need (repositories, domain services). */
  providers?: Provider[];
  /** Modules exporting what the handlers need. */
  imports?: ModuleMetadata['imports'];
  /** Whether this process consumes the inbound queue (a worker), or only sends (an API process). */
  consume: boolean;
  workers: { concurrency: number; lockMs: number };
}

/** Queues for one party: its inbound lanes and dead letters, producers for its lanes to peers, and its workers. */
@Module({})
export class MessagingModule {
  static forParty(options: MessagingOptions): DynamicModule {
    const queues = [
      ...new Set([...inboundQueues(options.party), deadLetterQueue(options.party), ...options.sendsTo.map((to) => inboundQueue(to, options.party))]),
    ];
    const handlerProviders = options.consume ? options.handlers : [];
    return {
      module: MessagingModule,
      imports: [
        BullModule.forRootAsync({
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) => ({ connection: bullConnection(config.redis.url), prefix: config.redis.prefix }),
        }),
        BullModule.registerQueue(...queues.map((name) => ({ name }))),
        ...(options.imports ?? []),
      ],
      controllers: [DeadLetterController],
      providers: [
        MessageSender,
        { provide: MESSAGING_PARTY, useValue: options.party },
        DeadLetterService,
        ...(options.providers ?? []),
        ...handlerProviders,
        { provide: INBOUND_HANDLERS, useFactory: (...handlers: InboundHandler[]) => handlers, inject: handlerProviders },
        ...(options.consume ? inboundProcessorsFor(options.party, options.workers) : []),
      ],
      exports: [MessageSender, DeadLetterService],
    };
  }
}
