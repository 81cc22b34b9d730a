export * from './portal.module';
export * from './portal-keys';
export * from './portal-settings';
export * from './exchange-records/exchange-record.entity';
export * from './self-disclosure/self-disclosure.entity';
export * from './sessions/session-cookie';
export { fieldName, recordKindName, valueLabel } from './pages/presentation';
