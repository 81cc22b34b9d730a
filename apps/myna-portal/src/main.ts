import { runService } from '@myna/platform';
import { mynaPortalService } from './service-definition';

void runService(mynaPortalService);
