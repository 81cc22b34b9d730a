import { Inject, Injectable } from '@nestjs/common';
import {
  deliveryClaimsSchema,
  encryptFor,
  exchangeRecordClaimsSchema,
  MESSAGE_TTL_SECONDS,
  MESSAGE_TYPES,
  resultClaimsSchema,
  signMessage,
  type CodeHolder,
  type DeliveryClaims,
  type ExchangeRecordClaims,
  type ResultClaims,
} from '@myna/protocol';
import { HubKeys } from '../hub-keys/hub-keys';

const PORTAL = 'myna-portal' satisfies CodeHolder;

/** Message ids, which are also the job ids (BullMQ ids must not contain ':'). */
export const deliveryMessageId = (exchangeId: string) => exchangeId;
export const resultMessageId = (exchangeId: string) => `result-${exchangeId}`;
export const recordMessageId = (exchangeId: string) => `record-${exchangeId}`;

/**
 * Builds what the hub says, signed with its own key. Claims are checked against
 * the protocol's schemas before signing: the hub never emits a message its peers
 * would have to refuse.
 */
@Injectable()
export class HubMessages {
  constructor(@Inject(HubKeys) private readonly keys: HubKeys) {}

  /** The opaque token: a hub-signed DELIVERY sealed to the provider, which alone can open it. */
  async delivery(provider: CodeHolder, claims: DeliveryClaims): Promise<string> {
    const signed = await signMessage(this.keys.ring, {
      to: provider,
      type: MESSAGE_TYPES.delivery,
      claims: deliveryClaimsSchema.parse(claims),
      ttlSeconds: MESSAGE_TTL_SECONDS,
      id: deliveryMessageId(claims.exchangeId),
    });
    return encryptFor(this.keys.ring, provider, signed);
  }

  /** The RESULT for the requester: the provider's signed answer, unchanged, or the reason for a denial. */
  result(requester: CodeHolder, claims: ResultClaims): Promise<string> {
    return signMessage(this.keys.ring, {
      to: requester,
      type: MESSAGE_TYPES.result,
      claims: stripUndefined(resultClaimsSchema.parse(claims)),
      ttlSeconds: MESSAGE_TTL_SECONDS,
      id: resultMessageId(claims.exchangeId),
    });
  }

  /** The EXCHANGE_RECORD for the portal, addressed by the citizen's portal code (encrypted to the portal). */
  exchangeRecord(claims: ExchangeRecordClaims): Promise<string> {
    return signMessage(this.keys.ring, {
      to: PORTAL,
      type: MESSAGE_TYPES.exchangeRecord,
      claims: stripUndefined(exchangeRecordClaimsSchema.parse(claims)),
      ttlSeconds: MESSAGE_TTL_SECONDS,
      id: recordMessageId(claims.exchangeId),
    });
  }
}

function stripUndefined<T extends object>(claims: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}
