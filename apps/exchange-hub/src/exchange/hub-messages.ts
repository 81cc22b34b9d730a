import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  deliveryClaimsSchema,
  encryptFor,
  exchangeRecordClaimsSchema,
  JOB_NAMES,
  MESSAGE_TTL_SECONDS,
  MESSAGE_TYPES,
  resultClaimsSchema,
  signMessage,
  type CodeHolder,
  type DeliveryClaims,
  type ExchangeRecordClaims,
  type ResultClaims,
  MYNA_PORTAL,
} from '@myna/protocol';
import type { OutboundMessage } from '../exchange-log/exchange-log.repository';
import { HubKeys } from '../hub-keys/hub-keys';

const PORTAL = MYNA_PORTAL satisfies CodeHolder;

/**
 * Builds what the hub says, signed with its own key, each under a fresh random
 * message id (also its job id). Claims are checked against the protocol's
 * schemas before signing: the hub never emits a message its peers would have to refuse.
 */
@Injectable()
export class HubMessages {
  constructor(@Inject(HubKeys) private readonly keys: HubKeys) {}

  /** The opaque token: a hub-signed DELIVERY sealed to the provider, which alone can open it. */
  async delivery(provider: CodeHolder, claims: DeliveryClaims): Promise<OutboundMessage> {
    const id = randomUUID();
    const signed = await signMessage(this.keys.ring, {
      to: provider,
      type: MESSAGE_TYPES.delivery,
      claims: deliveryClaimsSchema.parse(claims),
      ttlSeconds: MESSAGE_TTL_SECONDS,
      id,
    });
    return { id, recipient: provider, jobName: JOB_NAMES.delivery, token: await encryptFor(this.keys.ring, provider, signed) };
  }

  /** The RESULT for the requester: the provider's sealed payload, unchanged, or the reason it has none. */
  async result(requester: CodeHolder, claims: ResultClaims): Promise<OutboundMessage> {
    const id = randomUUID();
    const token = await signMessage(this.keys.ring, {
      to: requester,
      type: MESSAGE_TYPES.result,
      claims: stripUndefined(resultClaimsSchema.parse(claims)),
      ttlSeconds: MESSAGE_TTL_SECONDS,
      id,
    });
    return { id, recipient: requester, jobName: JOB_NAMES.result, token };
  }

  /** The EXCHANGE_RECORD for the portal, addressed by the citizen's portal code (readable by the portal only). */
  async exchangeRecord(claims: ExchangeRecordClaims): Promise<OutboundMessage> {
    const id = randomUUID();
    const token = await signMessage(this.keys.ring, {
      to: PORTAL,
      type: MESSAGE_TYPES.exchangeRecord,
      claims: stripUndefined(exchangeRecordClaimsSchema.parse(claims)),
      ttlSeconds: MESSAGE_TTL_SECONDS,
      id,
    });
    return { id, recipient: PORTAL, jobName: JOB_NAMES.exchangeRecord, token };
  }
}

function stripUndefined<T extends object>(claims: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}
