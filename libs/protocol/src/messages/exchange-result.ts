import type { ServiceKeyRing } from '../keys/key-ring';
import { openMessage, verifyMessage } from '../envelopes/envelopes';
import { EnvelopeError } from '../envelopes/envelope.exception';
import { EXCHANGE_HUB, type Service } from '../parties';
import { answerPayloadClaimsSchema, MESSAGE_MAX_AGE_SECONDS, MESSAGE_TYPES, resultClaimsSchema, type ResultClaims } from './exchange';

/**
 * The requester's side of DESIGN §5 step 5, shared by agencies and the portal.
 * Problems are EnvelopeErrors, so that each party records them as it records any
 * refused message.
 */
export type OpenedResult =
  | { status: 'denied' | 'expired'; reason: string }
  | { status: 'answered' | 'no-record'; value: Record<string, unknown> | null };

/** Verifies the hub's RESULT addressed to this party. */
export async function verifyResult(ring: ServiceKeyRing, token: string): Promise<ResultClaims> {
  const message = await verifyMessage(ring, token, { type: MESSAGE_TYPES.result, from: [EXCHANGE_HUB], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS });
  const parsed = resultClaimsSchema.safeParse(message.claims);
  if (!parsed.success) throw new EnvelopeError('malformed', 'result claims do not match the protocol');
  return parsed.data;
}

/**
 * Opens the payload inside a result, sealed to this party and signed by the
 * provider (the hub could neither read nor alter it). `provider` and `item` are
 * what the requester asked: a payload signed by anyone else, or about another
 * item, or whose outcome differs from the hub's status, is refused.
 */
export async function openResult(ring: ServiceKeyRing, result: ResultClaims, asked: { provider: Service; item: string }): Promise<OpenedResult> {
  if (result.status === 'denied') return { status: 'denied', reason: result.reason ?? 'denied by the exchange hub' };
  if (result.status === 'expired') return { status: 'expired', reason: result.reason ?? `${asked.provider} did not answer in time` };
  if (!result.payload) throw new EnvelopeError('malformed', 'an answered result carries no payload');
  const payload = await openMessage(ring, result.payload, { type: MESSAGE_TYPES.answerPayload, from: [asked.provider], maxAgeSeconds: MESSAGE_MAX_AGE_SECONDS });
  const value = answerPayloadClaimsSchema.safeParse(payload.claims);
  if (!value.success || value.data.item !== asked.item || value.data.outcome !== result.status) {
    throw new EnvelopeError('malformed', 'the answer payload does not answer this inquiry');
  }
  return { status: value.data.outcome, value: value.data.outcome === 'answered' ? value.data.value : null };
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
