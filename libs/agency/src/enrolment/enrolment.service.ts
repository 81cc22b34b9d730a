import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { isCodesError, parseMyNumber } from '@myna/codes';
import { AGENCY_DOMAIN, type AgencyDomain } from '../agency-domain';
import { CodeIssuerClient } from '../issuer-client/code-issuer.client';
import { AgencyPerson } from '../persons/agency-person.entity';
import type { EnrolmentOutcome, EnrolPersonDto } from './enrol-person.dto';
import { InvalidEnrolmentError } from './enrolment.exception';

/**
 * Enrolment as a real agency does it: take the My Number once from the form,
 * obtain this agency's code from code-issuer, keep the code and discard the number.
 */
@Injectable()
export class EnrolmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AGENCY_DOMAIN) private readonly domain: AgencyDomain,
    @Inject(CodeIssuerClient) private readonly issuer: CodeIssuerClient,
  ) {}

  async enrol(persons: EnrolPersonDto[]): Promise<EnrolmentOutcome[]> {
    const records = persons.map((person, index) => this.checkInput(person, index, persons.length));
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

    await this.dataSource.transaction(async (manager) => {
      const contact = (person: EnrolPersonDto, field: 'name' | 'address' | 'dateOfBirth') => (person.keepContactData ? person[field] : null);
      // One statement for the whole batch; a code already enrolled is left as it is.
      const inserted: { id: string; agency_code: string }[] = await manager.query(
        `INSERT INTO person (agency_code, contact_name, contact_address, contact_date_of_birth)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[])
         ON CONFLICT (agency_code) DO NOTHING
         RETURNING id, agency_code`,
        [
          toStore.map(({ agencyCode }) => agencyCode),
          toStore.map(({ person }) => contact(person, 'name')),
          toStore.map(({ person }) => contact(person, 'address')),
          toStore.map(({ person }) => contact(person, 'dateOfBirth')),
        ],
      );
      const newIds = new Map(inserted.map((row) => [row.agency_code, row.id]));
      const known = toStore.filter(({ agencyCode }) => !newIds.has(agencyCode)).map(({ agencyCode }) => agencyCode);
      const existing = known.length
        ? await manager.find(AgencyPerson, { where: { agencyCode: In(known) }, select: { id: true, agencyCode: true } })
        : [];
      const existingIds = new Map(existing.map((person) => [person.agencyCode, person.id]));

      const fresh: { personId: string; records: unknown }[] = [];
      for (const { index, agencyCode, records: personRecords } of toStore) {
        const newId = newIds.get(agencyCode);
        if (newId) {
          outcomes[index] = { status: 'enrolled', personId: newId };
          if (personRecords !== undefined) fresh.push({ personId: newId, records: personRecords });
        } else {
          outcomes[index] = { status: 'already-enrolled', personId: existingIds.get(agencyCode) ?? '' };
        }
      }
      if (fresh.length) await this.domain.saveRecords(manager, fresh);
    });
    return outcomes;
  }

  /** Checks what class-validator cannot: the check digit and the agency's own record schema. */
  private checkInput(person: EnrolPersonDto, index: number, count: number): unknown {
    const where = count === 1 ? '' : `persons.${index}.`;
    try {
      parseMyNumber(person.myNumber);
    } catch (error) {
      if (isCodesError(error)) throw new InvalidEnrolmentError(`${where}myNumber: ${error.message}`);
      throw error;
    }
    if (person.records === undefined) return undefined;
    const parsed = this.domain.recordsSchema.safeParse(person.records);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidEnrolmentError(`${where}records.${issue.path.join('.')}: ${issue.message}`);
    }
    return parsed.data;
  }
}
