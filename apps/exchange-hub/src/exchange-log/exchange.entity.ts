import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { CodeHolder } from '@myna/protocol';

export const EXCHANGE_STATES = ['delivered', 'answered', 'no-record', 'denied', 'expired'] as const;
export type ExchangeState = (typeof EXCHANGE_STATES)[number];

/**
 * One inquiry as the hub mediated it: metadata, and the map between the parties'
 * handles, which no party holds. While it is open it also keeps the requester's
 * record subject (a ciphertext), translated for the portal when it closes and
 * deleted then. Never a code or a payload in the clear.
 */
@Entity({ name: 'exchange' })
export class ExchangeEntity {
  /** The hub's own id for the exchange: no party ever sees it. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  requester!: CodeHolder;

  /** The requester's handle. */
  @Column({ name: 'inquiry_id', type: 'uuid' })
  inquiryId!: string;

  /** The queue job that carried the inquiry: a retry of that job resumes, any other job is a replay. */
  @Column({ name: 'inquiry_job_id', type: 'text' })
  inquiryJobId!: string;

  @Column({ type: 'text' })
  provider!: CodeHolder;

  /** The provider's handle, issued by the hub; null when denied (nothing reached the provider). */
  @Column({ name: 'provider_handle', type: 'uuid', nullable: true })
  providerHandle!: string | null;

  /** The portal's handle, issued by the hub. */
  @Column({ name: 'portal_handle', type: 'uuid' })
  portalHandle!: string;

  @Column({ type: 'text' })
  rule!: string;

  @Column({ type: 'text' })
  item!: string;

  @Column({ type: 'text' })
  status!: ExchangeState;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Enc(Y_requester→portal, P_requester) (or under the portal's self key) until the exchange closes. */
  @Column({ name: 'record_subject', type: 'text', nullable: true })
  recordSubject!: string | null;

  /** Message id of the provider's answer that closed the exchange. */
  @Column({ name: 'answer_message_id', type: 'text', nullable: true })
  answerMessageId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
