export * from './test-run';
export * from './test-databases';
export * from './test-redis';
export * from './service-app';
export * from './service-boot';
export * from './test-keys';
export * from './test-federation';
export * from './test-auth';
