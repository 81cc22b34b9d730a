import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Agency } from '@myna/protocol';
import { DataSource } from 'typeorm';
import { multiRowValues } from '../database/multi-row-values';

/** What the ledger keeps of one answered request: counts and who got a code, never the codes. */
export interface AnsweredRequest {
  requestId: string;
  requester: Agency;
  personCount: number;
  refusedCount: number;
  /** One entry per issued code, in request order (a person asked for twice appears twice). */
  issuedToCitizenIds: readonly string[];
}

/** The issuance ledger: `issuance_request` and `code_issuance`. */
@Injectable()
export class IssuanceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Records the request and one row per issued code in one transaction. The
   * request id is the primary key, so of two copies of a request only one is
   * ever recorded; the other gets 'replayed' and stores nothing.
   */
  async record(answered: AnsweredRequest): Promise<'recorded' | 'replayed'> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO issuance_request (id, requester, person_count, issued_count, refused_count)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING
         RETURNING id`,
        [answered.requestId, answered.requester, answered.personCount, answered.issuedToCitizenIds.length, answered.refusedCount],
      );
      if (inserted.length === 0) return 'replayed';
      if (answered.issuedToCitizenIds.length > 0) {
        const values = multiRowValues(answered.issuedToCitizenIds, (citizenId) => [citizenId, answered.requester, answered.requestId]);
        await manager.query(`INSERT INTO code_issuance (citizen_id, agency, request_id) VALUES ${values.sql}`, values.parameters);
      }
      return 'recorded';
    });
  }
}
