import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RequesterInquiries } from '@myna/messaging';
import { entityColumns, preparedStatement, runPrepared, type PreparedStatement } from '@myna/platform';
import type { LogReceipt, Settlement } from '@myna/protocol';
import { Inquiry } from './exchange.entities';

const INSERT = preparedStatement(
  `INSERT INTO inquiry (id, person_id, provider, rule, item, parameters, status) VALUES ($1, $2, $3, $4, $5, $6, 'pending') RETURNING created_at AS "createdAt"`,
);
const SETTLE = preparedStatement(
  `UPDATE inquiry SET status = $2, reason = $3, result = $4, receipt = $5, answered_at = now() WHERE id = $1 AND status = 'pending'`,
);

export type NewInquiry = Pick<Inquiry, 'id' | 'personId' | 'provider' | 'rule' | 'item' | 'parameters'>;

/** The inquiries this agency made, as requester (`inquiry`). Every exchange passes through here twice, so each method is one plain statement. */
@Injectable()
export class InquiryRepository implements RequesterInquiries {
  /** A result for an inquiry this agency never made is refused. */
  readonly whenUnknown = 'reject';

  /** The inquiry table's columns under the entity's names: the hot paths read plain SQL, without TypeORM building each query. */
  private readonly columns: string;
  private readonly byId: PreparedStatement;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.columns = entityColumns(dataSource, Inquiry);
    this.byId = preparedStatement(`SELECT ${this.columns} FROM inquiry WHERE id = $1`);
  }

  /** A new inquiry, pending until its result comes. */
  async create(inquiry: NewInquiry): Promise<Inquiry> {
    const [row] = await runPrepared<{ createdAt: Date }[]>(this.dataSource, INSERT, [
      inquiry.id, inquiry.personId, inquiry.provider, inquiry.rule, inquiry.item, JSON.stringify(inquiry.parameters),
    ]);
    return { ...inquiry, status: 'pending', reason: null, result: null, createdAt: row.createdAt, answeredAt: null, receipt: null };
  }

  async fail(inquiryId: string, reason: string): Promise<void> {
    await this.dataSource.query(`UPDATE inquiry SET status = 'failed', reason = $2 WHERE id = $1`, [inquiryId, reason]);
  }

  async find(inquiryId: string): Promise<Inquiry | null> {
    const [row] = await runPrepared<Inquiry[]>(this.dataSource, this.byId, [inquiryId]);
    return row ?? null;
  }

  /** Settles a pending inquiry once: a retried result, or one for a settled inquiry, changes nothing. */
  async settle(inquiryId: string, settlement: Settlement, receipt: LogReceipt | null): Promise<void> {
    await runPrepared(this.dataSource, SETTLE, [
      inquiryId,
      settlement.status,
      'reason' in settlement ? settlement.reason : null,
      'result' in settlement && settlement.result !== null ? JSON.stringify(settlement.result) : null,
      receipt === null ? null : JSON.stringify(receipt),
    ]);
  }

  newest(limit: number): Promise<Inquiry[]> {
    return this.dataSource.query(`SELECT ${this.columns} FROM inquiry ORDER BY created_at DESC LIMIT $1`, [limit]);
  }
}
