import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CitizenEntity } from '../register/citizen.entity';
import { IssuanceRequestEntity } from './issuance-request.entity';

/** That a citizen's code was issued to an agency, and when. Never the code itself. */
@Entity({ name: 'code_issuance' })
export class CodeIssuanceEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @ManyToOne(() => CitizenEntity, { nullable: false })
  @JoinColumn({ name: 'citizen_id' })
  citizen?: CitizenEntity;

  @Column({ name: 'citizen_id', type: 'uuid' })
  citizenId!: string;

  @Column({ type: 'text' })
  agency!: string;

  @ManyToOne(() => IssuanceRequestEntity, { nullable: false })
  @JoinColumn({ name: 'request_id' })
  request?: IssuanceRequestEntity;

  @Column({ name: 'request_id', type: 'text' })
  requestId!: string;

  @CreateDateColumn({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;
}
