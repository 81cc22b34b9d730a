import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { RejectedMessageError, type InboundJob } from '@myna/messaging';
import { EnvelopeError } from '@myna/protocol';
import { RejectedMessage } from './exchange.entities';

/** Records why a message was refused, then dead-letters it with that reason. */
export async function rejectMessage(dataSource: DataSource, job: InboundJob, reason: string, detail: string): Promise<never> {
  await dataSource.getRepository(RejectedMessage).insert({ id: randomUUID(), jobId: job.id, jobName: job.name, reason, detail });
  throw new RejectedMessageError(reason, detail);
}

/** Runs an envelope check; an EnvelopeError becomes a recorded rejection. */
export async function checkEnvelope<T>(dataSource: DataSource, job: InboundJob, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof EnvelopeError) return rejectMessage(dataSource, job, error.code, error.message);
    throw error;
  }
}
