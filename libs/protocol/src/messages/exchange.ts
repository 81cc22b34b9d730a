import { z } from 'zod';
import { AGENCIES, CODE_HOLDERS, EXCHANGE_HUB, MYNA_PORTAL, type Service } from '../parties';
import { logReceiptSchema } from '../transparency/hub-log';

/**
 * The exchange (DESIGN §5). Every message is a signed JWS (EdDSA); those that
 * carry something only one party may read are also sealed to it (JWE).
 *
 *   1. requester → hub       INQUIRY        JWS by the requester
 *   2. hub → provider        DELIVERY       JWE(provider) of a hub-signed JWS: the opaque token
 *   3. provider → hub        ANSWER         JWS by the provider, carrying a JWE(requester) payload
 *   4. hub → requester       RESULT         hub-signed JWS (the provider's answer, or a denial)
 *   5. hub → portal          EXCHANGE_RECORD hub-signed JWS, subject encrypted to the portal
 */
export const MESSAGE_TYPES = {
  inquiry: 'inquiry+jwt',
  delivery: 'delivery+jwt',
  answer: 'answer+jwt',
  answerPayload: 'answer-payload+jwt',
  result: 'result+jwt',
  exchangeRecord: 'exchange-record+jwt',
} as const;

/** Queue job names: one per message kind. */
export const JOB_NAMES = {
  inquiry: 'inquiry',
  delivery: 'delivery',
  answer: 'answer',
  result: 'result',
  exchangeRecord: 'exchange-record',
} as const;
export type JobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];

export const MESSAGE_TTL_SECONDS = 300;
export const MESSAGE_MAX_AGE_SECONDS = 600;
/**
 * How far clocks may differ between parties. A message whose expiry lies further
 * ahead than MESSAGE_TTL_SECONDS plus this is refused: it would outlive the replay guard's window.
 */
export const CLOCK_SKEW_SECONDS = 60;

const ciphertext = z.string().regex(/^ct1\.[A-Za-z0-9_-]{86}$/, 'must be a ct1. ciphertext');
const uuid = z.uuid();
const ruleId = z.string().regex(/^R-[A-Z0-9-]+$/);
const item = z.string().regex(/^[a-z][a-z0-9-]*$/).max(64);
const parameters = z.record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean()])).default({});

/** What goes on a queue: one compact token, nothing else. */
export const jobPayloadSchema = z.strictObject({ token: z.string().min(1).max(256 * 1024) });
export type JobPayload = z.infer<typeof jobPayloadSchema>;

/**
 * Per-party handles (DESIGN §5): the requester knows an exchange by its inquiry id,
 * the provider and the portal by random handles the hub issues. Only the hub's log
 * maps one to another; no message carries two parties' handles.
 */
const handle = uuid;

export const inquiryClaimsSchema = z.object({
  inquiryId: uuid,
  provider: z.enum(AGENCIES),
  rule: ruleId,
  item,
  parameters,
  /** Enc(Y_requester→provider, P_requester): the requester's code for the edge to the provider, freshly randomized. */
  subject: ciphertext,
  /**
   * The same code for the exchange record: Enc(Y_requester→portal, P_requester), or,
   * when the portal itself asks, under the portal's self key.
   */
  recordSubject: ciphertext,
  nonce: z.string().min(16).max(64),
});
export type InquiryClaims = z.infer<typeof inquiryClaimsSchema>;

export const deliveryClaimsSchema = z.object({
  /** The provider's handle for this exchange. */
  handle,
  requester: z.enum(CODE_HOLDERS),
  rule: ruleId,
  item,
  parameters,
  /** Enc(Y_provider←requester, P_provider←requester): only the provider can read it and close it into its own code. */
  subject: ciphertext,
  /** The hub's receipt: this message's leaf in its transparency log (DESIGN §5, "The log"). */
  receipt: logReceiptSchema.optional(),
});
export type DeliveryClaims = z.infer<typeof deliveryClaimsSchema>;

export const ANSWER_OUTCOMES = ['answered', 'no-record'] as const;

export const answerClaimsSchema = z.object({
  /** The provider's handle, from the delivery. */
  handle,
  outcome: z.enum(ANSWER_OUTCOMES),
  /** Sealed to the requester (JWE of a provider-signed JWS): the hub relays it and cannot read it. */
  payload: z.string().min(1),
});
export type AnswerClaims = z.infer<typeof answerClaimsSchema>;

/** `expired`: the provider did not answer before no answer could be accepted any more (see ANSWER_DEADLINE_SECONDS). */
export const RESULT_STATUSES = ['answered', 'no-record', 'denied', 'expired'] as const;

/**
 * How long after delivery the hub closes an exchange nobody answered. A provider
 * can open the delivery only until it expires (MESSAGE_TTL_SECONDS), and its
 * answer is valid for MESSAGE_TTL_SECONDS after it is signed; a margin covers
 * clocks that differ. After this no answer can be accepted, so closing never
 * races one.
 */
export const ANSWER_DEADLINE_SECONDS = 2 * MESSAGE_TTL_SECONDS + 300;

export const resultClaimsSchema = z.object({
  /** The requester's own handle: its inquiry id. */
  inquiryId: uuid,
  status: z.enum(RESULT_STATUSES),
  /** The provider's sealed payload, unchanged (absent when denied or expired). */
  payload: z.string().optional(),
  reason: z.string().max(500).optional(),
  /** The hub's receipt: this message's leaf in its transparency log (DESIGN §5, "The log"). */
  receipt: logReceiptSchema.optional(),
});
export type ResultClaims = z.infer<typeof resultClaimsSchema>;

/** Inside the payload the provider seals to the requester: signed by the provider, so the hub cannot alter it. */
export const answerPayloadClaimsSchema = z.object({
  item,
  outcome: z.enum(ANSWER_OUTCOMES),
  value: z.record(z.string(), z.unknown()),
});
export type AnswerPayloadClaims = z.infer<typeof answerPayloadClaimsSchema>;

/** `unanswered`: permitted and delivered, but the provider never answered (nothing was provided). */
export const EXCHANGE_STATUSES = ['permitted', 'denied', 'unanswered'] as const;

export const exchangeRecordClaimsSchema = z.object({
  /** The portal's handle for this exchange. */
  handle,
  /** The citizen's portal code, readable by the portal only: along the requester's edge to the portal, or under its self key. */
  subject: ciphertext,
  requester: z.enum(CODE_HOLDERS),
  provider: z.enum(CODE_HOLDERS),
  rule: z.string().max(64),
  item: z.string().max(64),
  procedure: z.string().max(500),
  status: z.enum(EXCHANGE_STATUSES),
  reason: z.string().max(500).optional(),
  at: z.iso.datetime(),
  /** The hub's receipt: this message's leaf in its transparency log (DESIGN §5, "The log"). */
  receipt: logReceiptSchema.optional(),
});
export type ExchangeRecordClaims = z.infer<typeof exchangeRecordClaimsSchema>;

/** What a party expects of each inbound message, by job name: who signs it, for whom, sealed or not, and its claims. */
export interface InboundMessageSpec<Claims extends z.ZodType = z.ZodType> {
  type: string;
  from: readonly Service[];
  to: readonly Service[];
  /** Sealed to its receiver (a JWE around the signed message), as the hub's deliveries are. */
  sealed: boolean;
  claims: Claims;
}

/**
 * Every message a party receives on its lanes (DESIGN §5): the hub inquiries and
 * answers; an agency deliveries (as provider) and results (as requester); the
 * portal exchange records and the results of its own inquiries. The messaging
 * edge opens each against this before any handler sees it.
 */
export const INBOUND_MESSAGES = {
  inquiry: { type: MESSAGE_TYPES.inquiry, from: CODE_HOLDERS, to: [EXCHANGE_HUB], sealed: false, claims: inquiryClaimsSchema },
  answer: { type: MESSAGE_TYPES.answer, from: AGENCIES, to: [EXCHANGE_HUB], sealed: false, claims: answerClaimsSchema },
  delivery: { type: MESSAGE_TYPES.delivery, from: [EXCHANGE_HUB], to: AGENCIES, sealed: true, claims: deliveryClaimsSchema },
  result: { type: MESSAGE_TYPES.result, from: [EXCHANGE_HUB], to: CODE_HOLDERS, sealed: false, claims: resultClaimsSchema },
  'exchange-record': { type: MESSAGE_TYPES.exchangeRecord, from: [EXCHANGE_HUB], to: [MYNA_PORTAL], sealed: false, claims: exchangeRecordClaimsSchema },
} as const satisfies Record<JobName, InboundMessageSpec>;

/** The claims of an inbound message, by its job name. */
export type InboundClaims<Name extends JobName> = z.infer<(typeof INBOUND_MESSAGES)[Name]['claims']>;

/** The messages a party receives, by job name: its worker has one handler for each, and none other. */
export function jobsReceivedBy(party: Service): JobName[] {
  return (Object.keys(INBOUND_MESSAGES) as JobName[]).filter((name) => (INBOUND_MESSAGES[name].to as readonly Service[]).includes(party));
}
