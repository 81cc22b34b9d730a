import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A one-time sign-in challenge: its nonce is signed by the chip, and it can be used once, for two minutes. */
@Entity({ name: 'login_challenge' })
export class LoginChallenge {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  nonce!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** SHA-256 of the sign-in cookie of the browser that asked: only that browser can complete this sign-in. */
  @Column({ name: 'binding_hash', type: 'bytea' })
  bindingHash!: Buffer;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
