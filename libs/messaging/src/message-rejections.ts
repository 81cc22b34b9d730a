import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EnvelopeError, type Service } from '@myna/protocol';
import { MESSAGING_PARTY } from './messaging-party';
import { RejectedMessageError } from './messaging.exception';
import { RejectedMessage } from './rejected-message.entity';

const DETAIL_MAX_LENGTH = 300;

/** The queue job that carried a refused message (its name may be one no handler knows). */
export interface RejectedJob {
  id: string;
  name: string;
}

/** What was verified about a message before it was refused, if anything. */
export interface VerifiedOrigin {
  from: Service;
  id: string;
}

export type NewRejection = Pick<RejectedMessage, 'jobId' | 'jobName' | 'reason' | 'detail' | 'sender' | 'messageId'>;

/** The party's `rejected_message` table. */
@Injectable()
export class RejectedMessageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(rejection: NewRejection): Promise<void> {
    await this.dataSource.getRepository(RejectedMessage).insert({ id: randomUUID(), ...rejection });
  }

  forJob(jobId: string): Promise<RejectedMessage[]> {
    return this.dataSource.getRepository(RejectedMessage).find({ where: { jobId }, order: { receivedAt: 'ASC' } });
  }
}

/**
 * The one way a party refuses a message: recorded in its own database with the
 * code and the reason, logged on one line, then thrown so that the worker
 * dead-letters it at once with the same `{code, reason}`.
 */
@Injectable()
export class MessageRejections {
  private readonly logger: Logger;

  constructor(
    @Inject(RejectedMessageRepository) private readonly rejections: RejectedMessageRepository,
    @Inject(MESSAGING_PARTY) party: Service,
  ) {
    this.logger = new Logger(`${party} rejections`);
  }

  async reject(job: RejectedJob, code: string, reason: string, origin?: VerifiedOrigin): Promise<never> {
    await this.record(job, code, reason, origin);
    throw new RejectedMessageError(code, cleanDetail(reason));
  }

  /** Records a refusal without throwing (the worker refuses such a job itself). */
  async record(job: RejectedJob, code: string, reason: string, origin?: VerifiedOrigin): Promise<void> {
    const detail = cleanDetail(reason);
    await this.rejections.record({ jobId: job.id, jobName: job.name, reason: code, detail, sender: origin?.from ?? null, messageId: origin?.id ?? null });
    this.logger.warn({ jobId: job.id, jobName: job.name, code, sender: origin?.from, messageId: origin?.id, reason: detail }, 'message rejected');
  }

  /** Runs an envelope check (verify, decrypt): an EnvelopeError becomes a recorded rejection with its code. */
  async envelope<T>(job: RejectedJob, check: () => Promise<T>): Promise<T> {
    try {
      return await check();
    } catch (error) {
      if (error instanceof EnvelopeError) return this.reject(job, error.code, error.message);
      throw error;
    }
  }
}

/** Details may quote attacker-chosen text (a key id): one short printable line. */
export function cleanDetail(detail: string): string {
  const line = detail.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim() || 'no detail';
  return line.length > DETAIL_MAX_LENGTH ? `${line.slice(0, DETAIL_MAX_LENGTH - 1)}…` : line;
}
