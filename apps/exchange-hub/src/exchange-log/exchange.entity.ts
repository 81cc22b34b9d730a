import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { CodeHolder } from '@myna/protocol';

export const EXCHANGE_STATES = ['delivered', 'answered', 'no-record', 'denied', 'expired'] as const;
export type ExchangeState = (typeof EXCHANGE_STATES)[number];

/**
 * One inquiry as the hub mediated it. Metadata, plus the ciphertexts and sealed
 * tokens the hub needs to finish or re-send its part: never a code or a payload
 * in the clear.
 */
@Entity({ name: 'exchange' })
export class ExchangeEntity {
  /** The exchangeId: also the delivery's message id and job id. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'inquiry_id', type: 'uuid', unique: true })
  inquiryId!: string;

  /** The queue job that carried the inquiry: a retry of that job resumes, any other job is a replay. */
  @Column({ name: 'inquiry_job_id', type: 'text' })
  inquiryJobId!: string;

  @Column({ type: 'text' })
  requester!: CodeHolder;

  @Column({ type: 'text' })
  provider!: CodeHolder;

  @Column({ type: 'text' })
  rule!: string;

  @Column({ type: 'text' })
  item!: string;

  @Column({ type: 'text' })
  status!: ExchangeState;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Enc(Y_requester, P_requester) from the inquiry: translated to the portal's key at close. */
  @Column({ name: 'requester_subject', type: 'text' })
  requesterSubject!: string;

  /** The opaque token sent to the provider (JWE for it), kept so a retry re-sends the same message. */
  @Column({ name: 'delivery_token', type: 'text', nullable: true })
  deliveryToken!: string | null;

  /** Message id of the provider's answer that closed the exchange. */
  @Column({ name: 'answer_message_id', type: 'text', nullable: true })
  answerMessageId!: string | null;

  /** The hub-signed result for the requester (it carries the provider's answer, whose payload is sealed to the requester). */
  @Column({ name: 'result_token', type: 'text', nullable: true })
  resultToken!: string | null;

  /** The hub-signed exchange record for the portal (its subject is encrypted to the portal). */
  @Column({ name: 'record_token', type: 'text', nullable: true })
  recordToken!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
