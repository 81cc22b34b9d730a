import { DiscoveryService } from '@nestjs/core';
import type { JobName, Service } from '@myna/protocol';

export interface InboundJob {
  /** The queue job id: the message id, so a message is processed once. */
  id: string;
  name: JobName;
  attemptsMade: number;
  /** Whose lane it came on: only that party's Redis user can write there, so a message signed by another is out of place. */
  sender: Service;
}

/** Handles one kind of inbound message (one job name) for a party. */
export interface InboundMessageHandler {
  handle(token: string, job: InboundJob): Promise<void>;
}

/**
 * Declares a party's handler of one inbound message type. The party's own module
 * provides the class; the messaging edge finds it at start-up (DiscoveryService),
 * and a missing or second handler for a job name fails the start.
 */
export const InboundHandler = DiscoveryService.createDecorator<JobName>();
