import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

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

  /** The signed (or sealed) message. */
  @Column({ type: 'text' })
  token!: string;

  @CreateDateColumn({ name: 'queued_at', type: 'timestamptz' })
  queuedAt!: Date;

  /** Set while a round is sending it; a round that died leaves it to the next after a minute. */
  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;
}
