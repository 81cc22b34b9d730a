export * from './messaging.exception';
export * from './redis-connection';
export * from './inbound-handler';
export * from './message-sender';
export * from './dead-letters';
export * from './inbound-processor';
export * from './messaging.module';
export * from './redis-acl';
