import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { entityColumns, preparedStatement, runPrepared } from '@myna/platform';
import { ProvidedExchange } from './exchange.entities';

const RECORD_ONCE = preparedStatement(
  `INSERT INTO provided_exchange (handle, requester, rule, item, person_id, outcome, answer_message_id, receipt)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (handle) DO NOTHING RETURNING handle`,
);

export type NewProvidedExchange = Pick<ProvidedExchange, 'handle' | 'requester' | 'rule' | 'item' | 'personId' | 'outcome' | 'receipt'>;

/** What this agency gave, as provider (`provided_exchange`): one row per handle the hub issued it. */
@Injectable()
export class ProvidedExchangeRepository {
  /** Every column but the answer id and the receipt, under the entity's names, for the plain SELECT of the listing. */
  private readonly listedColumns: string;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.listedColumns = entityColumns(dataSource, ProvidedExchange, ['answerMessageId', 'receipt']);
  }

  /**
   * Records what is given under a handle, once, with a new answer id; a concurrent or
   * earlier attempt may have recorded it first: then its row stands, and is returned.
   */
  async recordOnce(exchange: NewProvidedExchange): Promise<{ provided: Pick<ProvidedExchange, 'outcome' | 'answerMessageId'>; first: boolean }> {
    const answerMessageId = randomUUID();
    const inserted = await runPrepared<unknown[]>(
      this.dataSource,
      RECORD_ONCE,
      [exchange.handle, exchange.requester, exchange.rule, exchange.item, exchange.personId, exchange.outcome, answerMessageId, exchange.receipt === null ? null : JSON.stringify(exchange.receipt)],
    );
    const first = inserted.length > 0;
    // Read back only when another attempt recorded it first: then its answer id stands.
    const provided = first ? { outcome: exchange.outcome, answerMessageId } : await this.dataSource.getRepository(ProvidedExchange).findOneByOrFail({ handle: exchange.handle });
    return { provided, first };
  }

  /** Newest first, without the answer ids and receipts. */
  newest(limit: number): Promise<Omit<ProvidedExchange, 'answerMessageId' | 'receipt'>[]> {
    return this.dataSource.query(
      `SELECT ${this.listedColumns} FROM provided_exchange ORDER BY provided_at DESC LIMIT $1`,
      [limit],
    );
  }
}
