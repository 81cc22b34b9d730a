import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { inboundQueue, type JobName, type Service } from '@myna/protocol';
import { MESSAGING_PARTY } from './messaging-party';

/** Retries with exponential backoff; finished jobs are kept for a bounded time. */
export const DELIVERY_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential' as const, delay: 500 },
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * Puts a message on this party's lane to another party, with its message id as the
 * job id: random ids, so that no one can create a job under an id before its sender does.
 */
@Injectable()
export class MessageSender {
  constructor(
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(MESSAGING_PARTY) private readonly party: Service,
  ) {}

  async send(to: Service, name: JobName, token: string, messageId: string): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(inboundQueue(to, this.party)), { strict: false });
    await queue.add(name, { token }, { ...DELIVERY_OPTIONS, jobId: messageId });
  }
}
