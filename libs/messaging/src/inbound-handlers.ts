import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { jobsReceivedBy, type JobName, type Service } from '@myna/protocol';
import { INBOUND_HANDLER, type InboundMessageHandler } from './inbound-handler';
import { MESSAGING_PARTY } from './messaging-party';

/** A handler found at start-up, by the job name it declared. */
export interface DeclaredHandler {
  jobName: JobName;
  className: string;
  handler: InboundMessageHandler;
}

/**
 * One handler per message the party receives: a second handler for a job name, a
 * handler for a message the party never receives, or a message with no handler
 * fails the start rather than dead-lettering every such message later.
 */
export function indexHandlers(party: Service, declared: readonly DeclaredHandler[]): Map<JobName, InboundMessageHandler> {
  const receives = jobsReceivedBy(party);
  const byName = new Map<JobName, DeclaredHandler>();
  for (const found of declared) {
    const first = byName.get(found.jobName);
    if (first) throw new Error(`${party}: two handlers for job '${found.jobName}' (${first.className} and ${found.className})`);
    if (!receives.includes(found.jobName)) throw new Error(`${party}: ${found.className} handles '${found.jobName}', which ${party} never receives`);
    byName.set(found.jobName, found);
  }
  const missing = receives.filter((jobName) => !byName.has(jobName));
  if (missing.length > 0) throw new Error(`${party}: no handler for job ${missing.map((name) => `'${name}'`).join(', ')}`);
  return new Map([...byName].map(([jobName, found]) => [jobName, found.handler]));
}

/** The party's inbound handlers, found among every module's providers by their `@InboundHandler` declaration. */
@Injectable()
export class InboundHandlers implements OnModuleInit {
  private byName?: Map<JobName, InboundMessageHandler>;

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MESSAGING_PARTY) private readonly party: Service,
  ) {}

  onModuleInit(): void {
    this.index();
  }

  /** The handler of a job name, or undefined for a name no handler declared. */
  get(jobName: string): InboundMessageHandler | undefined {
    return this.index().get(jobName as JobName);
  }

  /** Built on first use: every provider is instantiated by then, whichever module's init runs first. */
  private index(): Map<JobName, InboundMessageHandler> {
    this.byName ??= indexHandlers(
      this.party,
      this.discovery
        .getProviders({ metadataKey: INBOUND_HANDLER.KEY })
        .filter((wrapper) => wrapper.instance)
        .map((wrapper) => ({
          jobName: this.discovery.getMetadataByDecorator(INBOUND_HANDLER, wrapper) as JobName,
          className: wrapper.metatype?.name ?? String(wrapper.token),
          handler: wrapper.instance as InboundMessageHandler,
        })),
    );
    return this.byName;
  }
}
