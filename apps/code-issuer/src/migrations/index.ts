import { CreateResidenceRegister1795758428788 } from './1795758428788-create-residence-register';
import { CreateCardCertificates1795760795258 } from './1795760795258-create-card-certificates';
import { CreateCardEvents1796400000000 } from './1796400000000-create-card-events';

// Every migration of this service's own database, in order. Listed explicitly: no globs.
export const migrations = [CreateResidenceRegister1795758428788, CreateCardCertificates1795760795258, CreateCardEvents1796400000000];
