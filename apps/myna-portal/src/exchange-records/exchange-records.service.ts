import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ExchangeRecord } from './exchange-record.entity';

/** Shown newest first; a person's records run to dozens a year, so a page of 500 is everything. */
const RECORDS_SHOWN = 500;

@Injectable()
export class ExchangeRecordsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every exchange about the citizen with this portal code. */
  forCitizen(portalCode: string): Promise<ExchangeRecord[]> {
    return this.dataSource.getRepository(ExchangeRecord).find({ where: { portalCode }, order: { at: 'DESC' }, take: RECORDS_SHOWN });
  }
}
