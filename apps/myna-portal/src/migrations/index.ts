import { PORTAL_MIGRATIONS } from '../portal.module';

// Every migration of this service's own database, in order. Listed explicitly: no globs.
export const migrations = [...PORTAL_MIGRATIONS];
