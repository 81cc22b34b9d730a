import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ProcessingSerial } from '@myna/codes';
import type { BasicFacts } from '@myna/protocol';
import { DataSource, type EntityManager } from 'typeorm';
import { multiRowValues } from '../database/multi-row-values';
import { CitizenEntity } from './citizen.entity';

export interface NewCitizen {
  id: string;
  residenceCode: string;
  myNumber: string;
  processingSerial: ProcessingSerial;
  facts: BasicFacts;
}

/** What issuance needs of a registered citizen. */
export interface RegisteredCitizen {
  id: string;
  myNumber: string;
  processingSerial: ProcessingSerial;
  facts: BasicFacts;
}

export interface TakenIdentifiers {
  myNumbers: ReadonlySet<string>;
  residenceCodes: ReadonlySet<string>;
}

interface CitizenRow {
  id: string;
  my_number: string;
  processing_serial: string;
  name: string;
  address: string;
  date_of_birth: string;
  gender: BasicFacts['gender'];
}

/** The residence register's table. Raw SQL where a batch must be one statement. */
@Injectable()
export class ResidenceRegisterRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** One multi-row insert. Rows that would repeat a My Number, residence code or serial are skipped; returns the ids inserted. */
  async insertSkippingDuplicates(citizens: readonly NewCitizen[], manager: EntityManager): Promise<Set<string>> {
    const values = multiRowValues(citizens, (citizen) => [
      citizen.id,
      citizen.residenceCode,
      citizen.myNumber,
      citizen.processingSerial.toText(),
      citizen.facts.name,
      citizen.facts.address,
      citizen.facts.dateOfBirth,
      citizen.facts.gender,
    ]);
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO citizen (id, residence_code, my_number, processing_serial, name, address, date_of_birth, gender)
       VALUES ${values.sql}
       ON CONFLICT DO NOTHING
       RETURNING id`,
      values.parameters,
    );
    return new Set(inserted.map((row) => row.id));
  }

  /** Which of these My Numbers and residence codes are already registered. */
  async findTaken(citizens: readonly NewCitizen[], manager: EntityManager): Promise<TakenIdentifiers> {
    const rows: Array<{ my_number: string; residence_code: string }> = await manager.query(
      'SELECT my_number, residence_code FROM citizen WHERE my_number = ANY($1) OR residence_code = ANY($2)',
      [citizens.map((citizen) => citizen.myNumber), citizens.map((citizen) => citizen.residenceCode)],
    );
    return {
      myNumbers: new Set(rows.map((row) => row.my_number)),
      residenceCodes: new Set(rows.map((row) => row.residence_code)),
    };
  }

  /** The citizens holding any of these My Numbers, in one query. */
  async findByMyNumbers(myNumbers: readonly string[]): Promise<RegisteredCitizen[]> {
    const rows: CitizenRow[] = await this.dataSource.query(
      `SELECT id, my_number, processing_serial, name, address, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth, gender
       FROM citizen WHERE my_number = ANY($1)`,
      [[...new Set(myNumbers)]],
    );
    return rows.map((row) => ({
      id: row.id,
      myNumber: row.my_number,
      processingSerial: ProcessingSerial.parse(row.processing_serial),
      facts: { name: row.name, address: row.address, dateOfBirth: row.date_of_birth, gender: row.gender },
    }));
  }

  count(): Promise<number> {
    return this.dataSource.getRepository(CitizenEntity).count();
  }
}
