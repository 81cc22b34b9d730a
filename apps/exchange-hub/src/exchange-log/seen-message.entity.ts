import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A message id the hub has accepted, and the job that carried it: the replay guard. */
@Entity({ name: 'seen_message' })
export class SeenMessageEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  sender!: string;

  @Column({ name: 'job_id', type: 'text' })
  jobId!: string;

  /** After this the envelope check refuses the message anyway (too old), so the row may be pruned. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'seen_at', type: 'timestamptz' })
  seenAt!: Date;
}
