// Every migration of this service's own database, in order. Listed explicitly: no globs.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [];
