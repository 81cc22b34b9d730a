import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AGENCY_DOMAIN, type AgencyDomain } from '../agency-domain';
import { PersonNotFoundError } from '../enrolment/enrolment.exception';
import { AgencyPerson } from './agency-person.entity';

@Injectable()
export class PersonsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AGENCY_DOMAIN) private readonly domain: AgencyDomain,
  ) {}

  count(): Promise<number> {
    return this.dataSource.getRepository(AgencyPerson).count();
  }

  /** The person's enrolment and this agency's records; never the agency code itself. */
  async describe(personId: string): Promise<Record<string, unknown>> {
    const person = await this.dataSource.getRepository(AgencyPerson).findOneBy({ id: personId });
    if (!person) throw new PersonNotFoundError(personId);
    return {
      personId: person.id,
      enrolledAt: person.enrolledAt.toISOString(),
      contact:
        person.contactName === null
          ? null
          : { name: person.contactName, address: person.contactAddress, dateOfBirth: person.contactDateOfBirth },
      records: await this.domain.describePerson(this.dataSource.manager, person.id),
    };
  }

  /** The person holding an agency code, if enrolled here (used when answering inquiries). */
  findByAgencyCode(agencyCode: string): Promise<AgencyPerson | null> {
    return this.dataSource.getRepository(AgencyPerson).findOneBy({ agencyCode });
  }
}
