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
export interface InboundHandler {
  readonly jobName: JobName;
  handle(token: string, job: InboundJob): Promise<void>;
}

/** Multi-provider token: every InboundHandler class a party registers. */
export const INBOUND_HANDLERS = Symbol('INBOUND_HANDLERS');

/**
 * Optional: told when the worker itself refuses a job (data not `{ token }`, no
 * handler for its name, or a subject no code can be read from), so a party can record it.
 */
export interface InboundRejectionListener {
  rejected(job: { id: string; name: string }, reason: 'malformed-payload' | 'unknown-job' | 'invalid-subject', detail: string): Promise<void>;
}

export const INBOUND_REJECTION_LISTENER = Symbol('INBOUND_REJECTION_LISTENER');
