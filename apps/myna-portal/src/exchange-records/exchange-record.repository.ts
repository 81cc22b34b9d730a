import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ExchangeRecord } from './exchange-record.entity';

export type NewExchangeRecord = Omit<ExchangeRecord, 'receivedAt'>;

/** The exchange records the hub sent the portal (`exchange_record`), by the portal's own code. */
@Injectable()
export class ExchangeRecordRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Keeps a record once: the same handle again (a retried message) changes nothing. */
  async recordOnce(record: NewExchangeRecord): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(ExchangeRecord).values(record).orIgnore().execute();
  }

  /** A citizen's records, newest first. */
  forCitizen(portalCode: string, limit: number): Promise<ExchangeRecord[]> {
    return this.dataSource.getRepository(ExchangeRecord).find({ where: { portalCode }, order: { at: 'DESC' }, take: limit });
  }
}
