import { runWorker } from '@myna/platform';
import { healthAgencyService } from './service-definition';

void runWorker(healthAgencyService);
