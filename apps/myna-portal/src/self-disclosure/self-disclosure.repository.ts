import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, type QueryDeepPartialEntity } from 'typeorm';
import type { RequesterInquiries } from '@myna/messaging';
import type { LogReceipt, Settlement } from '@myna/protocol';
import { SelfDisclosure } from './self-disclosure.entity';

export const SELF_DISCLOSURE_ITEM = 'self-disclosure';

export type NewSelfDisclosure = Pick<SelfDisclosure, 'inquiryId' | 'batchId' | 'portalCode' | 'provider' | 'rule' | 'requestedAt'>;

/** The portal's self-disclosure inquiries and their answers (`self_disclosure`). */
@Injectable()
export class SelfDisclosureRepository implements RequesterInquiries {
  /** Answers are forgotten at sign-out: a result arriving after that has no one to show it to. */
  readonly whenUnknown = 'drop';

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async add(disclosure: NewSelfDisclosure): Promise<void> {
    await this.dataSource.getRepository(SelfDisclosure).insert({ ...disclosure, status: 'pending' });
  }

  async fail(inquiryId: string, reason: string): Promise<void> {
    await this.dataSource.getRepository(SelfDisclosure).update(inquiryId, { status: 'failed', reason });
  }

  /** The inquiry a result answers, if the portal still keeps it (answers are forgotten at sign-out). */
  async awaited(inquiryId: string): Promise<{ provider: string; item: string; status: string } | null> {
    const disclosure = await this.dataSource.getRepository(SelfDisclosure).findOneBy({ inquiryId });
    return disclosure && { provider: disclosure.provider, item: SELF_DISCLOSURE_ITEM, status: disclosure.status };
  }

  /** Settles a pending inquiry once: a retried result changes nothing. */
  async settle(inquiryId: string, settlement: Settlement, receipt: LogReceipt | null): Promise<void> {
    // A result and a receipt are JSON objects, which TypeORM's typing of jsonb columns cannot tell.
    const settled = { ...settlement, receipt } as QueryDeepPartialEntity<SelfDisclosure>;
    await this.dataSource.getRepository(SelfDisclosure).update({ inquiryId, status: 'pending' }, { ...settled, answeredAt: new Date() });
  }

  /** The citizen's latest batch, one row per agency. */
  async latestBatch(portalCode: string): Promise<SelfDisclosure[]> {
    const repository = this.dataSource.getRepository(SelfDisclosure);
    const [newest] = await repository.find({ where: { portalCode }, order: { requestedAt: 'DESC' }, take: 1, select: { batchId: true } });
    if (!newest) return [];
    return repository.find({ where: { portalCode, batchId: newest.batchId }, order: { provider: 'ASC' } });
  }

  async deleteRequestedBefore(before: Date): Promise<void> {
    await this.dataSource.getRepository(SelfDisclosure).delete({ requestedAt: LessThan(before) });
  }

  async forgetCitizen(portalCode: string): Promise<void> {
    await this.dataSource.getRepository(SelfDisclosure).delete({ portalCode });
  }
}
