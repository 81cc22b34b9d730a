import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A message the hub refused (it is also dead-lettered). Never the token itself. */
@Entity({ name: 'rejected_message' })
export class RejectedMessageEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'job_id', type: 'text' })
  jobId!: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName!: string;

  /** Stable, machine-readable cause: bad-signature, replayed, misaddressed, … */
  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  detail!: string;

  /** The verified signer, when the signature checked out. */
  @Column({ type: 'text', nullable: true })
  sender!: string | null;

  /** The verified message id, when the signature checked out. */
  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
