import { Inject, Injectable } from '@nestjs/common';
import { PersonNotFoundError } from '../enrolment/enrolment.exception';
import { AgencyPersonRepository } from './agency-person.repository';

@Injectable()
export class PersonsService {
  constructor(@Inject(AgencyPersonRepository) private readonly persons: AgencyPersonRepository) {}

  count(): Promise<number> {
    return this.persons.count();
  }

  /** The person's enrolment and this agency's records; never the agency code itself. */
  async describe(personId: string): Promise<Record<string, unknown>> {
    const person = await this.persons.findById(personId);
    if (!person) throw new PersonNotFoundError(personId);
    return {
      personId: person.id,
      enrolledAt: person.enrolledAt.toISOString(),
      contact:
        person.contactName === null
          ? null
          : { name: person.contactName, address: person.contactAddress, dateOfBirth: person.contactDateOfBirth },
      records: await this.persons.records(person.id),
    };
  }
}
