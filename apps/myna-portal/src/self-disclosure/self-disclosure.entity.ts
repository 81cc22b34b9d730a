import type { LogReceipt } from '@myna/protocol';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const DISCLOSURE_STATUSES = ['pending', 'answered', 'no-record', 'denied', 'failed'] as const;
export type DisclosureStatus = (typeof DISCLOSURE_STATUSES)[number];

/**
 * One self-disclosure inquiry the portal sent on a citizen's behalf, and the
 * agency's answer once it arrives. Kept for an hour, for the citizen to read.
 */
@Entity({ name: 'self_disclosure' })
@Index(['portalCode', 'requestedAt'])
export class SelfDisclosure {
  @PrimaryColumn({ name: 'inquiry_id', type: 'uuid' })
  inquiryId!: string;

  /** The inquiries sent together, one per agency. */
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId!: string;

  @Column({ name: 'portal_code', type: 'text' })
  portalCode!: string;

  @Column({ type: 'text' })
  provider!: string;

  @Column({ type: 'text' })
  rule!: string;

  @Column({ type: 'text' })
  status!: DisclosureStatus;

  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  /** The hub's receipt that came with the result: the portal's own leaf in the hub's log (DESIGN §5, "The log"). */
  @Column({ type: 'jsonb', nullable: true })
  receipt!: LogReceipt | null;

}
