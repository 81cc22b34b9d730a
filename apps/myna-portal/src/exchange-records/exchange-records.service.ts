import { Inject, Injectable } from '@nestjs/common';
import type { ExchangeRecord } from './exchange-record.entity';
import { ExchangeRecordRepository } from './exchange-record.repository';

/** Shown newest first; a person's records run to dozens a year, so a page of 500 is everything. */
const RECORDS_SHOWN = 500;

@Injectable()
export class ExchangeRecordsService {
  constructor(@Inject(ExchangeRecordRepository) private readonly records: ExchangeRecordRepository) {}

  /** Every exchange about the citizen with this portal code. */
  forCitizen(portalCode: string): Promise<ExchangeRecord[]> {
    return this.records.forCitizen(portalCode, RECORDS_SHOWN);
  }
}
