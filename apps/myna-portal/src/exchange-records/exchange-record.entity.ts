import type { LogReceipt } from '@myna/protocol';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EXCHANGE_STATUSES } from '@myna/protocol';

export type ExchangeRecordStatus = (typeof EXCHANGE_STATUSES)[number];

/**
 * One exchange about a citizen, as the portal knows it: addressed by the portal's
 * own code for the citizen (機関別符号), never by any agency's code, under the
 * handle the hub issued to the portal for it (no other party stores it). Times
 * are kept to the minute (DESIGN §5, timing).
 */
@Entity({ name: 'exchange_record' })
@Index(['portalCode', 'at'])
export class ExchangeRecord {
  @PrimaryColumn({ type: 'uuid' })
  handle!: string;

  @Column({ name: 'portal_code', type: 'text' })
  portalCode!: string;

  @Column({ type: 'text' })
  requester!: string;

  @Column({ type: 'text' })
  provider!: string;

  @Column({ type: 'text' })
  rule!: string;

  @Column({ type: 'text' })
  item!: string;

  @Column({ type: 'text' })
  procedure!: string;

  @Column({ type: 'text' })
  status!: ExchangeRecordStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => "date_trunc('minute', now())" })
  receivedAt!: Date;

  /** The hub's receipt: the portal's own leaf for this record in the hub's log, which the citizen can verify (DESIGN §5, "The log"). */
  @Column({ type: 'jsonb', nullable: true })
  receipt!: LogReceipt | null;
}
