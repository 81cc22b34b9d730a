// Running the federation's processes on one machine: what the demo launcher
// (tools/launcher) and the soak (tools/soak) share.
export * from './child-logs';
export * from './embedded-postgres';
export * from './health';
export * from './launch-error';
export * from './log-format';
export * from './poll';
export * from './ports';
export * from './process-supervisor';
export * from './redis';
export * from './redis-users';
export * from './service-plan';
