import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ProvidedExchange } from './exchange.entities';

export type NewProvidedExchange = Pick<ProvidedExchange, 'handle' | 'requester' | 'rule' | 'item' | 'personId' | 'outcome' | 'receipt'>;

/** What this agency gave, as provider (`provided_exchange`): one row per handle the hub issued it. */
@Injectable()
export class ProvidedExchangeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Records what is given under a handle, once, with a new answer id; a concurrent or
   * earlier attempt may have recorded it first: then its row stands, and is returned.
   */
  async recordOnce(exchange: NewProvidedExchange): Promise<{ provided: Pick<ProvidedExchange, 'outcome' | 'answerMessageId'>; first: boolean }> {
    const answerMessageId = randomUUID();
    const inserted = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ProvidedExchange)
      .values({ ...exchange, answerMessageId })
      .orIgnore()
      .returning(['handle'])
      .execute();
    const first = (inserted.raw as unknown[]).length > 0;
    // Read back only when another attempt recorded it first: then its answer id stands.
    const provided = first ? { outcome: exchange.outcome, answerMessageId } : await this.dataSource.getRepository(ProvidedExchange).findOneByOrFail({ handle: exchange.handle });
    return { provided, first };
  }

  /** Newest first, without the answer ids. */
  newest(limit: number): Promise<Omit<ProvidedExchange, 'answerMessageId'>[]> {
    return this.dataSource.getRepository(ProvidedExchange).find({
      order: { providedAt: 'DESC' },
      take: limit,
      select: { handle: true, requester: true, rule: true, item: true, personId: true, outcome: true, providedAt: true },
    });
  }
}
