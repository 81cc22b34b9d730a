import { Inject, Logger, type Type } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import { isCodesError } from '@myna/codes';
import { FederationError, inboundQueue, jobPayloadSchema, sendersTo, type JobName, type Service } from '@myna/protocol';
import { DeadLetterService } from './dead-letters';
import { InboundEnvelope } from './inbound-envelope';
import { InboundHandlers } from './inbound-handlers';
import { MessageRejections } from './message-rejections';

/** A refusal's code and reason, as one BullMQ failure message (`code: reason`). */
function deadLetterReason(code: string, reason: string): string {
  return `${code}: ${reason}`;
}

/** The code and reason of a failed job: its refusal's, or `processing-failed` for an error that exhausted its retries. */
export function readDeadLetterReason(error: Error): { code: string; reason: string } {
  const message = error.message.replace(/\s+/g, ' ').slice(0, 300);
  const refused = error instanceof UnrecoverableError ? /^([a-z0-9-]+): (.*)$/.exec(message) : null;
  return refused ? { code: refused[1], reason: refused[2] } : { code: 'processing-failed', reason: message };
}

/** How a party's workers run: how many jobs at once, how long a lock lasts, and the name BullMQ records on each job taken. */
export interface WorkerSettings {
  concurrency: number;
  lockMs: number;
  name?: string;
}

/**
 * The workers of a party, one per inbound lane: each validates every payload at
 * the edge, opens and checks the message against the protocol (InboundEnvelope),
 * hands it to the party's handler for its job name, and dead-letters what cannot
 * succeed.
 */
export function inboundProcessorsFor(party: Service, workers: WorkerSettings): Type<WorkerHost>[] {
  return sendersTo(party).map((sender) => inboundProcessorFor(party, sender, workers));
}

function inboundProcessorFor(party: Service, sender: Service, workers: WorkerSettings): Type<WorkerHost> {
  const lane = inboundQueue(party, sender);
  // A job whose worker died is taken over once its lock lapses, checked as often as the lock is long.
  @Processor(lane, { concurrency: workers.concurrency, lockDuration: workers.lockMs, stalledInterval: workers.lockMs, ...(workers.name ? { name: workers.name } : {}) })
  class InboundProcessor extends WorkerHost {
    private readonly logger = new Logger(`${lane}`);

    constructor(
      @Inject(InboundHandlers) private readonly handlers: InboundHandlers,
      @Inject(DeadLetterService) private readonly deadLetters: DeadLetterService,
      @Inject(MessageRejections) private readonly rejections: MessageRejections,
      @Inject(InboundEnvelope) private readonly envelope: InboundEnvelope,
    ) {
      super();
    }

    async process(job: Job): Promise<void> {
      const handler = this.handlers.get(job.name as JobName);
      if (!handler) return this.refuse(job, 'unknown-job', `unknown job name '${job.name}'`);
      const payload = jobPayloadSchema.safeParse(job.data);
      if (!payload.success) return this.refuse(job, 'malformed-payload', 'malformed payload: expected { token } and nothing else');
      try {
        const inbound = { id: String(job.id), name: job.name as JobName, attemptsMade: job.attemptsMade, sender };
        // One way in: the message is opened and checked here, for every party; the handler only acts on it.
        await handler.handle(await this.envelope.open(inbound, payload.data.token));
      } catch (error) {
        // A refusal of the message itself (4xx) is final; a failure of ours or a peer's (5xx) is retried.
        if (error instanceof FederationError && error.status < 500) throw new UnrecoverableError(deadLetterReason(error.code, error.message));
        // The codes library refuses a ciphertext no code can be read from (an identity point
        // as a component, or one that decrypts to it): the message's fault, so final.
        if (isCodesError(error)) return this.refuse(job, 'invalid-subject', `subject: ${error.message}`);
        throw error;
      }
    }

    /** Refused before any handler sees it, or for a subject no code can be read from: recorded like every other refusal, and dead-lettered. */
    private async refuse(job: Job, code: 'malformed-payload' | 'unknown-job' | 'invalid-subject', reason: string): Promise<never> {
      await this.rejections.record({ id: String(job.id), name: job.name }, code, reason);
      throw new UnrecoverableError(deadLetterReason(code, reason));
    }

    @OnWorkerEvent('failed')
    async onFailed(job: Job | undefined, error: Error): Promise<void> {
      if (!job) return;
      const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      // Only the code and reason are logged, on one line and bounded: never the token, and no attacker-chosen text at length.
      const { code, reason } = readDeadLetterReason(error);
      this.logger.warn({ jobId: job.id, jobName: job.name, attempt: job.attemptsMade, final, code, reason }, 'message failed');
      if (final) await this.deadLetters.bury(job, code, reason);
    }
  }
  return InboundProcessor;
}
