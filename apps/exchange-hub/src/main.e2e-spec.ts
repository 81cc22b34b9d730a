import { describeServiceBoot } from '@myna/testing';
import { exchangeHubService } from './service-definition';

describeServiceBoot(exchangeHubService);
