import { PORTAL_MIGRATIONS } from '../portal.module';
import { CreateRejectedMessage1796650000000 } from './1796650000000-create-rejected-message';

// Every migration of this service's own database, in order. Listed explicitly: no globs.
export const migrations = [...PORTAL_MIGRATIONS, CreateRejectedMessage1796650000000];
