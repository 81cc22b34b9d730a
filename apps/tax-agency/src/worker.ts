import { runWorker } from '@myna/platform';
import { taxAgencyService } from './service-definition';

void runWorker(taxAgencyService);
