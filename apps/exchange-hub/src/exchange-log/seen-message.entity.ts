import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A message id the hub has accepted, and the job that carried it: the replay
 * guard. Keyed by sender: ids are the senders' own, so one sender cannot take
 * another's id first.
 */
@Entity({ name: 'seen_message' })
export class SeenMessageEntity {
  @PrimaryColumn({ type: 'text' })
  sender!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'job_id', type: 'text' })
  jobId!: string;

  /** After this the envelope check refuses the message anyway (too old), so the row may be pruned. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'seen_at', type: 'timestamptz' })
  seenAt!: Date;
}
