import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  commitToHandle,
  deliveryClaimsSchema,
  encryptFor,
  exchangeRecordClaimsSchema,
  JOB_NAMES,
  logReceiptSchema,
  MESSAGE_TTL_SECONDS,
  MESSAGE_TYPES,
  newCommitmentNonce,
  resultClaimsSchema,
  signMessage,
  type CodeHolder,
  type DeliveryClaims,
  type ExchangeRecordClaims,
  type JobName,
  type LogEvent,
  type ResultClaims,
  MYNA_PORTAL,
  type Service,
} from '@myna/protocol';
import type { OutboundMessage } from '../exchange-log/exchange-log.repository';
import { HubKeys } from '../hub-keys/hub-keys';

const PORTAL = MYNA_PORTAL satisfies CodeHolder;

/** What a leaf says about the exchange a message belongs to: metadata only. */
export interface ExchangeFacts {
  requester: CodeHolder;
  provider: CodeHolder;
  rule: string;
  item: string;
}

/**
 * Builds what the hub says, each under a fresh random message id (also its job
 * id). Claims are checked against the protocol's schemas at once: the hub never
 * emits a message its peers would have to refuse. A message is a draft until the
 * round that sends it has logged it (DESIGN §5, "The log"): `finalize` then signs
 * it with the hub's key, its receipt among the claims, and seals it where it must be.
 */
@Injectable()
export class HubMessages {
  constructor(@Inject(HubKeys) private readonly keys: HubKeys) {}

  /** The opaque token: a hub-signed DELIVERY sealed to the provider, which alone can open it. */
  delivery(provider: CodeHolder, claims: DeliveryClaims, facts: ExchangeFacts): OutboundMessage {
    return draft(provider, JOB_NAMES.delivery, MESSAGE_TYPES.delivery, deliveryClaimsSchema.parse(claims), true, {
      event: 'delivered',
      facts,
      status: 'delivered',
      handle: claims.handle,
    });
  }

  /** The RESULT for the requester: the provider's sealed payload, unchanged, or the reason it has none. */
  result(requester: CodeHolder, claims: ResultClaims, facts: ExchangeFacts): OutboundMessage {
    return draft(requester, JOB_NAMES.result, MESSAGE_TYPES.result, resultClaimsSchema.parse(claims), false, {
      event: 'closed',
      facts,
      status: claims.status,
      handle: claims.inquiryId,
    });
  }

  /** The EXCHANGE_RECORD for the portal, addressed by the citizen's portal code (readable by the portal only). */
  exchangeRecord(claims: ExchangeRecordClaims): OutboundMessage {
    const { requester, provider, rule, item } = claims;
    return draft(PORTAL, JOB_NAMES.exchangeRecord, MESSAGE_TYPES.exchangeRecord, exchangeRecordClaimsSchema.parse(claims), false, {
      event: 'closed',
      facts: { requester, provider, rule, item },
      status: claims.status,
      handle: claims.handle,
    });
  }

  /** The message as it goes on its queue: signed now, its receipt among its claims (and sealed if it is a delivery). */
  async finalize(message: OutboundMessage): Promise<string> {
    if (message.token) return message.token;
    const { draft } = message;
    if (!draft) throw new Error(`outbound message ${message.id} has neither a token nor a draft`);
    const receipt = message.receipt ? { receipt: logReceiptSchema.parse(message.receipt) } : {};
    const recipient = message.recipient as Service;
    const signed = await signMessage(this.keys.ring, {
      to: recipient,
      type: draft.type,
      claims: { ...stripUndefined(draft.claims), ...receipt },
      ttlSeconds: MESSAGE_TTL_SECONDS,
      id: message.id,
    });
    return draft.sealed ? encryptFor(this.keys.ring, recipient, signed) : signed;
  }
}

function draft(
  recipient: CodeHolder,
  jobName: JobName,
  type: string,
  claims: Record<string, unknown>,
  sealed: boolean,
  leaf: { event: LogEvent; facts: ExchangeFacts; status: string; handle: string },
): OutboundMessage {
  const nonce = newCommitmentNonce();
  const { requester, provider, rule, item } = leaf.facts;
  return {
    id: randomUUID(),
    recipient,
    jobName,
    token: null,
    receipt: null,
    draft: {
      type,
      claims: stripUndefined(claims),
      sealed,
      leaf: { v: 1, event: leaf.event, to: recipient, requester, provider, rule, item, status: leaf.status, commitment: commitToHandle(leaf.handle, nonce) },
      nonce,
    },
  };
}

function stripUndefined<T extends object>(claims: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}
