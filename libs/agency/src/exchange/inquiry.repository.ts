import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryDeepPartialEntity } from 'typeorm';
import type { RequesterInquiries } from '@myna/messaging';
import type { LogReceipt, Settlement } from '@myna/protocol';
import { Inquiry } from './exchange.entities';

export type NewInquiry = Pick<Inquiry, 'id' | 'personId' | 'provider' | 'rule' | 'item' | 'parameters'>;

/** The inquiries this agency made, as requester (`inquiry`). */
@Injectable()
export class InquiryRepository implements RequesterInquiries {
  /** A result for an inquiry this agency never made is refused. */
  readonly whenUnknown = 'reject';

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A new inquiry, pending until its result comes. */
  async create(inquiry: NewInquiry): Promise<Inquiry> {
    const inquiries = this.dataSource.getRepository(Inquiry);
    const created = inquiries.create({ ...inquiry, status: 'pending', reason: null, result: null, answeredAt: null });
    // One INSERT … RETURNING created_at: save() would first SELECT the new id and wrap the insert in BEGIN/COMMIT.
    const { generatedMaps } = await inquiries.insert(created as QueryDeepPartialEntity<Inquiry>); // jsonb parameters, which TypeORM's typing cannot tell
    return Object.assign(created, generatedMaps[0]);
  }

  async fail(inquiryId: string, reason: string): Promise<void> {
    await this.dataSource.getRepository(Inquiry).update(inquiryId, { status: 'failed', reason });
  }

  find(inquiryId: string): Promise<Inquiry | null> {
    return this.dataSource.getRepository(Inquiry).findOneBy({ id: inquiryId });
  }

  /** Settles a pending inquiry once: a retried result, or one for a settled inquiry, changes nothing. */
  async settle(inquiryId: string, settlement: Settlement, receipt: LogReceipt | null): Promise<void> {
    // A result and a receipt are JSON objects, which TypeORM's typing of jsonb columns cannot tell.
    const settled = { ...settlement, receipt } as QueryDeepPartialEntity<Inquiry>;
    await this.dataSource.getRepository(Inquiry).update({ id: inquiryId, status: 'pending' }, { ...settled, answeredAt: new Date() });
  }

  newest(limit: number): Promise<Inquiry[]> {
    return this.dataSource.getRepository(Inquiry).find({ order: { createdAt: 'DESC' }, take: limit });
  }
}
