import type { LogReceipt } from '@myna/protocol';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const INQUIRY_STATUSES = ['pending', 'answered', 'no-record', 'denied', 'failed'] as const;
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];

/** An inquiry this agency made, as requester: what it asked, and what it was told. */
@Entity({ name: 'inquiry' })
export class Inquiry {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'text' })
  provider!: string;

  @Column({ type: 'text' })
  rule!: string;

  @Column({ type: 'text' })
  item!: string;

  @Column({ type: 'jsonb' })
  parameters!: Record<string, unknown>;

  @Column({ type: 'text' })
  status!: InquiryStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  /** The hub's receipt that came with the result: this agency's own leaf in the hub's log (DESIGN §5, "The log"). */
  @Column({ type: 'jsonb', nullable: true })
  receipt!: LogReceipt | null;
}

/**
 * What this agency gave, as provider: one row per exchange, under the handle the
 * hub issued for it (no other party stores that handle), so an answer is given once.
 */
@Entity({ name: 'provided_exchange' })
export class ProvidedExchange {
  @PrimaryColumn({ type: 'uuid' })
  handle!: string;

  @Column({ type: 'text' })
  requester!: string;

  @Column({ type: 'text' })
  rule!: string;

  @Column({ type: 'text' })
  item!: string;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ type: 'text' })
  outcome!: 'answered' | 'no-record';

  /**
   * The id of the answer this agency sent (also its job id): a retried delivery is
   * answered again under it, so the hub takes one. The answer itself is not kept:
   * its signature and its expiry would be values and times the hub and the requester also saw.
   */
  @Column({ name: 'answer_message_id', type: 'uuid' })
  answerMessageId!: string;

  /** To the minute (DESIGN §5, timing): the hub's mix and coarse times leave nothing to pair with the requester's. */
  @Column({ name: 'provided_at', type: 'timestamptz', default: () => "date_trunc('minute', now())" })
  providedAt!: Date;

  /** The hub's receipt that came with the delivery: this agency's own leaf in the hub's log. */
  @Column({ type: 'jsonb', nullable: true })
  receipt!: LogReceipt | null;
}
