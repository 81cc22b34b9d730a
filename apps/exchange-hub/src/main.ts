import { runService } from '@myna/platform';
import { exchangeHubService } from './service-definition';

void runService(exchangeHubService);
