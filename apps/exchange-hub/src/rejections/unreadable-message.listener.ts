import { Inject, Injectable } from '@nestjs/common';
import type { InboundRejectionListener } from '@myna/messaging';
import { MessageRejections } from './message-rejections';

/**
 * The shared inbound worker refuses a job before any hub handler sees it when its
 * data is not `{ token }` or no handler knows its name, and ends a job whose subject
 * no code can be read from; this records such a job in
 * `rejected_message`, so that the hub's rejection log is complete.
 */
@Injectable()
export class UnreadableMessageListener implements InboundRejectionListener {
  constructor(@Inject(MessageRejections) private readonly rejections: MessageRejections) {}

  rejected(job: { id: string; name: string }, reason: 'malformed-payload' | 'unknown-job' | 'invalid-subject', detail: string): Promise<void> {
    return this.rejections.record(job, reason, detail);
  }
}
