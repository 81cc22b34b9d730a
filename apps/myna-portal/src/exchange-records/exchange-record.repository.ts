import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { preparedStatement, runPrepared } from '@myna/platform';
import { ExchangeRecord } from './exchange-record.entity';

const RECORD_ONCE = preparedStatement(
  `INSERT INTO exchange_record (handle, portal_code, requester, provider, rule, item, procedure, status, reason, at, receipt)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (handle) DO NOTHING`,
);

export type NewExchangeRecord = Omit<ExchangeRecord, 'receivedAt'>;

/** The exchange records the hub sent the portal (`exchange_record`), by the portal's own code. */
@Injectable()
export class ExchangeRecordRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Keeps a record once: the same handle again (a retried message) changes nothing. */
  async recordOnce(record: NewExchangeRecord): Promise<void> {
    // Every exchange ends here: one plain statement, without TypeORM building it.
    await runPrepared(
      this.dataSource,
      RECORD_ONCE,
      [record.handle, record.portalCode, record.requester, record.provider, record.rule, record.item, record.procedure, record.status, record.reason, record.at, record.receipt === null ? null : JSON.stringify(record.receipt)],
    );
  }

  /** A citizen's records, newest first. */
  forCitizen(portalCode: string, limit: number): Promise<ExchangeRecord[]> {
    return this.dataSource.getRepository(ExchangeRecord).find({ where: { portalCode }, order: { at: 'DESC' }, take: limit });
  }
}
