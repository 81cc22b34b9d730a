export * from './operator-client';
