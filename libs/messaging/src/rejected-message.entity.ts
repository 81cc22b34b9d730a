import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A message a party refused (it is also dead-lettered), in that party's own
 * database: the hub's, each agency's and the portal's. Never the token itself.
 * Its id is random, so no two parties store the same one.
 */
@Entity({ name: 'rejected_message' })
@Index('rejected_message_received_at_idx', ['receivedAt'])
@Index('rejected_message_job_id_idx', ['jobId'])
export class RejectedMessage {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'job_id', type: 'text' })
  jobId!: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName!: string;

  /** The stable, machine-readable cause (the dead letter's `code`): bad-signature, replayed, misaddressed, … */
  @Column({ type: 'text' })
  reason!: string;

  /** The cause in words (the dead letter's `reason`): one short printable line. */
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

/** Entities every party that receives messages adds to its database (with a migration of its own). */
export const MESSAGING_ENTITIES = [RejectedMessage];
