import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A person in the residence register. Only code-issuer may hold these columns. */
@Entity({ name: 'citizen' })
export class CitizenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'residence_code', type: 'char', length: 11, unique: true })
  residenceCode!: string;

  @Column({ name: 'my_number', type: 'char', length: 12, unique: true })
  myNumber!: string;

  /** `ps1.…`: the root of every agency code. Never leaves this service. */
  @Column({ name: 'processing_serial', type: 'text', unique: true })
  processingSerial!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  address!: string;

  /** YYYY-MM-DD. */
  @Column({ name: 'date_of_birth', type: 'date' })
  dateOfBirth!: string;

  @Column({ type: 'text' })
  gender!: string;

  @Column({ name: 'registered_at', type: 'timestamptz', default: () => 'now()' })
  registeredAt!: Date;
}
