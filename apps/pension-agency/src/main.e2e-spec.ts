import { describeServiceBoot } from '@myna/testing';
import { pensionAgencyService } from './service-definition';

describeServiceBoot(pensionAgencyService);
