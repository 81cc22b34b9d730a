import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { preparedStatement, runPrepared } from '@myna/platform';
import { AGENCY_DOMAIN, type AgencyDomain } from '../agency-domain';
import { AgencyPerson } from './agency-person.entity';

const ID_BY_CODE = preparedStatement('SELECT id FROM person WHERE agency_code = $1');

/** A person to enrol: this agency's code, the contact data it keeps (if any), and its own records. */
export interface NewAgencyPerson {
  agencyCode: string;
  contact: { name: string; address: string; dateOfBirth: string } | null;
  /** This agency's records of the person, already checked against its schema; undefined for none. */
  records: unknown;
}

export interface Enrolled {
  personId: string;
  /** False when the code was already enrolled: the person and their records are left as they were. */
  fresh: boolean;
}

/** The agency's `person` table, and the agency's own tables through its domain. */
@Injectable()
export class AgencyPersonRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AGENCY_DOMAIN) private readonly domain: AgencyDomain,
  ) {}

  count(): Promise<number> {
    return this.dataSource.getRepository(AgencyPerson).count();
  }

  findById(personId: string): Promise<AgencyPerson | null> {
    return this.dataSource.getRepository(AgencyPerson).findOneBy({ id: personId });
  }

  /** The id of the person holding an agency code, if enrolled here (used when answering inquiries). */
  async idByAgencyCode(agencyCode: string): Promise<string | null> {
    const [person] = await runPrepared<{ id: string }[]>(this.dataSource, ID_BY_CODE, [agencyCode]);
    return person?.id ?? null;
  }

  /** Enrols a batch in one transaction: one statement for the persons, then the new persons' records; a code already enrolled is left as it is. */
  enrol(persons: readonly NewAgencyPerson[]): Promise<Map<string, Enrolled>> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: { id: string; agency_code: string }[] = await manager.query(
        `INSERT INTO person (agency_code, contact_name, contact_address, contact_date_of_birth)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[])
         ON CONFLICT (agency_code) DO NOTHING
         RETURNING id, agency_code`,
        [
          persons.map(({ agencyCode }) => agencyCode),
          persons.map(({ contact }) => contact?.name ?? null),
          persons.map(({ contact }) => contact?.address ?? null),
          persons.map(({ contact }) => contact?.dateOfBirth ?? null),
        ],
      );
      const enrolled = new Map<string, Enrolled>(inserted.map((row) => [row.agency_code, { personId: row.id, fresh: true }]));
      const known = persons.filter(({ agencyCode }) => !enrolled.has(agencyCode)).map(({ agencyCode }) => agencyCode);
      if (known.length > 0) {
        const existing = await manager.find(AgencyPerson, { where: { agencyCode: In(known) }, select: { id: true, agencyCode: true } });
        for (const person of existing) enrolled.set(person.agencyCode, { personId: person.id, fresh: false });
      }
      const fresh = persons.flatMap(({ agencyCode, records }) => {
        const person = enrolled.get(agencyCode);
        return person?.fresh && records !== undefined ? [{ personId: person.personId, records }] : [];
      });
      if (fresh.length > 0) await this.domain.saveRecords(manager, fresh);
      return enrolled;
    });
  }

  /** The agency's own records of a person, table by table. */
  records(personId: string): Promise<Record<string, unknown>> {
    return this.domain.describePerson(this.dataSource.manager, personId);
  }

  /** The value of an item about a person, as the agency's domain answers it; throws UnknownItemError. */
  answer(personId: string, item: string, parameters: Record<string, unknown>): Promise<Record<string, unknown> | null> {
    return this.domain.answer(this.dataSource.manager, personId, item, parameters);
  }
}
