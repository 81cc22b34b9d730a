import { runWorker } from '@myna/platform';
import { mynaPortalService } from './service-definition';

void runWorker(mynaPortalService);
