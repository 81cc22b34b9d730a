import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, MoreThanOrEqual, type EntityManager, type FindOptionsSelect } from 'typeorm';
import type { CodeHolder } from '@myna/protocol';
import { ExchangeEntity, type ExchangeState } from './exchange.entity';
import { RejectedMessageEntity } from './rejected-message.entity';
import { SeenMessageEntity } from './seen-message.entity';

/** The columns anyone may read: metadata, never a ciphertext or a token. */
export interface ExchangeSummary {
  id: string;
  inquiryId: string;
  requester: CodeHolder;
  provider: CodeHolder;
  rule: string;
  item: string;
  status: ExchangeState;
  reason: string | null;
  createdAt: Date;
  closedAt: Date | null;
}

const SUMMARY_COLUMNS = {
  id: true, inquiryId: true, requester: true, provider: true, rule: true, item: true, status: true, reason: true, createdAt: true, closedAt: true,
} satisfies FindOptionsSelect<ExchangeEntity>;

export interface SeenMessage {
  id: string;
  sender: string;
  jobId: string;
  expiresAt: Date;
}

export type NewExchange = Pick<
  ExchangeEntity,
  'id' | 'inquiryId' | 'inquiryJobId' | 'requester' | 'provider' | 'rule' | 'item' | 'reason' | 'requesterSubject'
> &
  (
    | { status: 'delivered'; deliveryToken: string; resultToken: null; recordToken: null; closedAt: null }
    | { status: 'denied'; deliveryToken: null; resultToken: string; recordToken: string; closedAt: Date }
  );

export interface ExchangeClosing {
  status: 'answered' | 'no-record' | 'expired';
  /** The provider's answer; null when the exchange expired unanswered. */
  answerMessageId: string | null;
  reason?: string;
  resultToken: string;
  recordToken: string;
  closedAt: Date;
}

export type NewRejection = Pick<RejectedMessageEntity, 'jobId' | 'jobName' | 'reason' | 'detail' | 'sender' | 'messageId'>;

/** Thrown inside a transaction to roll it back when another job recorded the same message first. */
class AlreadySeen extends Error {}

/** The hub's own database: `exchange`, `seen_message`, `rejected_message`. */
@Injectable()
export class ExchangeLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findSeen(messageId: string): Promise<SeenMessageEntity | null> {
    return this.dataSource.getRepository(SeenMessageEntity).findOneBy({ id: messageId });
  }

  findExchange(exchangeId: string): Promise<ExchangeEntity | null> {
    return this.dataSource.getRepository(ExchangeEntity).findOneBy({ id: exchangeId });
  }

  findByInquiry(inquiryId: string): Promise<ExchangeEntity | null> {
    return this.dataSource.getRepository(ExchangeEntity).findOneBy({ inquiryId });
  }

  /**
   * Records a new exchange and marks its inquiry seen, in one transaction. Of two
   * jobs carrying the same inquiry only one records it; the other gets 'already-seen'.
   */
  async open(exchange: NewExchange, seen: SeenMessage): Promise<'recorded' | 'already-seen'> {
    return this.inTransaction(async (manager) => {
      await this.markSeen(manager, seen);
      await manager.insert(ExchangeEntity, exchange);
      return 'recorded' as const;
    });
  }

  /**
   * Closes a delivered exchange, with the provider's answer (marked seen in the same
   * transaction) or as expired. 'not-open' when it is no longer delivered (another
   * answer or the expiry closed it first), 'already-seen' when this answer was recorded by another job.
   */
  async close(exchangeId: string, closing: ExchangeClosing, seen?: SeenMessage): Promise<'closed' | 'not-open' | 'already-seen'> {
    return this.inTransaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(ExchangeEntity)
        .set(closing)
        .where('id = :id AND status = :open', { id: exchangeId, open: 'delivered' })
        .execute();
      if (!result.affected) return 'not-open' as const;
      if (seen) await this.markSeen(manager, seen);
      return 'closed' as const;
    });
  }

  async recordRejection(rejection: NewRejection): Promise<void> {
    await this.dataSource.getRepository(RejectedMessageEntity).insert(rejection);
  }

  listExchanges(limit: number, status?: ExchangeState): Promise<ExchangeSummary[]> {
    return this.dataSource.getRepository(ExchangeEntity).find({
      select: SUMMARY_COLUMNS,
      where: status ? { status } : {},
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
    });
  }

  findSummary(exchangeId: string): Promise<ExchangeSummary | null> {
    return this.dataSource.getRepository(ExchangeEntity).findOne({ select: SUMMARY_COLUMNS, where: { id: exchangeId } });
  }

  listRejections(limit: number): Promise<RejectedMessageEntity[]> {
    return this.dataSource.getRepository(RejectedMessageEntity).find({ order: { receivedAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /** Delivered exchanges older than `deliveredBefore`, oldest first: those nobody answered in time. */
  overdueExchanges(deliveredBefore: Date, limit: number): Promise<ExchangeEntity[]> {
    return this.dataSource.getRepository(ExchangeEntity).find({
      where: { status: 'delivered', createdAt: LessThan(deliveredBefore) },
      order: { createdAt: 'ASC' },
      take: limit,
    });
  }

  /** Exchanges closed as expired since `since`: their messages are sent again, in case a crash lost them. */
  expiredSince(since: Date): Promise<ExchangeEntity[]> {
    return this.dataSource.getRepository(ExchangeEntity).find({ where: { status: 'expired', closedAt: MoreThanOrEqual(since) } });
  }

  /**
   * Forgets accepted message ids whose messages expired before `before`, a batch at a
   * time (short transactions beside the exchange traffic). Returns how many.
   */
  async pruneSeenMessages(before: Date, batchSize = 5_000): Promise<number> {
    let pruned = 0;
    for (;;) {
      const { affected } = await this.dataSource
        .createQueryBuilder()
        .delete()
        .from(SeenMessageEntity)
        .where('id IN (SELECT id FROM seen_message WHERE expires_at < :before LIMIT :batchSize)', { before, batchSize })
        .execute();
      pruned += affected ?? 0;
      if ((affected ?? 0) < batchSize) return pruned;
    }
  }

  private async markSeen(manager: EntityManager, seen: SeenMessage): Promise<void> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO seen_message (id, sender, job_id, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [seen.id, seen.sender, seen.jobId, seen.expiresAt],
    );
    if (inserted.length === 0) throw new AlreadySeen();
  }

  private async inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T | 'already-seen'> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (error instanceof AlreadySeen) return 'already-seen';
      throw error;
    }
  }
}
