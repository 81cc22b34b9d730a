import { AGENCY_MIGRATIONS } from '@myna/agency';
import { CreateInsurance1764201700000 } from './1764201700000-create-insurance';
import { RecordsKeyedByPerson1796900000000 } from './1796900000000-records-keyed-by-person';

// Every migration of this service's own database, in order. Listed explicitly: no globs.
export const migrations = [...AGENCY_MIGRATIONS, CreateInsurance1764201700000, RecordsKeyedByPerson1796900000000];
