import { runWorker } from '@myna/platform';
import { pensionAgencyService } from './service-definition';

void runWorker(pensionAgencyService);
