import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CitizenEntity } from '../register/citizen.entity';

export const STORED_CERTIFICATE_STATUSES = ['valid', 'suspended', 'revoked'] as const;
export type StoredCertificateStatus = (typeof STORED_CERTIFICATE_STATUSES)[number];

export const REVOCATION_REASONS = ['holder-request', 'lost-or-stolen', 'superseded'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** A card's user-authentication certificate as the issuer records it. Only code-issuer links a serial to a citizen. */
@Entity({ name: 'card_certificate' })
export class CardCertificateEntity {
  @PrimaryColumn({ type: 'char', length: 20 })
  serial!: string;

  @ManyToOne(() => CitizenEntity, { nullable: false })
  @JoinColumn({ name: 'citizen_id' })
  citizen?: CitizenEntity;

  @Column({ name: 'citizen_id', type: 'uuid' })
  citizenId!: string;

  /** RFC 7638 thumbprint of the certified public key. */
  @Column({ name: 'public_key_thumbprint', type: 'text', unique: true })
  publicKeyThumbprint!: string;

  @Column({ type: 'text' })
  status!: StoredCertificateStatus;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revocation_reason', type: 'text', nullable: true })
  revocationReason!: RevocationReason | null;

  @Column({ name: 'pin_resets', type: 'int' })
  pinResets!: number;

  @Column({ name: 'last_pin_reset_at', type: 'timestamptz', nullable: true })
  lastPinResetAt!: Date | null;
}
