import { CreateExchangeLog1795758953895 } from './1795758953895-create-exchange-log';
import { ExpiredExchanges1795831000000 } from './1795831000000-expired-exchanges';
import { PerPartyHandles1796100000000 } from './1796100000000-per-party-handles';
import { TransparencyLog1796600000000 } from './1796600000000-transparency-log';
import { OneRejectedMessage1796650000000 } from './1796650000000-one-rejected-message';
import { OpenExchangeIndexes1796700000000 } from './1796700000000-open-exchange-indexes';

// Every migration of this service's own database, in order. Listed explicitly: no globs.
export const migrations = [
  CreateExchangeLog1795758953895,
  ExpiredExchanges1795831000000,
  PerPartyHandles1796100000000,
  TransparencyLog1796600000000,
  OneRejectedMessage1796650000000,
  OpenExchangeIndexes1796700000000,
];
