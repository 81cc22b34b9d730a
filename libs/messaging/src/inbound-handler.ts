import type { JobName } from '@myna/protocol';

export interface InboundJob {
  /** The queue job id: the message id, so a message is processed once. */
  id: string;
  name: JobName;
  attemptsMade: number;
}

/** Handles one kind of inbound message (one job name) for a party. */
export interface InboundHandler {
  readonly jobName: JobName;
  handle(token: string, job: InboundJob): Promise<void>;
}

/** Multi-provider token: every InboundHandler class a party registers. */
export const INBOUND_HANDLERS = Symbol('INBOUND_HANDLERS');
