import { applyDecorators, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { InboundClaims, JobName, Service, VerifiedMessage } from '@myna/protocol';

export interface InboundJob {
  /** The queue job id: the message id, so a message is processed once. */
  id: string;
  name: JobName;
  attemptsMade: number;
  /** Whose lane it came on: only that party's Redis user can write there, so a message signed by another is out of place. */
  sender: Service;
}

/** An inbound message as the edge hands it to its handler: opened, verified, on the right lane, its claims valid. */
export interface InboundMessage<Name extends JobName = JobName> {
  job: InboundJob;
  message: VerifiedMessage;
  claims: InboundClaims<Name>;
}

/** Acts on one kind of inbound message (one job name) for a party; the edge has already checked everything the protocol says. */
export interface InboundMessageHandler<Name extends JobName = JobName> {
  handle(inbound: InboundMessage<Name>): Promise<void>;
}

/** The discovery mark, read by the edge at start-up. */
export const INBOUND_HANDLER = DiscoveryService.createDecorator<JobName>();

/**
 * Declares a party's handler of one inbound message type (and makes it injectable).
 * The party's own module provides the class; the messaging edge finds it at
 * start-up (DiscoveryService), and a missing or second handler for a job name
 * fails the start.
 */
export function InboundHandler(jobName: JobName): ClassDecorator {
  return applyDecorators(Injectable(), INBOUND_HANDLER(jobName));
}
