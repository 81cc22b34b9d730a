import { runService } from '@myna/platform';
import { pensionAgencyService } from './service-definition';

void runService(pensionAgencyService);
