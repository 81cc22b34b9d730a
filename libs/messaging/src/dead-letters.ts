import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { deadLetterQueue, inboundQueues, type Service } from '@myna/protocol';
import { DELIVERY_OPTIONS } from './message-sender';
import { MESSAGING_PARTY } from './messaging-party';

export { MESSAGING_PARTY } from './messaging-party';

export interface DeadLetter {
  /** The original job id (the message id). */
  id: string;
  queue: string;
  jobName: string;
  /** Stable, machine-readable cause (e.g. `replayed`, `malformed-payload`). */
  code: string;
  /** The cause in plain words. */
  reason: string;
  attempts: number;
  failedAt: string;
  replays: number;
  /** When an operator last put it back on the inbound queue; if it fails again it is buried anew. */
  replayedAt?: string;
}

interface DeadLetterData extends Omit<DeadLetter, 'id'> {
  data: unknown;
}

/**
 * A party's dead-letter queue: jobs that could not be processed, with the reason,
 * kept for an operator to inspect and replay. The payload is kept but never shown.
 */

@Injectable()
export class DeadLetterService {
  constructor(
    @Inject(MESSAGING_PARTY) private readonly party: Service,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  private queue(name: string): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  /** Moves a failed job to the dead-letter queue (same id) and removes it from the inbound queue. */
  async bury(job: Job, code: string, reason: string): Promise<void> {
    const id = job.id ?? `unknown-${Date.now()}`;
    const previous = await this.queue(deadLetterQueue(this.party)).getJob(id);
    const replays = previous ? (previous.data as DeadLetterData).replays : 0;
    if (previous) await previous.remove();
    const letter: DeadLetterData = {
      queue: job.queueName,
      jobName: job.name,
      code,
      reason,
      attempts: job.attemptsMade,
      failedAt: new Date().toISOString(),
      replays,
      data: job.data,
    };
    // Kept until replayed or removed by an operator: never evicted automatically.
    await this.queue(deadLetterQueue(this.party)).add(job.name, letter, { jobId: id, removeOnComplete: false, removeOnFail: false });
    await job.remove().catch(() => undefined);
  }

  async list(limit = 100): Promise<DeadLetter[]> {
    const jobs = await this.queue(deadLetterQueue(this.party)).getJobs(['waiting', 'delayed', 'prioritized'], 0, limit - 1);
    return jobs.filter(Boolean).map((job) => {
      const { data: _data, ...letter } = job.data as DeadLetterData;
      return { id: String(job.id), ...letter };
    });
  }

  /** Puts a dead letter back on the lane it came from, under its original id; returns false when there is none. */
  async replay(id: string): Promise<boolean> {
    const letter = await this.queue(deadLetterQueue(this.party)).getJob(id);
    if (!letter) return false;
    const data = letter.data as DeadLetterData;
    // Only ever back onto one of this party's own lanes, whatever the letter says.
    if (!inboundQueues(this.party).includes(data.queue)) return false;
    const inbound = this.queue(data.queue);
    const stale = await inbound.getJob(id);
    if (stale) await stale.remove();
    // The letter stays (marked replayed) so that the count survives if the message dies again.
    await letter.updateData({ ...data, replays: data.replays + 1, replayedAt: new Date().toISOString() });
    await inbound.add(data.jobName, data.data, { ...DELIVERY_OPTIONS, jobId: id });
    return true;
  }
}
