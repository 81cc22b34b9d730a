import type { ServiceKeyRing } from '../keys/key-ring';
import { openMessage, verifyMessage } from '../envelopes/envelopes';
import { EnvelopeError } from '../envelopes/envelope.exception';
import { EXCHANGE_HUB, type Service } from '../parties';
import {
  answerClaimsSchema,
  answerPayloadClaimsSchema,
  MESSAGE_MAX_AGE_SECONDS,
  MESSAGE_TYPES,
  resultClaimsSchema,
  type ResultClaims,
} from './exchange';

/**
 * The requester's side of DESIGN §5 step 5, shared by agencies and the portal.
 * Problems are EnvelopeErrors, so that each party records them as it records any
 * refused message.
 */
export type OpenedResult =
  | { status: 'denied' | 'expired'; exchangeId: string; reason: string }
  | { status: 'answered' | 'no-record'; exchangeId: string; value: Record<string, unknown> | null };

/** Verifies the hub's RESULT addressed to this party. */
export async function verifyResult(ring: ServiceKeyRing, token: string): Promise<ResultClaims> {
  const message = await verifyMessage(ring, token, { type: MESSAGE_TYPES.result, from: [EXCHANGE_HUB], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS });
  const parsed = resultClaimsSchema.safeParse(message.claims);
  if (!parsed.success) throw new EnvelopeError('malformed', 'result claims do not match the protocol');
  return parsed.data;
}

/**
 * Verifies the provider's signed ANSWER inside a result, then opens the payload
 * sealed to this party (the hub could not read it). `provider` is whom the
 * requester asked: an answer signed by anyone else is refused.
 */
export async function openResult(ring: ServiceKeyRing, result: ResultClaims, provider: Service): Promise<OpenedResult> {
  if (result.status === 'denied') {
    return { status: 'denied', exchangeId: result.exchangeId, reason: result.reason ?? 'denied by the exchange hub' };
  }
  if (result.status === 'expired') {
    return { status: 'expired', exchangeId: result.exchangeId, reason: result.reason ?? `${provider} did not answer in time` };
  }
  if (!result.answer) throw new EnvelopeError('malformed', 'an answered result carries no answer');
  const answer = await verifyMessage(ring, result.answer, { type: MESSAGE_TYPES.answer, from: [provider], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS });
  const answerClaims = answerClaimsSchema.safeParse(answer.claims);
  if (!answerClaims.success || answerClaims.data.exchangeId !== result.exchangeId) {
    throw new EnvelopeError('malformed', 'the answer does not belong to this exchange');
  }
  const payload = await openMessage(ring, answerClaims.data.payload, { type: MESSAGE_TYPES.answerPayload, from: [provider], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS });
  const value = answerPayloadClaimsSchema.safeParse(payload.claims);
  if (!value.success || value.data.exchangeId !== result.exchangeId) {
    throw new EnvelopeError('malformed', 'the answer payload does not belong to this exchange');
  }
  const outcome = answerClaims.data.outcome;
  return { status: outcome, exchangeId: result.exchangeId, value: outcome === 'answered' ? value.data.value : null };
}

/**
 * What a requester records for an opened result, in the statuses agencies and the
 * portal share: an exchange the provider never answered is a failed inquiry, with the reason.
 */
export type Settlement =
  | { status: 'denied' | 'failed'; reason: string }
  | { status: 'answered' | 'no-record'; result: Record<string, unknown> | null };

export function settle(opened: OpenedResult): Settlement {
  switch (opened.status) {
    case 'denied':
      return { status: 'denied', reason: opened.reason };
    case 'expired':
      return { status: 'failed', reason: opened.reason };
    default:
      return { status: opened.status, result: opened.value };
  }
}
