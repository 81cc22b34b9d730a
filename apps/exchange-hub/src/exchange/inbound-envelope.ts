import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { MessageRejections, type InboundJob } from '@myna/messaging';
import { CLOCK_SKEW_SECONDS, EnvelopeError, MESSAGE_TTL_SECONDS, verifyMessage, type ExpectedMessage, type VerifiedMessage } from '@myna/protocol';
import { HubKeys } from '../hub-keys/hub-keys';

export interface OpenedMessage<Claims> {
  message: VerifiedMessage;
  claims: Claims;
}

/** The edge of every inbound message: envelope first, then claims; either failing is recorded and rejected. */
@Injectable()
export class InboundEnvelope {
  constructor(
    @Inject(HubKeys) private readonly keys: HubKeys,
    @Inject(MessageRejections) private readonly rejections: MessageRejections,
  ) {}

  async open<Schema extends z.ZodType>(
    job: InboundJob,
    token: string,
    expected: ExpectedMessage,
    schema: Schema,
    now: number = Date.now(),
  ): Promise<OpenedMessage<z.infer<Schema>>> {
    let message: VerifiedMessage;
    try {
      message = await verifyMessage(this.keys.ring, token, expected);
    } catch (error) {
      if (error instanceof EnvelopeError) return this.rejections.reject(job, error.code, error.message);
      throw error;
    }
    // Each sender writes its own lane and no other: a message signed by someone else has been moved there.
    if (message.from !== job.sender) {
      return this.rejections.reject(job, 'wrong-lane', `signed by ${message.from} but put on ${job.sender}'s lane`, message);
    }
    // The replay guard forgets an id once its message has expired: a message that claims to expire
    // later than the protocol allows would outlive that, and could be replayed after it.
    const latestExpiry = Math.floor(now / 1000) + MESSAGE_TTL_SECONDS + CLOCK_SKEW_SECONDS;
    if (message.expiresAt > latestExpiry) {
      return this.rejections.reject(
        job,
        'expiry-too-far',
        `expires ${message.expiresAt - Math.floor(now / 1000)} s from now; messages may live ${MESSAGE_TTL_SECONDS} s (+${CLOCK_SKEW_SECONDS} s for clocks)`,
        message,
      );
    }
    const claims = schema.safeParse(message.claims);
    if (!claims.success) {
      const issue = claims.error.issues[0];
      return this.rejections.reject(job, 'invalid-claims', `${issue.path.join('.') || '(root)'}: ${issue.message}`, message);
    }
    return { message, claims: claims.data };
  }
}
