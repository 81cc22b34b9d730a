import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A person as one agency knows them: by this agency's own code (機関別符号) only.
 * There is deliberately no column that could hold a My Number, a residence code
 * or a processing serial. Contact data is kept only when the agency's data
 * profile asks for it (as real agencies do, to write to people).
 */
@Entity({ name: 'person' })
export class AgencyPerson {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'agency_code', type: 'text', unique: true })
  agencyCode!: string;

  @CreateDateColumn({ name: 'enrolled_at', type: 'timestamptz' })
  enrolledAt!: Date;

  @Column({ name: 'contact_name', type: 'text', nullable: true })
  contactName!: string | null;

  @Column({ name: 'contact_address', type: 'text', nullable: true })
  contactAddress!: string | null;

  @Column({ name: 'contact_date_of_birth', type: 'date', nullable: true })
  contactDateOfBirth!: string | null;
}
