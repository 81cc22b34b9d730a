import { runWorker } from '@myna/platform';
import { exchangeHubService } from './service-definition';

// The hub's queue worker on its own (API processes then run with WORKERS=off).
void runWorker(exchangeHubService);
