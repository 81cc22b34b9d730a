import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RequesterInquiries } from '@myna/messaging';
import { BoundedMap, entityColumns, preparedStatement, runPrepared, type PreparedStatement } from '@myna/platform';
import type { LogReceipt, Settlement } from '@myna/protocol';
import { Inquiry } from './exchange.entities';

/** A new inquiry about an enrolled person, with that person's agency code: nothing is written for a person not enrolled here. */
const CREATE = preparedStatement(
  `WITH enrolled AS (
     SELECT agency_code FROM person WHERE id = $2::uuid
   ), created AS (
     INSERT INTO inquiry (id, person_id, provider, rule, item, parameters, status)
     SELECT $1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::jsonb, 'pending' FROM enrolled
     RETURNING created_at
   )
   SELECT enrolled.agency_code AS "agencyCode", created.created_at AS "createdAt" FROM enrolled, created`,
);
const AWAITED = preparedStatement(`SELECT provider, item, status FROM inquiry WHERE id = $1`);
const SETTLE = preparedStatement(
  `UPDATE inquiry SET status = $2, reason = $3, result = $4, receipt = $5, answered_at = now() WHERE id = $1 AND status = 'pending'`,
);

export type NewInquiry = Pick<Inquiry, 'id' | 'personId' | 'provider' | 'rule' | 'item' | 'parameters'>;

/** How many unsettled inquiries a process remembers having made; past it, the oldest are read back when their result comes. */
const REMEMBERED_LIMIT = 10_000;

/** The inquiries this agency made, as requester (`inquiry`). Every exchange passes through here twice, so each method is one plain statement. */
@Injectable()
export class InquiryRepository implements RequesterInquiries {
  /** A result for an inquiry this agency never made is refused. */
  readonly whenUnknown = 'reject';

  /** Plain SQL with the entity's columns under its names: the hot paths run without TypeORM building each query. */
  private readonly byId: PreparedStatement;
  /** The listing leaves the results out: they are shown one inquiry at a time. */
  private readonly newestFirst: PreparedStatement;

  /**
   * What this process asked and has not yet seen settled, by inquiry id: the result for
   * one is matched without reading the inquiry back. Only a hint: settling is still
   * conditional on the stored status, and a process that did not make the inquiry (a
   * separate worker, a restart) reads it.
   */
  private readonly remembered = new BoundedMap<string, { provider: string; item: string }>(REMEMBERED_LIMIT);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.byId = preparedStatement(`SELECT ${entityColumns(dataSource, Inquiry)} FROM inquiry WHERE id = $1`);
    this.newestFirst = preparedStatement(`SELECT ${entityColumns(dataSource, Inquiry, ['result'])} FROM inquiry ORDER BY created_at DESC LIMIT $1`);
  }

  /**
   * A new inquiry, pending until its result comes, with the agency code of the person it
   * is about (which the inquiry's subject is made from); null, and nothing written, when
   * that person is not enrolled here. One statement for both.
   */
  async create(inquiry: NewInquiry): Promise<{ inquiry: Inquiry; agencyCode: string } | null> {
    const [row] = await runPrepared<{ agencyCode: string; createdAt: Date }[]>(this.dataSource, CREATE, [
      inquiry.id, inquiry.personId, inquiry.provider, inquiry.rule, inquiry.item, JSON.stringify(inquiry.parameters),
    ]);
    if (!row) return null;
    this.remembered.set(inquiry.id, { provider: inquiry.provider, item: inquiry.item });
    return { inquiry: { ...inquiry, status: 'pending', reason: null, result: null, createdAt: row.createdAt, answeredAt: null, receipt: null }, agencyCode: row.agencyCode };
  }

  async fail(inquiryId: string, reason: string): Promise<void> {
    await this.dataSource.query(`UPDATE inquiry SET status = 'failed', reason = $2 WHERE id = $1`, [inquiryId, reason]);
    this.remembered.delete(inquiryId);
  }

  /** The inquiry a result answers: remembered if this process made it and it is unsettled, else read. */
  async awaited(inquiryId: string): Promise<{ provider: string; item: string; status: string } | null> {
    const remembered = this.remembered.get(inquiryId);
    if (remembered) return { ...remembered, status: 'pending' };
    const [row] = await runPrepared<{ provider: string; item: string; status: string }[]>(this.dataSource, AWAITED, [inquiryId]);
    return row ?? null;
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
    this.remembered.delete(inquiryId);
  }

  /** Newest first, without their results. */
  newest(limit: number): Promise<Omit<Inquiry, 'result'>[]> {
    return runPrepared(this.dataSource, this.newestFirst, [limit]);
  }
}
