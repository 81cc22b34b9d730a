import { runService } from '@myna/platform';
import { taxAgencyService } from './service-definition';

void runService(taxAgencyService);
