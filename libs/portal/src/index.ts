export * from './portal.module';
export * from './portal-keys';
export * from './exchange-records/exchange-record.entity';
