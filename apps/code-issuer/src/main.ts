import { runService } from '@myna/platform';
import { codeIssuerService } from './service-definition';

void runService(codeIssuerService);
