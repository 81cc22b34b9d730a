import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One code-issuance request, kept by its message id so that a replay is refused. */
@Entity({ name: 'issuance_request' })
export class IssuanceRequestEntity {
  /** The request message's id (`jti`). */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  /** The agency that signed the request. */
  @Column({ type: 'text' })
  requester!: string;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'person_count', type: 'int' })
  personCount!: number;

  @Column({ name: 'issued_count', type: 'int' })
  issuedCount!: number;

  @Column({ name: 'refused_count', type: 'int' })
  refusedCount!: number;
}
