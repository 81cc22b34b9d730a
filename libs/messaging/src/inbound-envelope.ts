import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_KEYS } from '@myna/platform';
import {
  CLOCK_SKEW_SECONDS,
  INBOUND_MESSAGES,
  MESSAGE_MAX_AGE_SECONDS,
  MESSAGE_TTL_SECONDS,
  openMessage,
  verifyMessage,
  type JobName,
  type ServiceKeyRing,
} from '@myna/protocol';
import type { InboundJob, InboundMessage } from './inbound-handler';
import { MessageRejections } from './message-rejections';

/**
 * The edge of every inbound message, for every party, as the protocol describes it
 * (INBOUND_MESSAGES): the envelope (decrypted if sealed, then verified, with its
 * algorithms, signers, audience and age), the lane it came on, its expiry, then its
 * claims. Whatever fails is recorded and rejected with its code, so a handler
 * starts from a message it can trust.
 */
@Injectable()
export class InboundEnvelope {
  constructor(
    @Inject(SERVICE_KEYS) private readonly ring: ServiceKeyRing | null,
    @Inject(MessageRejections) private readonly rejections: MessageRejections,
  ) {}

  async open<Name extends JobName>(job: InboundJob & { name: Name }, token: string, now: number = Date.now()): Promise<InboundMessage<Name>> {
    const ring = this.keys();
    const spec = INBOUND_MESSAGES[job.name];
    const expected = { type: spec.type, from: spec.from, maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS };
    const message = await this.rejections.envelope(job, () => (spec.sealed ? openMessage(ring, token, expected) : verifyMessage(ring, token, expected)));
    // Each sender writes its own lane and no other: a message signed by someone else has been moved there.
    if (message.from !== job.sender) {
      return this.rejections.reject(job, 'wrong-lane', `signed by ${message.from} but put on ${job.sender}'s lane`, message);
    }
    // A replay guard forgets an id once its message has expired: a message that claims to expire
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
    const claims = spec.claims.safeParse(message.claims);
    if (!claims.success) {
      const issue = claims.error.issues[0];
      return this.rejections.reject(job, 'invalid-claims', `${issue.path.join('.') || '(root)'}: ${issue.message}`, message);
    }
    return { job, message, claims: claims.data as InboundMessage<Name>['claims'] };
  }

  /** The service's own key ring: every party that receives messages has one. */
  keys(): ServiceKeyRing {
    if (!this.ring) throw new Error('this service receives messages but has no key file: set usesKeys in its service definition');
    return this.ring;
  }
}
