import { Inject, Injectable, Logger } from '@nestjs/common';
import { RejectedMessageError } from '@myna/messaging';
import type { EnvelopeRejection, Service } from '@myna/protocol';
import { ExchangeLogRepository } from '../exchange-log/exchange-log.repository';

/** Why the hub refused a message: the envelope's reasons, then the exchange's own. */
export type HubRejection =
  | EnvelopeRejection
  /** Signed correctly, but its claims break the message format. */
  | 'invalid-claims'
  /** Signed correctly, but found on another sender's lane (only that sender's Redis user can write there). */
  | 'wrong-lane'
  /** Signed correctly, but set to expire later than the protocol allows (it would outlive the replay guard). */
  | 'expiry-too-far'
  /** The job data was not `{ token }`. */
  | 'malformed-payload'
  /** No handler for the job name. */
  | 'unknown-job'
  /** A subject ciphertext no code can be read from (e.g. an identity point as a component). */
  | 'invalid-subject'
  /** An answer naming a handle the hub never issued. */
  | 'unknown-exchange'
  /** An answer from an agency the exchange was not delivered to, or not addressed to its requester. */
  | 'misaddressed'
  /** A second, different answer for an exchange already closed. */
  | 'already-answered'
  /** An answer for an exchange the hub closed unanswered at its deadline: too late. */
  | 'exchange-expired'
  /** An answer payload that is not a JWE for the requester: the hub relays ciphertext only. */
  | 'payload-not-sealed';

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

/** Records a refused message, then throws so that the worker dead-letters it at once. */
@Injectable()
export class MessageRejections {
  private readonly logger = new Logger('exchange-hub rejections');

  constructor(@Inject(ExchangeLogRepository) private readonly log: ExchangeLogRepository) {}

  async reject(job: RejectedJob, reason: HubRejection, detail: string, origin?: VerifiedOrigin): Promise<never> {
    await this.record(job, reason, detail, origin);
    throw new RejectedMessageError(reason, cleanDetail(detail));
  }

  async record(job: RejectedJob, reason: HubRejection, detail: string, origin?: VerifiedOrigin): Promise<void> {
    const clean = cleanDetail(detail);
    await this.log.recordRejection({
      jobId: job.id,
      jobName: job.name,
      reason,
      detail: clean,
      sender: origin?.from ?? null,
      messageId: origin?.id ?? null,
    });
    this.logger.warn({ jobId: job.id, jobName: job.name, reason, sender: origin?.from, messageId: origin?.id, detail: clean }, 'message rejected');
  }
}

/** Details may quote attacker-chosen text (a key id): one short printable line. */
function cleanDetail(detail: string): string {
  const line = detail.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim() || 'no detail';
  return line.length > DETAIL_MAX_LENGTH ? `${line.slice(0, DETAIL_MAX_LENGTH - 1)}…` : line;
}
