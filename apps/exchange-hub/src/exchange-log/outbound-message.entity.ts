import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { LogLeaf, LogReceipt } from '@myna/protocol';

/** A message not yet signed: its claims, and the leaf it will be logged under when a round sends it. */
export interface MessageDraft {
  type: string;
  claims: Record<string, unknown>;
  /** Sealed to the recipient (a JWE around the signed JWS), as deliveries are. */
  sealed: boolean;
  leaf: LogLeaf;
  /** Opens the leaf's commitment to the recipient's handle; it travels in the receipt. */
  nonce: string;
}

/**
 * A message the hub has decided to send and not yet sent: written in the same
 * transaction as the exchange's change, sent by the mix (outbound-mix.ts) and
 * deleted once on its queue. Nothing is lost when the hub stops between the two.
 */
@Entity({ name: 'outbound_message' })
export class OutboundMessageEntity {
  /** The message id (jti), also its job id: random, so no one can take the id first. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  recipient!: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName!: string;

  /** The signed (or sealed) message; null while it is a draft that a round will log, sign and send. */
  @Column({ type: 'text', nullable: true })
  token!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  draft!: MessageDraft | null;

  /** The receipt its round gave it, kept so that a round that died is resumed under the same leaf. */
  @Column({ type: 'jsonb', nullable: true })
  receipt!: LogReceipt | null;

  @CreateDateColumn({ name: 'queued_at', type: 'timestamptz' })
  queuedAt!: Date;

  /** Set while a round is sending it; a round that died leaves it to the next after a minute. */
  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;
}
