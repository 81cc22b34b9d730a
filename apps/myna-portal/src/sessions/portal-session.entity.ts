import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A signed-in citizen, known by the portal's own code (機関別符号) only. The
 * cookie carries a random id; the table keeps its SHA-256, so a copy of the table
 * opens no session.
 */
@Entity({ name: 'portal_session' })
export class PortalSession {
  @PrimaryColumn({ name: 'id_hash', type: 'bytea' })
  idHash!: Buffer;

  @Column({ name: 'portal_code', type: 'text' })
  portalCode!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** The card's certificate serial and the name and photo on its face, sealed (AES-256-GCM) under a key derived from the session id. */
  @Column({ name: 'card_seal', type: 'bytea' })
  cardSeal!: Buffer;
}
