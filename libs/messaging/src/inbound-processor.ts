import { Inject, Logger, Optional, type Type } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import { isCodesError } from '@myna/codes';
import { FederationError, inboundQueue, jobPayloadSchema, sendersTo, type JobName, type Service } from '@myna/protocol';
import { DeadLetterService } from './dead-letters';
import { INBOUND_HANDLERS, INBOUND_REJECTION_LISTENER, type InboundHandler, type InboundRejectionListener } from './inbound-handler';

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

/** Handlers are found at start-up; a duplicated job name fails the start. */
export function indexHandlers(handlers: InboundHandler[]): Map<JobName, InboundHandler> {
  const byName = new Map<JobName, InboundHandler>();
  for (const handler of handlers) {
    if (byName.has(handler.jobName)) throw new Error(`two handlers for job '${handler.jobName}'`);
    byName.set(handler.jobName, handler);
  }
  return byName;
}

/**
 * The workers of a party, one per inbound lane: each validates every payload at
 * the edge, dispatches on the job name, and dead-letters what cannot succeed.
 */
export function inboundProcessorsFor(party: Service, workers: { concurrency: number; lockMs: number }): Type<WorkerHost>[] {
  return sendersTo(party).map((sender) => inboundProcessorFor(party, sender, workers));
}

function inboundProcessorFor(party: Service, sender: Service, workers: { concurrency: number; lockMs: number }): Type<WorkerHost> {
  const lane = inboundQueue(party, sender);
  // A job whose worker died is taken over once its lock lapses, checked as often as the lock is long.
  @Processor(lane, { concurrency: workers.concurrency, lockDuration: workers.lockMs, stalledInterval: workers.lockMs })
  class InboundProcessor extends WorkerHost {
    private readonly logger = new Logger(`${lane}`);
    private readonly handlers: Map<JobName, InboundHandler>;

    constructor(
      @Inject(INBOUND_HANDLERS) handlers: InboundHandler[],
      @Inject(DeadLetterService) private readonly deadLetters: DeadLetterService,
      @Optional() @Inject(INBOUND_REJECTION_LISTENER) private readonly rejections?: InboundRejectionListener,
    ) {
      super();
      this.handlers = indexHandlers(handlers);
    }

    async process(job: Job): Promise<void> {
      const handler = this.handlers.get(job.name as JobName);
      if (!handler) return this.refuse(job, 'unknown-job', `unknown job name '${job.name}'`);
      const payload = jobPayloadSchema.safeParse(job.data);
      if (!payload.success) return this.refuse(job, 'malformed-payload', 'malformed payload: expected { token } and nothing else');
      try {
        await handler.handle(payload.data.token, { id: String(job.id), name: handler.jobName, attemptsMade: job.attemptsMade, sender });
      } catch (error) {
        // A refusal of the message itself (4xx) is final; a failure of ours or a peer's (5xx) is retried.
        if (error instanceof FederationError && error.status < 500) throw new UnrecoverableError(deadLetterReason(error.code, error.message));
        // The codes library refuses a ciphertext no code can be read from (an identity point
        // as a component, or one that decrypts to it): the message's fault, so final.
        if (isCodesError(error)) return this.refuse(job, 'invalid-subject', `subject: ${error.message}`);
        throw error;
      }
    }

    private async refuse(job: Job, reason: 'malformed-payload' | 'unknown-job' | 'invalid-subject', detail: string): Promise<never> {
      await this.rejections?.rejected({ id: String(job.id), name: job.name }, reason, detail);
      throw new UnrecoverableError(deadLetterReason(reason, detail));
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
