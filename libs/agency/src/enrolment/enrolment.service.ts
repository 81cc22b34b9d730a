import { Inject, Injectable } from '@nestjs/common';
import { isCodesError, parseMyNumber } from '@myna/codes';
import { AGENCY_DOMAIN, type AgencyDomain } from '../agency-domain';
import { CodeIssuerClient } from '../issuer-client/code-issuer.client';
import { AgencyPersonRepository } from '../persons/agency-person.repository';
import { calendarDate } from '../record-fields';
import type { EnrolmentOutcome, EnrolPerson } from './enrol-person.schema';
import { InvalidEnrolmentError } from './enrolment.exception';

/**
 * Enrolment as a real agency does it: take the My Number once from the form,
 * obtain this agency's code from code-issuer, keep the code and discard the number.
 */
@Injectable()
export class EnrolmentService {
  constructor(
    @Inject(AGENCY_DOMAIN) private readonly domain: AgencyDomain,
    @Inject(CodeIssuerClient) private readonly issuer: CodeIssuerClient,
    @Inject(AgencyPersonRepository) private readonly persons: AgencyPersonRepository,
  ) {}

  async enrol(persons: EnrolPerson[]): Promise<EnrolmentOutcome[]> {
    const records = persons.map((person, index) => this.checkInput(person, index, persons.length));
    refuseRepeatedMyNumbers(persons);
    const issued = await this.issuer.issueCodes(
      persons.map((person, index) => ({
        ref: String(index),
        myNumber: person.myNumber,
        name: person.name,
        address: person.address,
        dateOfBirth: person.dateOfBirth,
        gender: person.gender,
      })),
    );

    const outcomes: EnrolmentOutcome[] = persons.map((_, index) => {
      const result = issued.get(String(index));
      if (!result) return { status: 'refused', reason: 'code-issuer gave no answer for this person' };
      if (result.status === 'refused') return { status: 'refused', reason: result.reason };
      return { status: 'enrolled', personId: '' };
    });
    const toStore = persons.flatMap((person, index) => {
      const result = issued.get(String(index));
      return result?.status === 'issued' ? [{ index, person, agencyCode: result.agencyCode, records: records[index] }] : [];
    });
    if (toStore.length === 0) return outcomes;

    const enrolled = await this.persons.enrol(
      toStore.map(({ person, agencyCode, records: personRecords }) => ({
        agencyCode,
        contact: person.keepContactData ? { name: person.name, address: person.address, dateOfBirth: person.dateOfBirth } : null,
        records: personRecords,
      })),
    );
    for (const { index, agencyCode } of toStore) {
      const person = enrolled.get(agencyCode);
      outcomes[index] = { status: person?.fresh ? 'enrolled' : 'already-enrolled', personId: person?.personId ?? '' };
    }
    return outcomes;
  }

  /** Checks what the body's shape does not: the check digit, a date of birth no calendar has, and the agency's own record schema. */
  private checkInput(person: EnrolPerson, index: number, count: number): unknown {
    const where = count === 1 ? '' : `persons.${index}.`;
    try {
      parseMyNumber(person.myNumber);
    } catch (error) {
      if (isCodesError(error)) throw new InvalidEnrolmentError(`${where}myNumber: ${error.message}`);
      throw error;
    }
    if (!calendarDate.safeParse(person.dateOfBirth).success) throw new InvalidEnrolmentError(`${where}dateOfBirth: must be a calendar date, YYYY-MM-DD`);
    if (person.records === undefined) return undefined;
    const parsed = this.domain.recordsSchema.safeParse(person.records);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidEnrolmentError(`${where}records.${issue.path.join('.')}: ${issue.message}`);
    }
    return parsed.data;
  }
}

/** One person once per batch: a second copy would be given the same code, and its records would collide with the first's. */
function refuseRepeatedMyNumbers(persons: readonly EnrolPerson[]): void {
  const seen = new Map<string, number>();
  persons.forEach((person, index) => {
    const first = seen.get(person.myNumber);
    if (first !== undefined) throw new InvalidEnrolmentError(`persons.${index}.myNumber: the same My Number as persons.${first}; enrol a person once per batch`);
    seen.set(person.myNumber, index);
  });
}
