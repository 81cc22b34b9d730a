import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { InboundJob } from '@myna/messaging';
import { EnvelopeError, verifyMessage, type ExpectedMessage, type VerifiedMessage } from '@myna/protocol';
import { HubKeys } from '../hub-keys/hub-keys';
import { MessageRejections } from '../rejections/message-rejections';

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
  ): Promise<OpenedMessage<z.infer<Schema>>> {
    let message: VerifiedMessage;
    try {
      message = await verifyMessage(this.keys.ring, token, expected);
    } catch (error) {
      if (error instanceof EnvelopeError) return this.rejections.reject(job, error.code, error.message);
      throw error;
    }
    const claims = schema.safeParse(message.claims);
    if (!claims.success) {
      const issue = claims.error.issues[0];
      return this.rejections.reject(job, 'invalid-claims', `${issue.path.join('.') || '(root)'}: ${issue.message}`, message);
    }
    return { message, claims: claims.data };
  }
}
