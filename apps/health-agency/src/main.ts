import { runService } from '@myna/platform';
import { healthAgencyService } from './service-definition';

void runService(healthAgencyService);
