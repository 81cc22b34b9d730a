import { describeServiceBoot } from '@myna/testing';
import { healthAgencyService } from './service-definition';

describeServiceBoot(healthAgencyService);
